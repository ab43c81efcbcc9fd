import ESJSON

/// One change, kept for watches that resume from an older resourceVersion.
struct HistoryEvent: Sendable {
    var resourceVersion: Int
    var typeKey: String
    var type: String          // ADDED, MODIFIED, DELETED
    var object: JSON
    var previous: JSON?
}

/// An open watch connection.
struct Watcher {
    var typeKey: String
    var namespace: String?
    var labels: LabelSelector
    var fields: FieldSelector
    var render: @Sendable (JSON) -> JSON
    var continuation: AsyncStream<[UInt8]>.Continuation

    func matches(_ object: JSON) -> Bool {
        if let namespace, object[path: ["metadata", "namespace"]]?.stringValue != namespace { return false }
        return labels.matches(object: object) && fields.matches(object: object)
    }

    /// The event this watcher sees for a change, or nil when it is filtered out. A modification
    /// that moves an object into or out of the selection becomes ADDED or DELETED, as in the real server.
    func translate(_ event: HistoryEvent) -> (String, JSON)? {
        guard event.typeKey == typeKey else { return nil }
        let now = matches(event.object)
        switch event.type {
        case "MODIFIED":
            let before = event.previous.map(matches) ?? now
            switch (before, now) {
            case (true, true): return ("MODIFIED", event.object)
            case (false, true): return ("ADDED", event.object)
            case (true, false): return ("DELETED", event.object)
            case (false, false): return nil
            }
        default:
            return now ? (event.type, event.object) : nil
        }
    }

    @discardableResult
    func send(_ type: String, _ object: JSON) -> Bool {
        let event: JSON = ["type": .string(type), "object": render(object)]
        var bytes = event.serialized()
        bytes.append(UInt8(ascii: "\n"))
        if case .terminated = continuation.yield(bytes) { return false }
        return true
    }
}

/// Everything the store holds, guarded by one lock.
struct StoreState {
    var types: [String: ResourceType] = [:]
    var objects: [String: [String: JSON]] = [:]
    /// Sorted "namespace/name" keys per type, rebuilt lazily after inserts and removals.
    var sortedKeys: [String: [String]] = [:]
    var resourceVersion = 1
    var history: [HistoryEvent] = []
    /// Watches may resume from any resourceVersion >= this one.
    var compactedResourceVersion = 1
    var historyLimit: Int
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 1
    var uidCounter = 0

    init(historyLimit: Int) { self.historyLimit = historyLimit }

    static func objectKey(namespace: String?, name: String) -> String {
        "\(namespace ?? "")/\(name)"
    }

    /// Sorted keys of a type's objects (cached until the key set changes).
    mutating func keys(of typeKey: String) -> [String] {
        if let cached = sortedKeys[typeKey] { return cached }
        let keys = (objects[typeKey] ?? [:]).keys.sorted()
        sortedKeys[typeKey] = keys
        return keys
    }

    mutating func nextResourceVersion() -> Int {
        resourceVersion += 1
        return resourceVersion
    }

    mutating func newUID() -> String {
        uidCounter += 1
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4).map { _ in String(generator.next() as UInt32, radix: 16) }
        let hex = random.map { String(repeating: "0", count: 8 - $0.count) + $0 }.joined()
        let chars = Array(hex)
        return "\(String(chars[0..<8]))-\(String(chars[8..<12]))-4\(String(chars[13..<16]))-a\(String(chars[17..<20]))-\(String(chars[20..<32]))"
    }

    /// Records a change and fans it out to every matching watch.
    mutating func emit(_ type: String, typeKey: String, object: JSON, previous: JSON?) {
        let event = HistoryEvent(resourceVersion: resourceVersion, typeKey: typeKey, type: type, object: object,
                                 previous: previous)
        history.append(event)
        if history.count > historyLimit {
            let drop = history.count - historyLimit / 2
            compactedResourceVersion = history[drop - 1].resourceVersion
            history.removeFirst(drop)
        }
        var gone: [Int] = []
        for (id, watcher) in watchers {
            guard let (kind, obj) = watcher.translate(event) else { continue }
            if !watcher.send(kind, obj) { gone.append(id) }
        }
        for id in gone { watchers[id] = nil }
    }

    mutating func compact() {
        history.removeAll()
        compactedResourceVersion = resourceVersion
    }

    mutating func dropWatches() {
        let all = watchers
        watchers.removeAll()
        for (_, watcher) in all { watcher.continuation.finish() }
    }
}
