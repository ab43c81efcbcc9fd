/// HTTP header fields in wire order. Lookup by name is ASCII case-insensitive; names keep their spelling.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    public init() { fields = [] }

    /// Empty, with room for `minimumCapacity` fields.
    public init(minimumCapacity: Int) {
        fields = []
        fields.reserveCapacity(minimumCapacity)
    }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    /// The first value for `name`, case-insensitive.
    public subscript(name: String) -> String? {
        for field in fields where HTTPHeaders.namesEqual(field.name, name) { return field.value }
        return nil
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { HTTPHeaders.namesEqual($0.name, name) ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces the first field named `name` (removing any later ones), or appends it.
    public mutating func replaceOrAdd(name: String, value: String) {
        if let first = fields.firstIndex(where: { HTTPHeaders.namesEqual($0.name, name) }) {
            fields[first].value = value
            var index = fields.index(after: first)
            while index < fields.endIndex {
                if HTTPHeaders.namesEqual(fields[index].name, name) { fields.remove(at: index) } else { index += 1 }
            }
        } else {
            fields.append((name: name, value: value))
        }
    }

    public mutating func remove(name: String) {
        fields.removeAll { HTTPHeaders.namesEqual($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

    /// Whether the comma-separated list in any `name` field holds `token` (case-insensitive), e.g. `Connection: close`.
    public func containsToken(_ token: String, in name: String) -> Bool {
        for field in fields where HTTPHeaders.namesEqual(field.name, name) {
            for part in field.value.utf8.split(separator: UInt8(ascii: ",")) {
                if HTTPHeaders.asciiEqualTrimmed(part, token) { return true }
            }
        }
        return false
    }

    /// ASCII case-insensitive comparison without allocating.
    @inlinable
    public static func namesEqual(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        // Native strings: compare their bytes in place.
        let inPlace = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right in
                for i in 0..<left.count where left[i] != right[i] && lowercased(left[i]) != lowercased(right[i]) { return false }
                return true
            }
        }
        if let inPlace, let equal = inPlace { return equal }
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x == y { continue }
                if lowercased(x) != lowercased(y) { return false }
            default: return false
            }
        }
    }

    @inlinable
    static func lowercased(_ c: UInt8) -> UInt8 {
        c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c
    }

    static func asciiEqualTrimmed(_ bytes: String.UTF8View.SubSequence, _ token: String) -> Bool {
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower = bytes.index(after: lower) }
        while upper > lower {
            let before = bytes.index(before: upper)
            if bytes[before] == 0x20 || bytes[before] == 0x09 { upper = before } else { break }
        }
        let trimmed = bytes[lower..<upper]
        guard trimmed.count == token.utf8.count else { return false }
        return zip(trimmed, token.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }
}
