/// A read-only table of the strings in `WellKnownStrings`, looked up by their UTF-8 bytes.
///
/// Field names and the common values of Kubernetes objects make up most of the strings in a
/// document, and the same few hundred recur in every request. Found here, such a string costs a hash
/// of its bytes and one comparison instead of a validated copy (and, past 15 bytes, an allocation);
/// the `String` handed out shares the table's storage. The table never changes after it is built, so
/// every thread reads it without locks.
struct InternedStrings: Sendable {
    static let shared = InternedStrings(WellKnownStrings.all)

    /// Longest string looked up; longer ones are rarely field names and skip the hash.
    static let maximumLength = 48

    private struct Entry: Sendable {
        var hash: UInt64
        var string: String
        var offset: Int   // into `bytes`
        var count: Int
    }

    private let entries: [Entry]
    /// Open addressing: index into `entries`, or -1. The size is a power of two at least twice the count.
    private let slots: [Int32]
    private let mask: Int
    private let bytes: [UInt8]

    init(_ strings: [String]) {
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        var size = 16
        while size < strings.count * 2 { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        for string in Set(strings) where string.utf8.count <= Self.maximumLength {
            let utf8 = Array(string.utf8)
            let hash = utf8.withUnsafeBufferPointer { Self.hash($0) }
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(entries.count)
            entries.append(Entry(hash: hash, string: string, offset: bytes.count, count: utf8.count))
            bytes += utf8
        }
        self.entries = entries
        self.slots = slots
        self.mask = size - 1
        self.bytes = bytes
    }

    /// A multiply-rotate hash over eight bytes at a time (the tail zero-padded), seeded with the length.
    @inline(__always)
    static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = utf8.baseAddress else { return 0 }
        var hash = UInt64(truncatingIfNeeded: utf8.count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset &+ 8 <= utf8.count {
            hash = mix(hash, UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            offset &+= 8
        }
        if offset < utf8.count {
            var tail: UInt64 = 0
            withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + offset, count: utf8.count &- offset)) }
            hash = mix(hash, tail)
        }
        return hash ^ (hash >> 29)
    }

    @inline(__always)
    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let m = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
        return (m << 27) | (m >> 37)
    }

    /// The table's string with exactly these bytes, if any.
    func string(for utf8: UnsafeBufferPointer<UInt8>) -> String? {
        guard utf8.count <= Self.maximumLength else { return nil }
        let hash = Self.hash(utf8)
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                bytes.withUnsafeBufferPointer { bytes in
                    while true {
                        let index = Int(slots[slot])
                        if index < 0 { return nil }
                        let entry = entries[index]
                        if entry.hash == hash, entry.count == utf8.count,
                           utf8.count == 0 || memoryEqual(bytes.baseAddress! + entry.offset, utf8.baseAddress!, utf8.count) {
                            return entry.string
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }
}

@inline(__always)
private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i &+ 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i &+= 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i &+= 1
    }
    return true
}
