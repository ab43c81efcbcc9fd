import ESJSON
import ESKube

/// `ClusterAPI` over ESKube's `KubeClient`.
public struct KubeClusterAPI: ClusterAPI {
    public let client: KubeClient

    public init(client: KubeClient) { self.client = client }

    static func kind(_ resource: ClusterResource) -> ResourceKind {
        switch resource {
        case .secrets: return .secrets
        case .configMaps: return .configMaps
        case .namespaces: return .namespaces
        case .events: return .events
        case .externalSecrets: return .externalSecrets
        case .secretStores: return .secretStores
        case .clusterSecretStores: return .clusterSecretStores
        }
    }

    static func translate(_ error: any Error) -> any Error {
        guard let kube = error as? KubeError else { return error }
        return ClusterAPIError(code: kube.code, reason: kube.reason, message: kube.message)
    }

    public func get(_ resource: ClusterResource, namespace: String?, name: String) async throws -> JSON? {
        do {
            return try await client.get(Self.kind(resource), namespace: namespace, name: name)
        } catch let error as KubeError where error.isNotFound {
            return nil
        } catch {
            throw Self.translate(error)
        }
    }

    public func list(_ resource: ClusterResource, namespace: String?,
                     labelSelector: String?) async throws -> (items: [JSON], resourceVersion: String) {
        do {
            return try await client.listAll(Self.kind(resource), namespace: namespace, labelSelector: labelSelector)
        } catch {
            throw Self.translate(error)
        }
    }

    public func listPage(_ resource: ClusterResource, namespace: String?, labelSelector: String?, limit: Int,
                         continueToken: String?) async throws -> ClusterListPage {
        do {
            var page = try await client.list(Self.kind(resource), namespace: namespace, labelSelector: labelSelector,
                                             limit: limit, continueToken: continueToken)
            let resourceVersion = page[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let token = page[path: ["metadata", "continue"]]?.stringValue
            let items = page["items"]?.arrayValue ?? []
            page = .null  // the items array is now the only reference: no copy when the caller consumes it
            return ClusterListPage(items: items, resourceVersion: resourceVersion,
                                   continueToken: token?.isEmpty == false ? token : nil)
        } catch {
            throw Self.translate(error)
        }
    }

    public func create(_ resource: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON {
        do { return try await client.create(Self.kind(resource), namespace: namespace, object, fieldManager: fieldManager) }
        catch { throw Self.translate(error) }
    }

    public func update(_ resource: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON {
        do { return try await client.update(Self.kind(resource), namespace: namespace, object, fieldManager: fieldManager) }
        catch { throw Self.translate(error) }
    }

    public func updateStatus(_ resource: ClusterResource, namespace: String?, _ object: JSON) async throws -> JSON {
        do { return try await client.updateStatus(Self.kind(resource), namespace: namespace, object) }
        catch { throw Self.translate(error) }
    }

    public func mergePatch(_ resource: ClusterResource, namespace: String?, name: String, _ patch: JSON,
                           fieldManager: String?) async throws -> JSON {
        do {
            return try await client.patch(Self.kind(resource), namespace: namespace, name: name, type: .merge, patch,
                                          fieldManager: fieldManager)
        } catch {
            throw Self.translate(error)
        }
    }

    public func delete(_ resource: ClusterResource, namespace: String?, name: String, preconditionUID: String?) async throws {
        do { try await client.delete(Self.kind(resource), namespace: namespace, name: name, preconditionUID: preconditionUID) }
        catch { throw Self.translate(error) }
    }

    public func watch(_ resource: ClusterResource, namespace: String?, resourceVersion: String,
                      labelSelector: String?) -> AsyncThrowingStream<ClusterWatchEvent, any Error> {
        let upstream = client.watch(Self.kind(resource), namespace: namespace, resourceVersion: resourceVersion,
                                    labelSelector: labelSelector)
        // Mapped as the consumer pulls: no second buffer, no relay task.
        let events = ClusterWatchEvents(upstream.makeAsyncIterator(), resourceVersion: resourceVersion)
        return AsyncThrowingStream(unfolding: { try await events.next() })
    }

    public func recordEvent(about object: JSON, type: String, reason: String, message: String, component: String) async {
        await client.recordEvent(regarding: object, type: KubeEventType(rawValue: type) ?? .normal, reason: reason,
                                 action: reason, note: message, reportingController: component)
    }
}

/// `KubeClient` watch events as `ClusterWatchEvent`s, converted one at a time as they are pulled.
final class ClusterWatchEvents: @unchecked Sendable {
    // Only touched from `next`, which `AsyncThrowingStream(unfolding:)` calls one at a time.
    private var upstream: AsyncThrowingStream<WatchEvent, any Error>.AsyncIterator
    private let resourceVersion: String

    init(_ upstream: AsyncThrowingStream<WatchEvent, any Error>.AsyncIterator, resourceVersion: String) {
        self.upstream = upstream
        self.resourceVersion = resourceVersion
    }

    func next() async throws -> ClusterWatchEvent? {
        do {
            guard let event = try await upstream.next() else { return nil }
            switch event.type {
            case .added: return .added(event.object)
            case .modified: return .modified(event.object)
            case .deleted: return .deleted(event.object)
            case .bookmark: return .bookmark(resourceVersion: event.resourceVersion ?? resourceVersion)
            }
        } catch {
            throw KubeClusterAPI.translate(error)
        }
    }
}
