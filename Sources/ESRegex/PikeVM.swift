/// Thompson-NFA simulation with capture tracking (Go's `regexp` "machine", RE2's Pike VM).
/// Runs in O(len(input) × len(program)) time with leftmost-first (Perl-like) priorities.
struct PikeVM {
    /// Threads alive at one input position, in priority order; a sparse set keyed by pc.
    private struct ThreadList {
        var sparse: [Int32]
        var densePC: [Int32]
        var denseCaps: [Int32]   // offset into `caps`, or -1 for instructions that carry no thread
        var count = 0
        var caps: [Int] = []

        init(size: Int) {
            sparse = Array(repeating: 0, count: size)
            densePC = Array(repeating: 0, count: size)
            denseCaps = Array(repeating: -1, count: size)
        }

        @inline(__always)
        func contains(_ pc: Int) -> Bool {
            let d = Int(sparse[pc])
            return d < count && Int(densePC[d]) == pc
        }

        @inline(__always)
        mutating func insert(_ pc: Int) -> Int {
            let d = count
            sparse[pc] = Int32(d)
            densePC[d] = Int32(pc)
            denseCaps[d] = -1
            count += 1
            return d
        }

        mutating func clear() {
            count = 0
            caps.removeAll(keepingCapacity: true)
        }
    }

    /// Work stack entry of `add`: a pc to explore, or (when `slot >= 0`) a capture slot to restore.
    private struct Frame {
        var pc: Int32
        var slot: Int32
        var value: Int
    }

    private let program: RegexProgram
    /// Pointers into `program.code`, which `program` keeps alive.
    private let code: FlatCode.View
    private let input: [UInt8]
    private let slotCount: Int
    private var current: ThreadList
    private var next: ThreadList
    private var stack: [Frame] = []
    private var scratch: [Int]

    /// `slotCount` is how many capture positions the caller wants: 0 to learn only whether
    /// there is a match (no positions tracked), otherwise at least 2 (the whole match).
    init(program: RegexProgram, input: [UInt8], slotCount: Int) {
        self.program = program
        self.code = program.code.view
        self.input = input
        self.slotCount = slotCount <= 0 ? 0 : max(2, min(slotCount, program.slotCount))
        let size = program.code.count
        current = ThreadList(size: size)
        next = ThreadList(size: size)
        scratch = Array(repeating: -1, count: self.slotCount)
    }

    @inline(__always)
    private func decodeRune(at position: Int) -> (Rune, Int) {
        if position >= input.count { return (-1, 0) }
        let (r, width, _) = UTF8Decoding.decode(input, at: position)
        return (r, width)
    }

    /// Follows empty transitions from `pc0` at `position`, adding every reachable thread to `list`.
    @inline(__always)
    private func add(_ list: inout ThreadList, _ pc0: Int, position: Int, caps: inout [Int],
                     stack: inout [Frame], before: Rune, after: Rune) {
        let opcodes = code.opcodes, operand0 = code.operand0, operand1 = code.operand1
        stack.append(Frame(pc: Int32(pc0), slot: -1, value: 0))
        while let frame = stack.popLast() {
            if frame.slot >= 0 {
                caps[Int(frame.slot)] = frame.value
                continue
            }
            let pc = Int(frame.pc)
            if list.contains(pc) { continue }
            let d = list.insert(pc)
            switch opcodes[pc] {
            case .fail:
                break
            case .split:
                stack.append(Frame(pc: operand1[pc], slot: -1, value: 0))
                stack.append(Frame(pc: operand0[pc], slot: -1, value: 0))
            case .nop:
                stack.append(Frame(pc: operand0[pc], slot: -1, value: 0))
            case .assert:
                if let assertion = EmptyAssertion(rawValue: UInt8(truncatingIfNeeded: operand1[pc])),
                   assertion.holds(before: before, after: after) {
                    stack.append(Frame(pc: operand0[pc], slot: -1, value: 0))
                }
            case .capture:
                let slot = Int(operand1[pc])
                if slot < slotCount {
                    stack.append(Frame(pc: 0, slot: Int32(slot), value: caps[slot]))
                    caps[slot] = position
                }
                stack.append(Frame(pc: operand0[pc], slot: -1, value: 0))
            case .match, .runeClass, .rune1, .anyRune, .anyRuneNotNL:
                list.denseCaps[d] = Int32(list.caps.count)
                if slotCount > 0 { list.caps.append(contentsOf: caps) }
            }
        }
    }

    /// Searches for the leftmost-first match starting at or after `start`.
    /// Returns the capture slots (-1 for groups that did not participate; empty when the
    /// matcher tracks no positions), or nil.
    /// With `stopAtFirstMatch`, returns as soon as any match is known (positions may be incomplete).
    mutating func search(from start: Int, stopAtFirstMatch: Bool = false) -> [Int]? {
        if start > input.count { return nil }
        if program.anchoredAtStart && start != 0 { return nil }
        // Work on locals so `add` can borrow them while reading `self`.
        var current = ThreadList(size: 0), next = ThreadList(size: 0)
        var stack: [Frame] = [], scratch: [Int] = []
        swap(&current, &self.current)
        swap(&next, &self.next)
        swap(&stack, &self.stack)
        swap(&scratch, &self.scratch)
        defer {
            swap(&current, &self.current)
            swap(&next, &self.next)
            swap(&stack, &self.stack)
            swap(&scratch, &self.scratch)
        }
        current.clear()
        next.clear()

        let opcodes = code.opcodes, operand0 = code.operand0, operand1 = code.operand1
        let anchored = program.anchoredAtStart
        let firstBytes = program.firstBytes
        let literalPrefix = program.literalPrefix
        var matched: [Int]? = nil
        var position = start
        var previous = UTF8Decoding.decodeLast(input, before: start)
        var (rune, width) = decodeRune(at: position)

        while true {
            if current.count == 0 {
                if matched != nil { break }
                if anchored && position != 0 { break }
                if !anchored, literalPrefix != nil || firstBytes != nil {
                    // No thread alive: jump to the next position where a match can begin.
                    var candidate = position
                    if let literalPrefix {
                        guard let found = literalPrefix.firstOccurrence(in: input, from: position) else { break }
                        candidate = found
                    } else if let firstBytes {
                        while candidate < input.count && !firstBytes.contains(input[candidate]) { candidate += 1 }
                        if candidate >= input.count { break }
                    }
                    if candidate != position {
                        position = candidate
                        previous = UTF8Decoding.decodeLast(input, before: position)
                        (rune, width) = decodeRune(at: position)
                    }
                }
            }
            if matched == nil && (!anchored || position == 0) {
                for k in 0..<slotCount { scratch[k] = -1 }
                if slotCount > 0 { scratch[0] = position }
                add(&current, program.start, position: position, caps: &scratch, stack: &stack,
                    before: previous, after: rune)
            }
            let nextPosition = position + width
            let (nextRune, nextWidth) = width == 0 ? (-1, 0) : decodeRune(at: nextPosition)
            var j = 0
            stepLoop: while j < current.count {
                let offset = Int(current.denseCaps[j])
                let pc = Int(current.densePC[j])
                j += 1
                if offset < 0 { continue }
                switch opcodes[pc] {
                case .match:
                    var caps = Array(current.caps[offset..<(offset + slotCount)])
                    if slotCount > 0 { caps[1] = position }
                    matched = caps
                    if stopAtFirstMatch { return caps }
                    break stepLoop
                case .rune1:
                    if rune != operand1[pc] { continue }
                case .runeClass:
                    if rune < 0 || !code.classContains(Int(operand1[pc]), rune) { continue }
                case .anyRune:
                    if rune < 0 { continue }
                case .anyRuneNotNL:
                    if rune < 0 || rune == 0x0A { continue }
                default:
                    continue
                }
                for k in 0..<slotCount { scratch[k] = current.caps[offset + k] }
                add(&next, Int(operand0[pc]), position: nextPosition, caps: &scratch, stack: &stack,
                    before: rune, after: nextRune)
            }
            current.clear()
            swap(&current, &next)
            if width == 0 { break }
            position = nextPosition
            previous = rune
            rune = nextRune
            width = nextWidth
        }
        return matched
    }
}
