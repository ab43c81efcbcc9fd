/// Repetition operators, groups and flag settings of the Go RE2 parser.
extension RegexParser {
    // MARK: - Repetition

    enum RepeatKind {
        case star, plus, quest
        case counted(Int, Int)
    }

    mutating func applyRepeat(_ kind: RepeatKind, before: Int, after start: Int,
                                      lastRepeat: Int?) throws(GoRegexError) -> Int {
        var after = start
        var nonGreedy = flags.contains(.nonGreedy)
        if byte(after) == UInt8(ascii: "?") {
            after += 1
            nonGreedy.toggle()
        }
        if let lastRepeat {
            throw error(.invalidRepeatOp, lastRepeat, after)
        }
        guard let top = stack.last, case .node(let sub) = top.item else {
            throw error(.missingRepeatArgument, before, after)
        }
        let node: RegexNode
        switch kind {
        case .star: node = .star(sub, nonGreedy: nonGreedy)
        case .plus: node = .plus(sub, nonGreedy: nonGreedy)
        case .quest: node = .quest(sub, nonGreedy: nonGreedy)
        case .counted(let min, let max): node = .repeat(sub, min: min, max: max, nonGreedy: nonGreedy)
        }
        stack.removeLast()
        try pushNode(node, children: [top])
        if case .counted(let min, let max) = kind, min >= 2 || max >= 2, !node.repeatIsValid(RegexLimits.maxRepeat) {
            throw error(.invalidRepeatSize, before, after)
        }
        return after
    }

    /// `{n}`, `{n,}`, `{n,m}` at `i`; nil when not of that form (then `{` is a literal).
    /// Returns min == -1 when a number is too large.
    func parseRepeat(_ i: Int) -> (Int, Int, Int)? {
        var j = i + 1
        guard let (minValue, afterMin) = parseInt(j) else { return nil }
        var min = minValue
        j = afterMin
        guard j < p.count else { return nil }
        var max: Int
        if p[j] != UInt8(ascii: ",") {
            max = min
        } else {
            j += 1
            guard j < p.count else { return nil }
            if p[j] == UInt8(ascii: "}") {
                max = -1
            } else {
                guard let (maxValue, afterMax) = parseInt(j) else { return nil }
                max = maxValue
                j = afterMax
                if max < 0 { min = -1 }
            }
        }
        guard j < p.count, p[j] == UInt8(ascii: "}") else { return nil }
        return (min, max, j + 1)
    }

    /// Decimal integer without leading zeros; value -1 when it exceeds 10^8.
    func parseInt(_ i: Int) -> (Int, Int)? {
        guard let first = byte(i), first >= 0x30, first <= 0x39 else { return nil }
        if first == 0x30, let second = byte(i + 1), second >= 0x30, second <= 0x39 { return nil }
        var j = i
        var value = 0
        while let b = byte(j), b >= 0x30, b <= 0x39 {
            if value >= 0 {
                value = value >= 100_000_000 ? -1 : value * 10 + Int(b - 0x30)
            }
            j += 1
        }
        return (value, j)
    }

    // MARK: - Groups and flags

    static func isValidCaptureName(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.isEmpty { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || isAlnum(Rune($0)) }
    }

    mutating func parsePerlFlags(_ i: Int) throws(GoRegexError) -> Int {
        let n = p.count
        let startsWithP = n - i > 4 && p[i + 2] == UInt8(ascii: "P") && p[i + 3] == UInt8(ascii: "<")
        let startsWithName = n - i > 3 && p[i + 2] == UInt8(ascii: "<")
        if startsWithP || startsWithName {
            let exprStart = i + (startsWithP ? 4 : 3)
            guard let end = p[i...].firstIndex(of: UInt8(ascii: ">")) else {
                try checkUTF8(i, n)
                throw error(.invalidNamedCapture, i, n)
            }
            try checkUTF8(exprStart, end)
            let nameBytes = p[exprStart..<end]
            if !Self.isValidCaptureName(nameBytes) {
                throw error(.invalidNamedCapture, i, end + 1)
            }
            names.append(String(decoding: nameBytes, as: UTF8.self))
            pushPseudo(.leftParen(capture: names.count - 1, name: names[names.count - 1], savedFlags: flags))
            return end + 1
        }

        var j = i + 2
        var newFlags = flags
        var negated = false
        var sawFlag = false
        loop: while j < n {
            let (c, next) = try nextRune(j)
            j = next
            switch c {
            case Rune(UInt8(ascii: "i")):
                if negated { newFlags.remove(.foldCase) } else { newFlags.insert(.foldCase) }
                sawFlag = true
            case Rune(UInt8(ascii: "m")):
                if negated { newFlags.insert(.oneLine) } else { newFlags.remove(.oneLine) }
                sawFlag = true
            case Rune(UInt8(ascii: "s")):
                if negated { newFlags.remove(.dotNL) } else { newFlags.insert(.dotNL) }
                sawFlag = true
            case Rune(UInt8(ascii: "U")):
                if negated { newFlags.remove(.nonGreedy) } else { newFlags.insert(.nonGreedy) }
                sawFlag = true
            case Rune(UInt8(ascii: "-")):
                if negated { break loop }
                negated = true
                sawFlag = false
            case Rune(UInt8(ascii: ":")), Rune(UInt8(ascii: ")")):
                if negated && !sawFlag { break loop }
                if c == Rune(UInt8(ascii: ":")) {
                    pushPseudo(.leftParen(capture: 0, name: "", savedFlags: flags))
                }
                flags = newFlags
                return j
            default:
                break loop
            }
        }
        throw error(.invalidPerlOp, i, j)
    }
}
