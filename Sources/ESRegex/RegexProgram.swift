/// Zero-width assertions checked between two runes.
enum EmptyAssertion: UInt8, Sendable {
    case beginLine, endLine, beginText, endText, wordBoundary, noWordBoundary

    @inline(__always)
    static func isWordRune(_ r: Rune) -> Bool {
        (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5A) || (r >= 0x61 && r <= 0x7A) || r == 0x5F
    }

    /// `before`/`after` are the runes around the position, -1 at the text boundaries.
    @inline(__always)
    func holds(before: Rune, after: Rune) -> Bool {
        switch self {
        case .beginLine: return before == -1 || before == 0x0A
        case .endLine: return after == -1 || after == 0x0A
        case .beginText: return before == -1
        case .endText: return after == -1
        case .wordBoundary: return Self.isWordRune(before) != Self.isWordRune(after)
        case .noWordBoundary: return Self.isWordRune(before) == Self.isWordRune(after)
        }
    }
}

/// One instruction of the Thompson NFA (Go's `syntax.Inst`).
enum Instruction: Sendable {
    case fail
    case match
    case rune(RuneRanges, next: Int)
    case rune1(Rune, next: Int)
    case anyRune(next: Int)
    case anyRuneNotNL(next: Int)
    /// Try `primary` first, then `secondary` (leftmost-first priority).
    case split(primary: Int, secondary: Int)
    case capture(slot: Int, next: Int)
    case assert(EmptyAssertion, next: Int)
    case nop(next: Int)
}

/// A compiled program (instruction 0 always fails; `start` is the entry point) plus facts
/// used to skip ahead in the input, and the same instructions flattened for the matcher.
struct RegexProgram: Sendable {
    let start: Int
    /// Number of capture slots (2 per group, group 0 included).
    let slotCount: Int
    /// True when every match must begin at the start of the text (`^` / `\A` up front).
    let anchoredAtStart: Bool
    /// Bytes a match can start with; nil when any byte (or an empty match) is possible.
    let firstBytes: FirstByteSet?
    /// Bytes every match starts with, when there are at least two.
    let literalPrefix: LiteralPrefix?
    let code: FlatCode

    init(instructions: [Instruction], start: Int, slotCount: Int) {
        self.start = start
        self.slotCount = slotCount
        self.anchoredAtStart = Self.requiresBeginText(instructions, start: start)
        self.firstBytes = FirstByteSet.analyze(instructions, start: start)
        self.literalPrefix = LiteralPrefix.analyze(instructions, start: start)
        self.code = FlatCode(instructions)
    }

    private static func requiresBeginText(_ instructions: [Instruction], start: Int) -> Bool {
        var pc = start
        var steps = 0
        while steps < instructions.count {
            steps += 1
            switch instructions[pc] {
            case .assert(.beginText, _): return true
            case .assert(_, let next), .nop(let next), .capture(_, let next): pc = next
            default: return false
            }
        }
        return false
    }
}

/// The program as parallel arrays in memory that lives as long as this object, so the matcher's
/// inner loop reads it through plain pointers (no reference counting per instruction).
/// Immutable after `init`, hence safe to share between threads.
final class FlatCode: @unchecked Sendable {
    enum Opcode: UInt8 {
        case fail, match, runeClass, rune1, anyRune, anyRuneNotNL, split, capture, assert, nop
    }

    /// Pointer view used by the matcher; valid while the owning `FlatCode` is alive.
    struct View {
        let opcodes: UnsafePointer<Opcode>
        /// next / primary branch.
        let operand0: UnsafePointer<Int32>
        /// secondary branch, capture slot, rune, assertion raw value, or class index.
        let operand1: UnsafePointer<Int32>
        /// All classes' `lo, hi` pairs back to back; class k is pairs[bounds[2k] ..< bounds[2k+1]].
        let classPairs: UnsafePointer<Rune>
        let classBounds: UnsafePointer<Int32>

        @inline(__always)
        func classContains(_ index: Int, _ r: Rune) -> Bool {
            var low = Int(classBounds[2 * index]) / 2
            var high = Int(classBounds[2 * index + 1]) / 2
            while low < high {
                let mid = (low + high) / 2
                if r > classPairs[2 * mid + 1] {
                    low = mid + 1
                } else if r < classPairs[2 * mid] {
                    high = mid
                } else {
                    return true
                }
            }
            return false
        }
    }

    let count: Int
    private let opcodes: UnsafeMutableBufferPointer<Opcode>
    private let operand0: UnsafeMutableBufferPointer<Int32>
    private let operand1: UnsafeMutableBufferPointer<Int32>
    private let classPairs: UnsafeMutableBufferPointer<Rune>
    private let classBounds: UnsafeMutableBufferPointer<Int32>

    init(_ instructions: [Instruction]) {
        var ops: [Opcode] = [], op0: [Int32] = [], op1: [Int32] = []
        var pairs: [Rune] = [], bounds: [Int32] = []
        var classIndex: [RuneRanges: Int32] = [:]   // repeated copies of a class share storage
        ops.reserveCapacity(instructions.count)
        for instruction in instructions {
            let (op, a, b): (Opcode, Int, Int32)
            switch instruction {
            case .fail: (op, a, b) = (.fail, 0, 0)
            case .match: (op, a, b) = (.match, 0, 0)
            case .rune(let ranges, let next):
                if let index = classIndex[ranges] {
                    (op, a, b) = (.runeClass, next, index)
                } else {
                    let index = Int32(bounds.count / 2)
                    classIndex[ranges] = index
                    (op, a, b) = (.runeClass, next, index)
                    bounds.append(Int32(pairs.count))
                    pairs.append(contentsOf: ranges.pairs)
                    bounds.append(Int32(pairs.count))
                }
            case .rune1(let r, let next): (op, a, b) = (.rune1, next, r)
            case .anyRune(let next): (op, a, b) = (.anyRune, next, 0)
            case .anyRuneNotNL(let next): (op, a, b) = (.anyRuneNotNL, next, 0)
            case .split(let primary, let secondary): (op, a, b) = (.split, primary, Int32(secondary))
            case .capture(let slot, let next): (op, a, b) = (.capture, next, Int32(slot))
            case .assert(let assertion, let next): (op, a, b) = (.assert, next, Int32(assertion.rawValue))
            case .nop(let next): (op, a, b) = (.nop, next, 0)
            }
            ops.append(op)
            op0.append(Int32(a))
            op1.append(b)
        }
        count = ops.count
        opcodes = Self.copy(ops)
        operand0 = Self.copy(op0)
        operand1 = Self.copy(op1)
        classPairs = Self.copy(pairs)
        classBounds = Self.copy(bounds)
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return buffer
    }

    deinit {
        opcodes.deallocate()
        operand0.deallocate()
        operand1.deallocate()
        classPairs.deallocate()
        classBounds.deallocate()
    }

    var view: View {
        View(opcodes: UnsafePointer(opcodes.baseAddress!), operand0: UnsafePointer(operand0.baseAddress!),
             operand1: UnsafePointer(operand1.baseAddress!), classPairs: UnsafePointer(classPairs.baseAddress!),
             classBounds: UnsafePointer(classBounds.baseAddress!))
    }
}
