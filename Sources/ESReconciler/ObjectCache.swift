import ESJSON

/// The informer's store of objects by key. Objects are kept in `CompactJSON` form in exactly-sized
/// buffers (a parsed tree costs several times its text in memory; the compact form is about a
/// quarter of the text) and decoded on read.
///
/// The optional label index maps a hash of `namespace/value` to the keys carrying that label value:
/// no copy of the (often long) label value is kept, and a lookup decodes the candidates and keeps
/// only those whose label really matches, so a hash collision costs a decode, never a wrong answer.
actor ObjectCache {
    struct Entry {
        var bytes: [UInt8]
        var resourceVersion: String
        var indexHash: Int?
        var object: JSON? { CompactJSON.decode(bytes) }
    }

    /// One index slot: almost always a single key.
    enum Slot {
        case one(String)
        case many(Set<String>)

        var keys: [String] {
            switch self {
            case .one(let key): return [key]
            case .many(let keys): return Array(keys)
            }
        }
    }

    private var objects: [String: Entry] = [:]
    private var index: [Int: Slot] = [:]
    private(set) var synced = false
    let indexLabel: String?
    let transform: @Sendable (inout JSON) -> Void

    init(indexLabel: String?, transform: @escaping @Sendable (inout JSON) -> Void = { _ in }) {
        self.indexLabel = indexLabel
        self.transform = transform
    }

    static func key(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "/" + name
    }

    static func key(of object: JSON) -> String {
        key(namespace: object[path: ["metadata", "namespace"]]?.stringValue,
            name: object[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    static func indexHash(namespace: String, value: String) -> Int {
        var hasher = Hasher()
        hasher.combine(namespace)
        hasher.combine(value)
        return hasher.finalize()
    }

    var count: Int { objects.count }

    func get(_ key: String) -> JSON? { objects[key]?.object }
    func contains(_ key: String) -> Bool { objects[key] != nil }
    func keys() -> [String] { Array(objects.keys) }

    /// The encoded objects (shared buffers, no copies): callers decode one at a time.
    func allEncoded() -> [[UInt8]] { objects.values.map(\.bytes) }

    func markSynced() { synced = true }

    func indexed(namespace: String, value: String) -> [JSON] {
        guard let label = indexLabel, let slot = index[Self.indexHash(namespace: namespace, value: value)] else { return [] }
        return slot.keys.compactMap { objects[$0]?.object }.filter {
            $0[path: ["metadata", "labels", label]]?.stringValue == value
                && ($0[path: ["metadata", "namespace"]]?.stringValue ?? "") == namespace
        }
    }

    private func indexHash(of object: JSON) -> Int? {
        guard let label = indexLabel, let value = object[path: ["metadata", "labels", label]]?.stringValue else { return nil }
        return Self.indexHash(namespace: object[path: ["metadata", "namespace"]]?.stringValue ?? "", value: value)
    }

    private func addToIndex(_ key: String, _ hash: Int) {
        switch index[hash] {
        case nil: index[hash] = .one(key)
        case .one(let other) where other == key: break
        case .one(let other): index[hash] = .many([other, key])
        case .many(var keys):
            index[hash] = nil
            keys.insert(key)
            index[hash] = .many(keys)
        }
    }

    private func removeFromIndex(_ key: String, _ entry: Entry) {
        guard let hash = entry.indexHash else { return }
        switch index[hash] {
        case .one(let other) where other == key: index[hash] = nil
        case .many(var keys):
            index[hash] = nil
            keys.remove(key)
            if keys.count == 1, let last = keys.first { index[hash] = .one(last) } else if !keys.isEmpty { index[hash] = .many(keys) }
        default: break
        }
    }

    /// Caches `incoming` (after the transform); returns the change to report, nil when the cached
    /// object already has this resourceVersion.
    func upsert(_ incoming: JSON) -> ResourceInformer.Change? {
        let key = Self.key(of: incoming)
        let resourceVersion = incoming[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if let old = objects[key], old.resourceVersion == resourceVersion, !resourceVersion.isEmpty { return nil }
        var object = incoming
        transform(&object)
        let entry = Entry(bytes: CompactJSON.encode(object), resourceVersion: resourceVersion,
                          indexHash: indexHash(of: object))
        let old = objects.updateValue(entry, forKey: key)
        if let old { removeFromIndex(key, old) }
        if let hash = entry.indexHash { addToIndex(key, hash) }
        guard let old else { return .added(object) }
        if old.resourceVersion == resourceVersion { return nil }
        guard let oldObject = old.object else { return .added(object) }
        return .updated(old: oldObject, new: object)
    }

    func remove(_ object: JSON) -> ResourceInformer.Change? {
        let key = Self.key(of: object)
        guard let old = objects.removeValue(forKey: key) else { return nil }
        removeFromIndex(key, old)
        return .deleted(old.object ?? object)
    }

    func remove(key: String) -> ResourceInformer.Change? {
        guard let old = objects.removeValue(forKey: key) else { return nil }
        removeFromIndex(key, old)
        guard let object = old.object else { return nil }
        return .deleted(object)
    }

    /// A copy without the growth slack of the buffer it was serialized into.
    static func exactlySized(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.capacity > bytes.count else { return bytes }
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            _ = buffer.initialize(from: bytes)
            initialized = bytes.count
        }
    }
}
