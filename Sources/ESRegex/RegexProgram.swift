/// Zero-width assertions checked between two runes.
enum EmptyAssertion: Sendable {
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

/// A compiled program (instruction 0 always fails; `start` is the entry point), flattened into
/// parallel arrays for the matcher, plus facts used to skip ahead in the input.
struct RegexProgram: Sendable {
    enum Opcode: UInt8, Sendable {
        case fail, match, runeClass, rune1, anyRune, anyRuneNotNL, split, capture, assert, nop
    }

    let instructions: [Instruction]
    let start: Int
    /// Number of capture slots (2 per group, group 0 included).
    let slotCount: Int
    /// True when every match must begin at the start of the text (`^` / `\A` up front).
    let anchoredAtStart: Bool
    /// Bytes a match can start with; nil when any byte (or an empty match) is possible.
    let firstBytes: FirstByteSet?

    // Flattened form: for each instruction, its opcode and two integer operands
    // (next/primary, and secondary/slot/rune/assertion/class index).
    let opcodes: [Opcode]
    let operand0: [Int32]
    let operand1: [Int32]
    let classes: [RuneRanges]
    let assertions: [EmptyAssertion]

    init(instructions: [Instruction], start: Int, slotCount: Int) {
        self.instructions = instructions
        self.start = start
        self.slotCount = slotCount
        var opcodes: [Opcode] = [], operand0: [Int32] = [], operand1: [Int32] = []
        var classes: [RuneRanges] = []
        var assertions: [EmptyAssertion] = []
        for instruction in instructions {
            switch instruction {
            case .fail: opcodes.append(.fail); operand0.append(0); operand1.append(0)
            case .match: opcodes.append(.match); operand0.append(0); operand1.append(0)
            case .rune(let ranges, let next):
                opcodes.append(.runeClass); operand0.append(Int32(next)); operand1.append(Int32(classes.count))
                classes.append(ranges)
            case .rune1(let r, let next): opcodes.append(.rune1); operand0.append(Int32(next)); operand1.append(r)
            case .anyRune(let next): opcodes.append(.anyRune); operand0.append(Int32(next)); operand1.append(0)
            case .anyRuneNotNL(let next): opcodes.append(.anyRuneNotNL); operand0.append(Int32(next)); operand1.append(0)
            case .split(let primary, let secondary):
                opcodes.append(.split); operand0.append(Int32(primary)); operand1.append(Int32(secondary))
            case .capture(let slot, let next): opcodes.append(.capture); operand0.append(Int32(next)); operand1.append(Int32(slot))
            case .assert(let assertion, let next):
                opcodes.append(.assert); operand0.append(Int32(next)); operand1.append(Int32(assertions.count))
                assertions.append(assertion)
            case .nop(let next): opcodes.append(.nop); operand0.append(Int32(next)); operand1.append(0)
            }
        }
        self.opcodes = opcodes
        self.operand0 = operand0
        self.operand1 = operand1
        self.classes = classes
        self.assertions = assertions
        self.anchoredAtStart = Self.requiresBeginText(instructions, start: start)
        self.firstBytes = FirstByteSet.analyze(instructions, start: start)
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
