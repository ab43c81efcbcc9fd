/// A JSON object that remembers the order its keys arrived in. Lookups are linear, which beats
/// hashing for the small objects Kubernetes manifests are made of; it stays correct for large ones.
public struct JSONObject: Sendable, Equatable, Sequence {
    public typealias Element = (key: String, value: JSON)

    /// One member. A struct rather than a tuple: arrays of it are copied and destroyed by
    /// compiler-generated code instead of the runtime's generic tuple witnesses.
    @usableFromInline
    struct Member: Sendable {
        @usableFromInline var key: String
        @usableFromInline var value: JSON

        @inlinable init(key: String, value: JSON) {
            self.key = key
            self.value = value
        }
    }

    @usableFromInline var members: [Member]

    public init() { members = [] }
    public init(minimumCapacity: Int) { members = []; members.reserveCapacity(minimumCapacity) }
    public init(_ pairs: [(String, JSON)]) {
        members = []
        members.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// Members known to have distinct keys (the parser de-duplicates as it goes).
    init(uniqueMembers: [Member]) { members = uniqueMembers }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }
    public var values: [JSON] { members.map(\.value) }

    /// Key equality with the cheap length check first: most keys compared during a lookup differ in
    /// length, and that test avoids the general string comparison.
    @inlinable @inline(__always)
    static func sameKey(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    @inlinable
    public func index(forKey key: String) -> Int? {
        members.firstIndex(where: { Self.sameKey($0.key, key) })
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
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let i = index(forKey: key) else { return nil }
        return members.remove(at: i).value
    }

    public struct Iterator: IteratorProtocol {
        @usableFromInline var base: IndexingIterator<[Member]>

        @inlinable
        public mutating func next() -> Element? {
            guard let member = base.next() else { return nil }
            return (member.key, member.value)
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: members.makeIterator()) }

    public var underestimatedCount: Int { members.count }

    /// Members sorted by key (Go's encoding of maps sorts keys).
    public var sortedByKey: [Element] { members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }
}
