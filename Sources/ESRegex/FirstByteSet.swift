/// The set of bytes that can begin a match, used to skip input where no match can start.
struct FirstByteSet: Sendable {
    private var bits: [UInt64] = [0, 0, 0, 0]

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        bits[Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0
    }

    private mutating func insert(_ byte: Int) {
        bits[byte >> 6] |= 1 << UInt64(byte & 63)
    }

    private mutating func insertRange(_ lo: Int, _ hi: Int) {
        guard lo <= hi else { return }
        for b in lo...hi { insert(b) }
    }

    /// First UTF-8 byte of a rune.
    private static func leadByte(_ r: Rune) -> Int {
        switch r {
        case ..<0x80: return Int(r)
        case ..<0x800: return 0xC0 | Int(r >> 6)
        case ..<0x10000: return 0xE0 | Int(r >> 12)
        default: return 0xF0 | Int(r >> 18)
        }
    }

    private mutating func insertRunes(_ lo: Rune, _ hi: Rune) {
        // Lead bytes grow with the rune value, so a rune range maps onto a lead-byte range.
        insertRange(Self.leadByte(lo), Self.leadByte(hi))
        // An invalid byte decodes as U+FFFD; it can be any non-ASCII byte.
        if lo <= UTF8Decoding.runeError && UTF8Decoding.runeError <= hi { insertRange(0x80, 0xFF) }
    }

    /// Explores the empty transitions from `start`; nil if a match is reachable without
    /// consuming input or if any byte could start one.
    static func analyze(_ instructions: [Instruction], start: Int) -> FirstByteSet? {
        var set = FirstByteSet()
        var seen = Set<Int>()
        var pending = [start]
        while let pc = pending.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .fail: break
            case .match, .anyRune, .anyRuneNotNL: return nil
            case .rune(let ranges, _):
                let pairs = ranges.pairs
                var i = 0
                while i < pairs.count {
                    set.insertRunes(pairs[i], pairs[i + 1])
                    i += 2
                }
            case .rune1(let r, _): set.insertRunes(r, r)
            case .split(let primary, let secondary): pending.append(primary); pending.append(secondary)
            case .capture(_, let next), .assert(_, let next), .nop(let next): pending.append(next)
            }
        }
        let covered = set.bits.reduce(0) { $0 + $1.nonzeroBitCount }
        return covered >= 200 ? nil : set
    }
}
