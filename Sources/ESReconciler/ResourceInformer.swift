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
    let cache: ObjectCache
    let logger: Logger

    /// `indexLabel`: objects are also indexed by `namespace` + the value of this label (`objects(namespace:label:)`).
    /// `managedFields` are dropped from cached objects (callers that need them read the object directly).
    public init(api: any ClusterAPI, resource: ClusterResource, namespace: String?, labelSelector: String? = nil,
                indexLabel: String? = nil, logger: Logger) {
        self.api = api
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.cache = ObjectCache(indexLabel: indexLabel)
        self.logger = logger
    }

    /// Objects of `namespace` whose `indexLabel` equals `value`.
    public func objects(namespace: String, label value: String) async -> [JSON] {
        await cache.indexed(namespace: namespace, value: value)
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

/// The informer's store of objects by key. Objects are kept as compact serialized JSON (a parsed
/// tree costs several times its text in memory) and parsed on read.
actor ObjectCache {
    struct Entry {
        var bytes: [UInt8]
        var resourceVersion: String
        var indexKey: String?
        var object: JSON? { try? JSON.parse(bytes) }
    }

    private var objects: [String: Entry] = [:]
    private(set) var synced = false
    let indexLabel: String?
    private var index: [String: Set<String>] = [:]

    init(indexLabel: String?) { self.indexLabel = indexLabel }

    static func key(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "/" + name
    }

    static func key(of object: JSON) -> String {
        key(namespace: object[path: ["metadata", "namespace"]]?.stringValue,
            name: object[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    private func indexKey(_ object: JSON) -> String? {
        guard let label = indexLabel,
              let value = object[path: ["metadata", "labels", label]]?.stringValue else { return nil }
        return (object[path: ["metadata", "namespace"]]?.stringValue ?? "") + "/" + value
    }

    func get(_ key: String) -> JSON? { objects[key]?.object }
    func all() -> [JSON] { objects.values.compactMap(\.object) }

    func indexed(namespace: String, value: String) -> [JSON] {
        (index[namespace + "/" + value] ?? []).compactMap { objects[$0]?.object }
    }

    private func unindex(_ key: String, _ entry: Entry) {
        guard let ik = entry.indexKey else { return }
        index[ik]?.remove(key)
        if index[ik]?.isEmpty == true { index.removeValue(forKey: ik) }
    }

    func replace(_ items: [JSON]) -> [ResourceInformer.Change] {
        var changes: [ResourceInformer.Change] = []
        var seen = Set<String>()
        for item in items {
            seen.insert(Self.key(of: item))
            if let change = upsert(item) { changes.append(change) }
        }
        for (key, entry) in objects where !seen.contains(key) {
            objects.removeValue(forKey: key)
            unindex(key, entry)
            if let object = entry.object { changes.append(.deleted(object)) }
        }
        synced = true
        return changes
    }

    func upsert(_ incoming: JSON) -> ResourceInformer.Change? {
        var object = incoming
        object[path: ["metadata", "managedFields"]] = nil
        let key = Self.key(of: object)
        let entry = Entry(bytes: object.serialized(),
                          resourceVersion: object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "",
                          indexKey: indexKey(object))
        let old = objects.updateValue(entry, forKey: key)
        if let old { unindex(key, old) }
        if let ik = entry.indexKey { index[ik, default: []].insert(key) }
        guard let old else { return .added(object) }
        if old.resourceVersion == entry.resourceVersion { return nil }
        guard let oldObject = old.object else { return .added(object) }
        return .updated(old: oldObject, new: object)
    }

    func remove(_ object: JSON) -> ResourceInformer.Change? {
        let key = Self.key(of: object)
        guard let old = objects.removeValue(forKey: key) else { return nil }
        unindex(key, old)
        return .deleted(old.object ?? object)
    }
}
