import ESJSON

/// The resources the controllers read and write.
public enum ClusterResource: String, Sendable, Hashable, CaseIterable {
    case secrets, configMaps, namespaces, events
    case externalSecrets, secretStores, clusterSecretStores

    public var isNamespaced: Bool { self != .namespaces && self != .clusterSecretStores }
}

/// A Kubernetes API failure the controllers branch on.
public struct ClusterAPIError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String

    public init(code: Int, reason: String, message: String) {
        self.code = code
        self.reason = reason
        self.message = message
    }

    public var isNotFound: Bool { code == 404 || reason == "NotFound" }
    public var isConflict: Bool { reason == "Conflict" || (code == 409 && reason != "AlreadyExists") }
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    public var isGone: Bool { code == 410 || reason == "Gone" || reason == "Expired" }
    public var description: String { message }
}

public enum ClusterWatchEvent: Sendable {
    case added(JSON), modified(JSON), deleted(JSON), bookmark(resourceVersion: String)
}

/// The slice of the Kubernetes API the reconcilers use. `KubeClusterAPI` implements it over
/// ESKube's `KubeClient`; tests may substitute an in-memory cluster.
public protocol ClusterAPI: Sendable {
    /// nil when the object does not exist.
    func get(_ resource: ClusterResource, namespace: String?, name: String) async throws -> JSON?
    /// The items and the list's resourceVersion.
    func list(_ resource: ClusterResource, namespace: String?, labelSelector: String?) async throws -> (items: [JSON], resourceVersion: String)
    func create(_ resource: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON
    func update(_ resource: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON
    func updateStatus(_ resource: ClusterResource, namespace: String?, _ object: JSON) async throws -> JSON
    func mergePatch(_ resource: ClusterResource, namespace: String?, name: String, _ patch: JSON, fieldManager: String?) async throws -> JSON
    func delete(_ resource: ClusterResource, namespace: String?, name: String, preconditionUID: String?) async throws
    func watch(_ resource: ClusterResource, namespace: String?, resourceVersion: String, labelSelector: String?)
        -> AsyncThrowingStream<ClusterWatchEvent, any Error>
    /// Records an Event about `object` (best effort; failures are swallowed).
    func recordEvent(about object: JSON, type: String, reason: String, message: String, component: String) async
    /// One page of a list (`limit`/`continue`); `continueToken` is nil on the last page.
    func listPage(_ resource: ClusterResource, namespace: String?, labelSelector: String?, limit: Int,
                  continueToken: String?) async throws -> ClusterListPage
}

/// One page of a paginated list.
public struct ClusterListPage: Sendable {
    public var items: [JSON]
    public var resourceVersion: String
    public var continueToken: String?

    public init(items: [JSON], resourceVersion: String, continueToken: String?) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

extension ClusterAPI {
    /// Without pagination support: the whole list as one page.
    public func listPage(_ resource: ClusterResource, namespace: String?, labelSelector: String?, limit: Int,
                         continueToken: String?) async throws -> ClusterListPage {
        let listed = try await list(resource, namespace: namespace, labelSelector: labelSelector)
        return ClusterListPage(items: listed.items, resourceVersion: listed.resourceVersion, continueToken: nil)
    }
}
