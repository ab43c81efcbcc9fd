/// The literal bytes every match must begin with (e.g. `secret-` in `secret-[a-z]+`), used to jump
/// straight to candidate positions when no match attempt is in progress.
struct LiteralPrefix: Sendable {
    /// Longer prefixes are cut here, bounding the naive search's worst case.
    static let maximumLength = 32

    let bytes: [UInt8]

    /// Follows the program from `start` while it is a straight line of case-sensitive single
    /// runes (captures and no-ops in between are skipped); nil when that yields fewer than 2 bytes.
    static func analyze(_ instructions: [Instruction], start: Int) -> LiteralPrefix? {
        var bytes: [UInt8] = []
        var pc = start
        var steps = 0
        loop: while steps < instructions.count && bytes.count < maximumLength {
            steps += 1
            switch instructions[pc] {
            case .rune1(let r, let next):
                UTF8Decoding.encode(r, into: &bytes)
                pc = next
            case .capture(_, let next), .nop(let next):
                pc = next
            default:
                break loop
            }
        }
        if bytes.count > maximumLength { bytes.removeLast(bytes.count - maximumLength) }
        return bytes.count >= 2 ? LiteralPrefix(bytes: bytes) : nil
    }

    /// First position at or after `from` where the prefix occurs, or nil.
    func firstOccurrence(in input: [UInt8], from: Int) -> Int? {
        let first = bytes[0]
        let count = bytes.count
        var i = from
        let last = input.count - count
        while i <= last {
            if input[i] == first {
                var k = 1
                while k < count && input[i + k] == bytes[k] { k += 1 }
                if k == count { return i }
            }
            i += 1
        }
        return nil
    }
}
