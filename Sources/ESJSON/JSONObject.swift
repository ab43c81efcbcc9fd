/// A JSON object that remembers the order its keys arrived in. Lookups are linear, which beats
/// hashing for the small objects Kubernetes manifests are made of; it stays correct for large ones.
public struct JSONObject: Sendable, Equatable, Sequence {
    public typealias Element = (key: String, value: JSON)

    @usableFromInline var members: [Element]

    public init() { members = [] }
    public init(minimumCapacity: Int) { members = []; members.reserveCapacity(minimumCapacity) }
    public init(_ pairs: [(String, JSON)]) {
        members = []
        members.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }
    public var values: [JSON] { members.map(\.value) }

    @inlinable
    public func index(forKey key: String) -> Int? {
        members.firstIndex(where: { $0.key == key })
    }

    public subscript(key: String) -> JSON? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return members[i].value
        }
        set {
            if let i = index(forKey: key) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// Appends without checking for an existing key; the parser uses it, then de-duplicates.
    mutating func appendUnchecked(_ key: String, _ value: JSON) { members.append((key, value)) }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let i = index(forKey: key) else { return nil }
        return members.remove(at: i).value
    }

    public func makeIterator() -> IndexingIterator<[Element]> { members.makeIterator() }

    /// Members sorted by key (Go's encoding of maps sorts keys).
    public var sortedByKey: [Element] { members.sorted { $0.key < $1.key } }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in lhs.members {
            guard let other = rhs[k], other == v else { return false }
        }
        return true
    }
}
