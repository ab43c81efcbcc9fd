import ESJSON

/// The informer's local cache: objects by "namespace/name", plus an index by label key and value.
struct InformerStore {
    private(set) var objects: [String: JSON] = [:]
    private var labelIndex: [String: [String: Set<String>]] = [:]

    static func key(of object: JSON) -> String {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        return namespace.isEmpty ? name : "\(namespace)/\(name)"
    }

    static func key(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }

    /// Inserts or replaces; returns the previous object.
    @discardableResult
    mutating func upsert(_ object: JSON) -> JSON? {
        let key = Self.key(of: object)
        let previous = objects.updateValue(object, forKey: key)
        if let previous { unindex(previous, key: key) }
        index(object, key: key)
        return previous
    }

    @discardableResult
    mutating func remove(key: String) -> JSON? {
        guard let previous = objects.removeValue(forKey: key) else { return nil }
        unindex(previous, key: key)
        return previous
    }

    func keys(label: String, value: String) -> Set<String> { labelIndex[label]?[value] ?? [] }

    private mutating func index(_ object: JSON, key: String) {
        for (label, value) in object[path: ["metadata", "labels"]]?.objectValue ?? JSONObject() {
            guard let value = value.stringValue else { continue }
            labelIndex[label, default: [:]][value, default: []].insert(key)
        }
    }

    private mutating func unindex(_ object: JSON, key: String) {
        for (label, value) in object[path: ["metadata", "labels"]]?.objectValue ?? JSONObject() {
            guard let value = value.stringValue else { continue }
            labelIndex[label]?[value]?.remove(key)
            if labelIndex[label]?[value]?.isEmpty == true { labelIndex[label]?[value] = nil }
        }
    }
}
