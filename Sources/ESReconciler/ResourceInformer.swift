import ESJSON
import Logging

/// List-then-watch of one resource, keeping the latest object per `namespace/name` and calling the
/// handler for every change. Re-lists when the watch expires (410) and retries after failures.
public final class ResourceInformer: Sendable {
    public enum Change: Sendable {
        case added(JSON)
        case updated(old: JSON, new: JSON)
        case deleted(JSON)
    }

    public let resource: ClusterResource
    let api: any ClusterAPI
    let namespace: String?
    let labelSelector: String?
    let cache = ObjectCache()
    let logger: Logger

    public init(api: any ClusterAPI, resource: ClusterResource, namespace: String?, labelSelector: String? = nil,
                logger: Logger) {
        self.api = api
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.logger = logger
    }

    public func object(namespace: String?, name: String) async -> JSON? {
        await cache.get(ObjectCache.key(namespace: namespace, name: name))
    }

    public func objects() async -> [JSON] { await cache.all() }

    public var hasSynced: Bool { get async { await cache.synced } }

    /// Runs until the calling task is cancelled.
    public func run(_ handler: @escaping @Sendable (Change) async -> Void) async {
        var resourceVersion: String? = nil
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let listed = try await api.list(resource, namespace: namespace, labelSelector: labelSelector)
                    let changes = await cache.replace(listed.items)
                    for change in changes { await handler(change) }
                    resourceVersion = listed.resourceVersion
                }
                let stream = api.watch(resource, namespace: namespace, resourceVersion: resourceVersion ?? "",
                                       labelSelector: labelSelector)
                for try await event in stream {
                    switch event {
                    case .added(let object), .modified(let object):
                        if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue { resourceVersion = rv }
                        if let change = await cache.upsert(object) { await handler(change) }
                    case .deleted(let object):
                        if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue { resourceVersion = rv }
                        if let change = await cache.remove(object) { await handler(change) }
                    case .bookmark(let rv):
                        resourceVersion = rv
                    }
                }
            } catch let error as ClusterAPIError where error.isGone {
                resourceVersion = nil
                continue
            } catch {
                if Task.isCancelled { return }
                logger.debug("watch failed; retrying", metadata: ["resource": "\(resource.rawValue)", "error": "\(error)"])
                resourceVersion = nil
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
    }
}

/// The informer's store of objects by key.
actor ObjectCache {
    private var objects: [String: JSON] = [:]
    private(set) var synced = false

    static func key(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "/" + name
    }

    static func key(of object: JSON) -> String {
        key(namespace: object[path: ["metadata", "namespace"]]?.stringValue,
            name: object[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    func get(_ key: String) -> JSON? { objects[key] }
    func all() -> [JSON] { Array(objects.values) }

    func replace(_ items: [JSON]) -> [ResourceInformer.Change] {
        var changes: [ResourceInformer.Change] = []
        var seen = Set<String>()
        for item in items {
            let key = Self.key(of: item)
            seen.insert(key)
            if let change = upsert(item) { changes.append(change) }
        }
        for (key, object) in objects where !seen.contains(key) {
            objects.removeValue(forKey: key)
            changes.append(.deleted(object))
        }
        synced = true
        return changes
    }

    func upsert(_ object: JSON) -> ResourceInformer.Change? {
        let key = Self.key(of: object)
        let old = objects.updateValue(object, forKey: key)
        guard let old else { return .added(object) }
        if old[path: ["metadata", "resourceVersion"]] == object[path: ["metadata", "resourceVersion"]] { return nil }
        return .updated(old: old, new: object)
    }

    func remove(_ object: JSON) -> ResourceInformer.Change? {
        guard let old = objects.removeValue(forKey: Self.key(of: object)) else { return nil }
        return .deleted(old)
    }
}
