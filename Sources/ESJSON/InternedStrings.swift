/// A read-only table of the strings in `WellKnownStrings`, looked up by their UTF-8 bytes.
///
/// Field names and the common values of Kubernetes objects make up most of the strings in a
/// document, and the same few hundred recur in every request. Found here, such a string costs a hash
/// of its bytes and a comparison of two words instead of a validated copy (and, past 15 bytes, an
/// allocation); the `String` handed out shares the table's storage. The table is built once, lives
/// as long as the process and never changes, so every thread reads it without locks, and it is kept in
/// plain memory so a lookup neither retains nor copies anything.
struct InternedStrings: @unchecked Sendable {
    static let shared = InternedStrings(WellKnownStrings.all)

    /// Longest string looked up; longer ones are rarely field names and skip the hash.
    static let maximumLength = 48

    /// Everything a comparison reads, kept apart from the strings (copying a key with its string
    /// would retain and release it).
    private struct Key {
        var hash: UInt64
        /// The first sixteen bytes, zero-padded: most keys compare in two word comparisons.
        var head0: UInt64
        var head1: UInt64
        var count: Int
        /// Where bytes past the sixteenth start in `tails`.
        var tailOffset: Int
    }

    private let keys: UnsafePointer<Key>
    private let strings: UnsafePointer<String>
    /// Open addressing: index into `keys` and `strings`, or -1. The size is a power of two at least twice the count.
    private let slots: UnsafePointer<Int32>
    private let mask: Int
    private let tails: UnsafePointer<UInt8>

    init(_ strings: [String]) {
        var keys: [Key] = []
        var kept: [String] = []
        var tails: [UInt8] = []
        var size = 16
        while size < strings.count * 2 { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        for string in Set(strings) where string.utf8.count <= Self.maximumLength {
            let utf8 = Array(string.utf8)
            let (hash, head0, head1) = utf8.withUnsafeBufferPointer { buffer in
                (Self.hash(buffer.baseAddress!, count: buffer.count, readable: buffer.count),
                 Self.word(buffer.baseAddress!, count: min(8, buffer.count), readable: buffer.count),
                 buffer.count > 8 ? Self.word(buffer.baseAddress! + 8, count: min(8, buffer.count - 8), readable: buffer.count - 8) : 0)
            }
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(keys.count)
            keys.append(Key(hash: hash, head0: head0, head1: head1, count: utf8.count, tailOffset: tails.count))
            kept.append(string)
            if utf8.count > 16 { tails += utf8[16...] }
        }
        self.keys = Self.permanent(keys)
        self.strings = Self.permanent(kept)
        self.slots = Self.permanent(slots)
        self.mask = size - 1
        self.tails = Self.permanent(tails + [0])
    }

    /// A copy of `array` that is never freed (the tables live as long as the process).
    private static func permanent<T>(_ array: [T]) -> UnsafePointer<T> {
        let copy = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
        copy.initialize(from: array, count: array.count)
        return UnsafePointer(copy)
    }

    /// The first `count` (at most 8) bytes at `p` as a little-endian word, zero-padded. `readable` is
    /// how many bytes from `p` may be read: with 8 or more, one load and a mask.
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>, count: Int, readable: Int) -> UInt64 {
        if readable >= 8 {
            let whole = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
            return count >= 8 ? whole : whole & ((1 &<< (UInt64(truncatingIfNeeded: count) &* 8)) &- 1)
        }
        var word: UInt64 = 0
        var i = 0
        while i < count {
            word |= UInt64(p[i]) &<< (UInt64(truncatingIfNeeded: i) &* 8)
            i &+= 1
        }
        return word
    }

    /// A multiply-rotate hash over eight bytes at a time, seeded with the length.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, count: Int, readable: Int) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        repeat {
            let word = word(p + offset, count: min(8, count &- offset), readable: readable &- offset)
            let m = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash = (m &<< 27) | (m &>> 37)
            offset &+= 8
        } while offset < count
        return hash ^ (hash &>> 29)
    }

    /// The table's string with exactly the `count` bytes at `p`, if any; `readable` (at least `count`)
    /// is how many bytes from `p` may be read.
    @inline(__always)
    func string(at p: UnsafePointer<UInt8>, count: Int, readable: Int) -> String? {
        guard count <= Self.maximumLength else { return nil }
        let hash = Self.hash(p, count: count, readable: readable)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let key = keys + index
            if key.pointee.hash == hash, key.pointee.count == count, matches(key, p, count, readable) {
                return strings[index]
            }
            slot = (slot &+ 1) & mask
        }
    }

    @inline(__always)
    private func matches(_ entry: UnsafePointer<Key>, _ p: UnsafePointer<UInt8>, _ count: Int, _ readable: Int) -> Bool {
        guard entry.pointee.head0 == Self.word(p, count: min(8, count), readable: readable) else { return false }
        if count <= 8 { return true }
        guard entry.pointee.head1 == Self.word(p + 8, count: min(8, count &- 8), readable: readable &- 8) else { return false }
        if count <= 16 { return true }
        let tail = tails + entry.pointee.tailOffset
        var i = 16
        while i < count {
            if tail[i &- 16] != p[i] { return false }
            i &+= 1
        }
        return true
    }
}

extension InternedStrings {
    /// Lookup by a buffer holding exactly the string's bytes (tests and callers without a document).
    func string(for utf8: UnsafeBufferPointer<UInt8>) -> String? {
        guard let base = utf8.baseAddress else {
            var zero: UInt8 = 0
            return withUnsafePointer(to: &zero) { string(at: $0, count: 0, readable: 0) }
        }
        return string(at: base, count: utf8.count, readable: utf8.count)
    }
}
