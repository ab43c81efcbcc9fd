import ESJSON
import Synchronization

/// The in-memory object database behind the test API server. Every operation is atomic under one
/// lock; tests may call it directly to seed objects or assert on them.
public final class ObjectStore: Sendable {
    let state: Mutex<StoreState>

    init(historyLimit: Int = 20_000) {
        var initial = StoreState(historyLimit: historyLimit)
        for type in ResourceType.builtIn { initial.types[type.key] = type }
        state = Mutex(initial)
    }

    // MARK: - Types

    public func resourceType(group: String, resource: String) -> ResourceType? {
        state.withLock { $0.types[group.isEmpty ? resource : "\(group)/\(resource)"] }
    }

    public var resourceTypes: [ResourceType] {
        state.withLock { Array($0.types.values) }.sorted { $0.key < $1.key }
    }

    /// The type serving `group/version` and `resource`, if any.
    func resourceType(group: String, version: String, resource: String) -> ResourceType? {
        guard let type = resourceType(group: group, resource: resource), type.versions.contains(version) else { return nil }
        return type
    }

    public var currentResourceVersion: Int { state.withLock { $0.resourceVersion } }

    // MARK: - Reads

    public func get(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> JSON {
        let key = StoreState.objectKey(namespace: type.namespaced ? namespace : nil, name: name)
        guard let object = state.withLock({ $0.objects[type.key]?[key] }) else {
            throw APIError.notFound(type, name: name)
        }
        return object
    }

    /// Convenience lookup by resource name for test assertions: `store.object("secrets", namespace: "default", name: "x")`.
    public func object(_ resource: String, group: String = "", namespace: String?, name: String) -> JSON? {
        guard let type = resourceType(group: group, resource: resource) else { return nil }
        return try? get(type, namespace: namespace, name: name)
    }

    /// All objects of a type (optionally in one namespace), sorted by namespace/name.
    public func objects(_ resource: String, group: String = "", namespace: String? = nil) -> [JSON] {
        guard let type = resourceType(group: group, resource: resource) else { return [] }
        return (try? list(type, namespace: namespace).items) ?? []
    }

    public struct ListResult: Sendable {
        public var items: [JSON]
        public var resourceVersion: Int
        public var continueToken: String?
        public var remainingItemCount: Int?
    }

    public func list(_ type: ResourceType, namespace: String?, labels: LabelSelector = .everything,
                     fields: FieldSelector = .everything, limit: Int? = nil,
                     continueToken: String? = nil) throws(APIError) -> ListResult {
        var startAfter: String?
        // Every page of a list reports the resourceVersion of its first page, as the API server's
        // continued lists do: a client that watches from it then sees every change made while it paged.
        var firstPageVersion: Int?
        if let continueToken, !continueToken.isEmpty {
            guard let decoded = ContinueToken.decode(continueToken) else {
                throw APIError.badRequest("continue key is not valid: \(continueToken)")
            }
            startAfter = decoded.startAfter
            firstPageVersion = decoded.resourceVersion
        }
        let namespaceFilter = type.namespaced ? namespace : nil
        let (bucket, allKeys, currentVersion) = state.withLock { s in (s.objects[type.key] ?? [:], s.keys(of: type.key), s.resourceVersion) }
        let rv = firstPageVersion ?? currentVersion
        // Keys are sorted, so a namespace is one contiguous range and `continue` is a binary search.
        var lower = 0, upper = allKeys.count
        if let namespaceFilter {
            lower = firstIndex(after: namespaceFilter + "/", in: allKeys, inclusive: true)
            upper = firstIndex(after: namespaceFilter + "0", in: allKeys, inclusive: true)  // '0' follows '/'
        }
        if let startAfter { lower = max(lower, firstIndex(after: startAfter, in: allKeys, inclusive: false)) }
        let keys = lower < upper ? allKeys[lower..<upper] : []
        var items: [JSON] = []
        var lastKey: String?
        var remaining = 0
        for key in keys {
            guard let object = bucket[key], labels.matches(object: object), fields.matches(object: object) else { continue }
            if let limit, limit > 0, items.count >= limit {
                remaining += 1
                continue
            }
            items.append(object)
            lastKey = key
        }
        let more = remaining > 0
        return ListResult(items: items, resourceVersion: rv,
                          continueToken: more ? lastKey.map { ContinueToken.encode(startAfter: $0, resourceVersion: rv) } : nil,
                          remainingItemCount: more ? remaining : nil)
    }

    /// Index of the first key > `key` (or >= with `inclusive`).
    private func firstIndex(after key: String, in sorted: [String], inclusive: Bool) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if inclusive ? sorted[mid] < key : sorted[mid] <= key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: - Writes

    public func create(_ type: ResourceType, namespace: String?, _ object: JSON, dryRun: Bool = false,
                       fieldManager: String? = nil) throws(APIError) -> JSON {
        try state.withLock { (s: inout StoreState) throws(APIError) -> JSON in
            try StoreMutations.create(type, namespace: namespace, object, dryRun: dryRun, fieldManager: fieldManager, in: &s)
        }
    }

    public func update(_ type: ResourceType, namespace: String?, name: String, _ object: JSON,
                       subresource: String? = nil, dryRun: Bool = false) throws(APIError) -> JSON {
        try state.withLock { (s: inout StoreState) throws(APIError) -> JSON in
            try StoreMutations.update(type, namespace: namespace, name: name, object, subresource: subresource,
                                      dryRun: dryRun, in: &s)
        }
    }

    public func patch(_ type: ResourceType, namespace: String?, name: String, contentType: String, body: [UInt8],
                      subresource: String? = nil, dryRun: Bool = false, fieldManager: String? = nil,
                      force: Bool = false) throws(APIError) -> (object: JSON, created: Bool) {
        try state.withLock { (s: inout StoreState) throws(APIError) -> (object: JSON, created: Bool) in
            try StoreMutations.patch(type, namespace: namespace, name: name, contentType: contentType, body: body,
                                     subresource: subresource, dryRun: dryRun, fieldManager: fieldManager, in: &s)
        }
    }

    public func delete(_ type: ResourceType, namespace: String?, name: String,
                       options: DeleteOptions = DeleteOptions()) throws(APIError) -> JSON {
        try state.withLock { (s: inout StoreState) throws(APIError) -> JSON in
            try StoreMutations.delete(type, namespace: namespace, name: name, options: options, in: &s)
        }
    }

    /// Deletes every object of a type matching the selectors (DELETE on a collection).
    public func deleteCollection(_ type: ResourceType, namespace: String?, labels: LabelSelector,
                                 fields: FieldSelector, options: DeleteOptions) throws(APIError) -> [JSON] {
        let items = try list(type, namespace: namespace, labels: labels, fields: fields).items
        var deleted: [JSON] = []
        for item in items {
            guard let name = item[path: ["metadata", "name"]]?.stringValue else { continue }
            if let object = try? delete(type, namespace: item[path: ["metadata", "namespace"]]?.stringValue,
                                        name: name, options: options) {
                deleted.append(object)
            }
        }
        return deleted
    }

    // MARK: - Watch

    /// Opens a watch. Events are JSON lines; the stream ends on `dropWatches`, on `timeout`, or
    /// right after a 410 ERROR event when `resourceVersion` is older than the retained history.
    func watch(_ type: ResourceType, namespace: String?, resourceVersion: String?, labels: LabelSelector,
               fields: FieldSelector, sendInitialEvents: Bool?, bookmarks: Bool, bookmarkInterval: Duration,
               timeout: Duration?, render: @escaping @Sendable (JSON) -> JSON,
               bookmarkObject: @escaping @Sendable (Int) -> JSON) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        let watcher = Watcher(typeKey: type.key, namespace: type.namespaced ? namespace : nil, labels: labels,
                              fields: fields, render: render, continuation: continuation)
        let requested = resourceVersion.flatMap { Int($0) }
        let watcherID: Int? = state.withLock { s in
            if let requested, requested > 0, sendInitialEvents != true {
                if requested < s.compactedResourceVersion {
                    let error = APIError.gone(requested: requested, oldest: s.compactedResourceVersion + 1)
                    let event: JSON = ["type": "ERROR", "object": error.status]
                    continuation.yield(event.serialized() + [UInt8(ascii: "\n")])
                    continuation.finish()
                    return nil
                }
                for event in s.history where event.resourceVersion > requested {
                    if let (kind, object) = watcher.translate(event) { watcher.send(kind, object) }
                }
            } else {
                let bucket = s.objects[type.key] ?? [:]
                for key in bucket.keys.sorted() {
                    if let object = bucket[key], watcher.matches(object) { watcher.send("ADDED", object) }
                }
                if sendInitialEvents == true, bookmarks {
                    var marker = bookmarkObject(s.resourceVersion)
                    marker[path: ["metadata", "annotations"]] = ["k8s.io/initial-events-end": "true"]
                    watcher.send("BOOKMARK", marker)
                }
            }
            let id = s.nextWatcherID
            s.nextWatcherID += 1
            s.watchers[id] = watcher
            return id
        }
        guard let watcherID else { return stream }
        let ticker = Task { [weak self] in
            let clock = ContinuousClock()
            let deadline = timeout.map { clock.now + $0 }
            while !Task.isCancelled {
                var sleep = bookmarks ? bookmarkInterval : .seconds(3600)
                if let deadline { sleep = min(sleep, deadline - clock.now) }
                if sleep > .zero { try? await Task.sleep(for: sleep) }
                guard !Task.isCancelled, let self else { return }
                if let deadline, clock.now >= deadline {
                    self.state.withLock { $0.watchers[watcherID] = nil }
                    continuation.finish()
                    return
                }
                if bookmarks {
                    self.state.withLock { s in
                        if let w = s.watchers[watcherID] { w.send("BOOKMARK", bookmarkObject(s.resourceVersion)) }
                    }
                }
            }
        }
        continuation.onTermination = { [weak self] _ in
            ticker.cancel()
            Task { self?.state.withLock { $0.watchers[watcherID] = nil } }
        }
        return stream
    }

    public var openWatchCount: Int { state.withLock { $0.watchers.count } }

    // MARK: - Fault injection

    /// Forgets all history: watches from any earlier resourceVersion get `410 Gone`.
    public func compactHistory() { state.withLock { $0.compact() } }

    /// Ends every open watch stream (clients see the connection end normally).
    public func dropWatches() { state.withLock { $0.dropWatches() } }

    // MARK: - Types from CRDs

    /// Registers a custom resource type directly (normally done by creating a CRD).
    public func register(_ type: ResourceType) { state.withLock { $0.types[type.key] = type } }
}

/// `DeleteOptions` fields the server honours.
public struct DeleteOptions: Sendable {
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var propagationPolicy: String?
    public var dryRun = false

    public init(preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
                propagationPolicy: String? = nil, dryRun: Bool = false) {
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.propagationPolicy = propagationPolicy
        self.dryRun = dryRun
    }
}

/// Opaque list continuation tokens: base64 of `{"rv":N,"start":"ns/name"}`.
enum ContinueToken {
    static func encode(startAfter: String, resourceVersion: Int) -> String {
        let json: JSON = ["v": "meta.k8s.io/v1", "rv": .number(JSONNumber(resourceVersion)), "start": .string(startAfter)]
        return Base64.encode(json.serialized())
    }

    static func decode(_ token: String) -> (startAfter: String, resourceVersion: Int)? {
        guard let bytes = Base64.decode(token), let json = try? JSON.parse(bytes),
              let start = json["start"]?.stringValue, let rv = json["rv"]?.intValue else { return nil }
        return (start, rv)
    }
}
