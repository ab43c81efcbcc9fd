/// Parses Go RE2 syntax (Go's `syntax.Parse` with `syntax.Perl` flags) into a `RegexNode`,
/// reporting the same error code and quoted fragment as Go for every malformed pattern.
struct RegexParser {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let foldCase = Flags(rawValue: 1)
        static let dotNL = Flags(rawValue: 2)
        static let oneLine = Flags(rawValue: 4)
        static let nonGreedy = Flags(rawValue: 8)
    }

    struct Result {
        var root: RegexNode
        var captureCount: Int
        /// Index 0 is the whole match (always ""), then one entry per capturing group.
        var names: [String]
    }

    private enum Item {
        case node(RegexNode)
        case leftParen(capture: Int, name: String, savedFlags: Flags)
        case verticalBar

        var isPseudo: Bool {
            if case .node = self { return false }
            return true
        }
    }

    /// A stack entry plus the metrics Go uses for its limits.
    private struct Entry {
        var item: Item
        var height: Int
        var size: Int64
    }

    private let p: [UInt8]
    private var flags: Flags = [.oneLine]
    private var stack: [Entry] = []
    private var names: [String] = [""]
    private var runeCount = 0

    private init(_ pattern: [UInt8]) {
        self.p = pattern
    }

    static func parse(_ pattern: [UInt8]) throws(GoRegexError) -> Result {
        var parser = RegexParser(pattern)
        return try parser.run()
    }

    // MARK: - Errors

    private func error(_ code: GoRegexError.Code, _ lo: Int, _ hi: Int) -> GoRegexError {
        GoRegexError(code, p[lo..<min(hi, p.count)])
    }

    private func wholeError(_ code: GoRegexError.Code) -> GoRegexError {
        GoRegexError(code, p[...])
    }

    // MARK: - Runes

    private func nextRune(_ i: Int) throws(GoRegexError) -> (Rune, Int) {
        let (r, width, valid) = UTF8Decoding.decode(p, at: i)
        if !valid { throw error(.invalidUTF8, i, p.count) }
        return (r, i + width)
    }

    private func checkUTF8(_ lo: Int, _ hi: Int) throws(GoRegexError) {
        var i = lo
        while i < hi {
            let (_, width, valid) = UTF8Decoding.decode(p, at: i)
            if !valid { throw error(.invalidUTF8, i, hi) }
            i += width
        }
    }

    private static func isAlnum(_ c: Rune) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private static func unhex(_ c: Rune) -> Rune {
        if c >= 0x30 && c <= 0x39 { return c - 0x30 }
        if c >= 0x61 && c <= 0x66 { return c - 0x61 + 10 }
        if c >= 0x41 && c <= 0x46 { return c - 0x41 + 10 }
        return -1
    }

    private func byte(_ i: Int) -> UInt8? {
        i < p.count ? p[i] : nil
    }

    // MARK: - Stack

    private static func metrics(of node: RegexNode, children: [Entry]) -> (Int, Int64) {
        let childHeight = children.map(\.height).max() ?? 0
        let childSizes = children.map(\.size)
        var size: Int64
        switch node {
        case .literal(let runes, _):
            size = Int64(runes.count)
        case .capture, .star:
            size = 2 + (childSizes.first ?? 0)
        case .plus, .quest:
            size = 1 + (childSizes.first ?? 0)
        case .concat:
            size = childSizes.reduce(0, +)
        case .alternate:
            size = childSizes.reduce(0, +) + Int64(max(0, childSizes.count - 1))
        case .repeat(_, let min, let max, _):
            let sub = childSizes.first ?? 0
            if max == -1 {
                size = min == 0 ? 2 + sub : 1 + Int64(min) * sub
            } else {
                size = Int64(max) * sub + Int64(max - min)
            }
        default:
            size = 0
        }
        return (children.isEmpty ? 1 : 1 + childHeight, Swift.max(1, size))
    }

    private func checkLimits(_ entry: Entry) throws(GoRegexError) {
        if runeCount > RegexLimits.maxRunes || entry.size > RegexLimits.maxSize {
            throw wholeError(.large)
        }
        if entry.height > RegexLimits.maxHeight {
            throw wholeError(.nestingDepth)
        }
    }

    private mutating func pushNode(_ rawNode: RegexNode, children: [Entry] = []) throws(GoRegexError) {
        let node = Self.literalForm(of: rawNode)
        switch node {
        case .literal(let runes, _): runeCount += runes.count
        case .charClass(let ranges): runeCount += ranges.pairs.count
        default: break
        }
        let (height, size) = Self.metrics(of: node, children: children)
        let entry = Entry(item: .node(node), height: height, size: size)
        stack.append(entry)
        try checkLimits(entry)
    }

    /// Go's push: a class of one rune, or of one rune and its only case variant, is a literal.
    private static func literalForm(of node: RegexNode) -> RegexNode {
        guard case .charClass(let ranges) = node else { return node }
        let r = ranges.pairs
        if r.count == 2 && r[0] == r[1] {
            return .literal([r[0]], foldCase: false)
        }
        if r.count == 4 && r[0] == r[1] && r[2] == r[3]
            && CaseFolding.simpleFold(r[0]) == r[2] && CaseFolding.simpleFold(r[2]) == r[0] {
            return .literal([r[0]], foldCase: true)
        }
        if r.count == 2 && r[0] + 1 == r[1]
            && CaseFolding.simpleFold(r[0]) == r[1] && CaseFolding.simpleFold(r[1]) == r[0] {
            return .literal([r[0]], foldCase: true)
        }
        return node
    }

    private mutating func pushPseudo(_ item: Item) {
        stack.append(Entry(item: item, height: 1, size: 1))
    }

    private mutating func literal(_ r: Rune) throws(GoRegexError) {
        let fold = flags.contains(.foldCase)
        try pushNode(.literal([fold ? CaseFolding.minimumEquivalent(of: r) : r], foldCase: fold))
    }

    /// Pops the entries above the topmost `(` or `|`.
    private mutating func popOperands() -> [Entry] {
        var i = stack.count
        while i > 0 && !stack[i - 1].item.isPseudo { i -= 1 }
        let subs = Array(stack[i...])
        stack.removeSubrange(i...)
        return subs
    }

    /// Flattens nested concatenations and merges adjacent literals, as Go's collapse/maybeConcat.
    /// A spliced child's height is its parent's minus one; the parent's size goes to its first child.
    private static func flattenConcat(_ subs: [Entry]) -> [Entry] {
        var out: [Entry] = []
        // The literal being accumulated (kept out of `out` so appending stays amortized O(1)).
        var pendingRunes: [Rune] = []
        var pendingFold = false
        var pendingSize: Int64 = 0
        func flushLiteral() {
            guard !pendingRunes.isEmpty else { return }
            out.append(Entry(item: .node(.literal(ArraySlice(pendingRunes), foldCase: pendingFold)), height: 1,
                             size: pendingSize))
            pendingRunes = []
            pendingSize = 0
        }
        func append(_ entry: Entry, _ node: RegexNode) {
            if case .literal(let runes, let fold) = node {
                if !pendingRunes.isEmpty && fold != pendingFold { flushLiteral() }
                pendingRunes.append(contentsOf: runes)
                pendingFold = fold
                pendingSize += entry.size
                return
            }
            flushLiteral()
            out.append(entry)
        }
        for sub in subs {
            guard case .node(let node) = sub.item else { continue }
            if case .concat(let inner) = node {
                for (k, child) in inner.enumerated() {
                    append(Entry(item: .node(child), height: max(1, sub.height - 1), size: k == 0 ? sub.size : 0), child)
                }
            } else {
                append(sub, node)
            }
        }
        flushLiteral()
        return out
    }

    private mutating func concat() throws(GoRegexError) {
        let subs = Self.flattenConcat(popOperands())
        if subs.isEmpty {
            try pushNode(.emptyMatch)
            return
        }
        if subs.count == 1, case .node = subs[0].item {
            stack.append(subs[0])
            return
        }
        let nodes = subs.compactMap { entry -> RegexNode? in
            if case .node(let n) = entry.item { return n }
            return nil
        }
        try pushNode(.concat(nodes), children: subs)
    }

    private mutating func alternate() throws(GoRegexError) {
        let subs = popOperands()
        if subs.isEmpty {
            try pushNode(.noMatch)
            return
        }
        if subs.count == 1 {
            stack.append(subs[0])
            return
        }
        let nodes = subs.compactMap { entry -> RegexNode? in
            if case .node(let n) = entry.item { return n }
            return nil
        }
        let node = AlternationFactoring.collapse(nodes)
        try pushNode(node, children: subs)
        // Factoring can nest the tree more deeply than its branches were; measure it.
        let height = node.height(limit: RegexLimits.maxHeight)
        if height > stack[stack.count - 1].height {
            stack[stack.count - 1].height = height
            try checkLimits(stack[stack.count - 1])
        }
    }

    /// If the top of the stack is an operand above a `|`, swaps them (Go's swapVerticalBar).
    private mutating func swapVerticalBar() -> Bool {
        let n = stack.count
        // Single characters on both sides of the bar merge into one class right away.
        if n >= 3, case .verticalBar = stack[n - 2].item,
           case .node(let above) = stack[n - 1].item, case .node(let below) = stack[n - 3].item,
           AlternationFactoring.isCharClass(above), AlternationFactoring.isCharClass(below) {
            stack[n - 3].item = .node(AlternationFactoring.mergeSingleCharacters(below, above))
            stack.removeLast()
            return true
        }
        if n >= 2, case .verticalBar = stack[n - 2].item, !stack[n - 1].item.isPseudo {
            stack.swapAt(n - 1, n - 2)
            return true
        }
        return false
    }

    private mutating func parseVerticalBar() throws(GoRegexError) {
        try concat()
        if !swapVerticalBar() {
            pushPseudo(.verticalBar)
        }
    }

    private mutating func parseRightParen() throws(GoRegexError) {
        try concat()
        if swapVerticalBar() { stack.removeLast() }
        try alternate()
        let n = stack.count
        if n < 2 { throw wholeError(.unexpectedParen) }
        let inner = stack.removeLast()
        let open = stack.removeLast()
        guard case .leftParen(let capture, let name, let savedFlags) = open.item,
              case .node(let node) = inner.item else {
            throw wholeError(.unexpectedParen)
        }
        flags = savedFlags
        if capture == 0 {
            stack.append(inner)
            try checkLimits(inner)
        } else {
            try pushNode(.capture(index: capture, name: name, node), children: [inner])
        }
    }

    // MARK: - Main loop

    private mutating func run() throws(GoRegexError) -> Result {
        var i = 0
        var lastRepeat: Int? = nil
        let n = p.count
        while i < n {
            var repeatStart: Int? = nil
            switch p[i] {
            case UInt8(ascii: "("):
                if byte(i + 1) == UInt8(ascii: "?") {
                    i = try parsePerlFlags(i)
                } else {
                    names.append("")
                    pushPseudo(.leftParen(capture: names.count - 1, name: "", savedFlags: flags))
                    i += 1
                }
            case UInt8(ascii: "|"):
                try parseVerticalBar()
                i += 1
            case UInt8(ascii: ")"):
                try parseRightParen()
                i += 1
            case UInt8(ascii: "^"):
                try pushNode(flags.contains(.oneLine) ? .beginText : .beginLine)
                i += 1
            case UInt8(ascii: "$"):
                try pushNode(flags.contains(.oneLine) ? .endText : .endLine)
                i += 1
            case UInt8(ascii: "."):
                try pushNode(flags.contains(.dotNL) ? .anyChar : .anyCharNotNL)
                i += 1
            case UInt8(ascii: "["):
                i = try parseClass(i)
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                let kind: RepeatKind = p[i] == UInt8(ascii: "*") ? .star : p[i] == UInt8(ascii: "+") ? .plus : .quest
                let before = i
                i = try applyRepeat(kind, before: before, after: i + 1, lastRepeat: lastRepeat)
                repeatStart = before
            case UInt8(ascii: "{"):
                if let (min, max, after) = parseRepeat(i) {
                    if min < 0 || min > RegexLimits.maxRepeat || max > RegexLimits.maxRepeat || (max >= 0 && min > max) {
                        throw error(.invalidRepeatSize, i, after)
                    }
                    let before = i
                    i = try applyRepeat(.counted(min, max), before: before, after: after, lastRepeat: lastRepeat)
                    repeatStart = before
                } else {
                    try literal(Rune(UInt8(ascii: "{")))
                    i += 1
                }
            case UInt8(ascii: "\\"):
                i = try parseBackslash(i)
            default:
                let (r, next) = try nextRune(i)
                try literal(r)
                i = next
            }
            lastRepeat = repeatStart
        }
        try concat()
        if swapVerticalBar() { stack.removeLast() }
        try alternate()
        guard stack.count == 1, case .node(let root) = stack[0].item else {
            throw wholeError(.missingParen)
        }
        return Result(root: root, captureCount: names.count - 1, names: names)
    }

    // MARK: - Repetition

    private enum RepeatKind {
        case star, plus, quest
        case counted(Int, Int)
    }

    private mutating func applyRepeat(_ kind: RepeatKind, before: Int, after start: Int,
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
    private func parseRepeat(_ i: Int) -> (Int, Int, Int)? {
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
    private func parseInt(_ i: Int) -> (Int, Int)? {
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

    private static func isValidCaptureName(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.isEmpty { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || isAlnum(Rune($0)) }
    }

    private mutating func parsePerlFlags(_ i: Int) throws(GoRegexError) -> Int {
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

    // MARK: - Escapes

    private mutating func parseBackslash(_ i: Int) throws(GoRegexError) -> Int {
        if let next = byte(i + 1) {
            switch next {
            case UInt8(ascii: "A"):
                try pushNode(.beginText)
                return i + 2
            case UInt8(ascii: "b"):
                try pushNode(.wordBoundary)
                return i + 2
            case UInt8(ascii: "B"):
                try pushNode(.noWordBoundary)
                return i + 2
            case UInt8(ascii: "C"):
                throw error(.invalidEscape, i, i + 2)
            case UInt8(ascii: "Q"):
                var end = p.count
                var resume = p.count
                var k = i + 2
                while k + 1 < p.count {
                    if p[k] == UInt8(ascii: "\\") && p[k + 1] == UInt8(ascii: "E") {
                        end = k
                        resume = k + 2
                        break
                    }
                    k += 1
                }
                var j = i + 2
                while j < end {
                    let (r, width, valid) = UTF8Decoding.decode(p, at: j)
                    if !valid || j + width > end { throw error(.invalidUTF8, j, end) }
                    try literal(r)
                    j += width
                }
                return resume
            case UInt8(ascii: "z"):
                try pushNode(.endText)
                return i + 2
            case UInt8(ascii: "p"), UInt8(ascii: "P"):
                if let (ranges, after) = try parseUnicodeClass(i) {
                    try pushNode(.charClass(ranges))
                    return after
                }
            default:
                break
            }
            if let group = CharacterGroup.perl(next) {
                var ranges = RuneRanges()
                appendGroup(&ranges, group)
                try pushNode(.charClass(ranges.cleaned()))
                return i + 2
            }
        }
        let (r, after) = try parseEscape(i)
        try literal(r)
        return after
    }

    private func parseEscape(_ i: Int) throws(GoRegexError) -> (Rune, Int) {
        var t = i + 1
        if t >= p.count { throw GoRegexError(code: .trailingBackslash, expression: "") }
        let (c, afterC) = try nextRune(t)
        t = afterC
        let zero = Rune(UInt8(ascii: "0")), seven = Rune(UInt8(ascii: "7"))
        func isOctal(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x37 } ?? false }
        switch c {
        case zero...seven:
            if c != zero && !isOctal(byte(t)) { break }
            var r = c - zero
            for _ in 1..<3 {
                guard isOctal(byte(t)) else { break }
                r = r * 8 + Rune(p[t]) - zero
                t += 1
            }
            return (r, t)
        case Rune(UInt8(ascii: "x")):
            if t >= p.count { break }
            let (c1, afterC1) = try nextRune(t)
            t = afterC1
            if c1 == Rune(UInt8(ascii: "{")) {
                var digits = 0
                var r: Rune = 0
                while true {
                    if t >= p.count { throw error(.invalidEscape, i, t) }
                    let (d, afterD) = try nextRune(t)
                    t = afterD
                    if d == Rune(UInt8(ascii: "}")) { break }
                    let v = Self.unhex(d)
                    if v < 0 { throw error(.invalidEscape, i, t) }
                    r = r * 16 + v
                    if r > maxRune { throw error(.invalidEscape, i, t) }
                    digits += 1
                }
                if digits == 0 { throw error(.invalidEscape, i, t) }
                return (r, t)
            }
            let x = Self.unhex(c1)
            var y: Rune = -1
            if t < p.count {
                let (c2, afterC2) = try nextRune(t)
                t = afterC2
                y = Self.unhex(c2)
            }
            if x < 0 || y < 0 { break }
            return (x * 16 + y, t)
        case Rune(UInt8(ascii: "a")): return (7, t)
        case Rune(UInt8(ascii: "f")): return (12, t)
        case Rune(UInt8(ascii: "n")): return (10, t)
        case Rune(UInt8(ascii: "r")): return (13, t)
        case Rune(UInt8(ascii: "t")): return (9, t)
        case Rune(UInt8(ascii: "v")): return (11, t)
        default:
            if c < 0x80 && !Self.isAlnum(c) { return (c, t) }
        }
        throw error(.invalidEscape, i, t)
    }

    // MARK: - Character classes

    private func appendGroup(_ ranges: inout RuneRanges, _ group: CharacterGroup) {
        if !flags.contains(.foldCase) {
            if group.negated { ranges.appendNegated(contentsOf: group.runes) } else { ranges.append(contentsOf: group.runes) }
            return
        }
        var folded = RuneRanges()
        folded.appendFolded(contentsOf: group.runes)
        let clean = folded.cleaned()
        if group.negated { ranges.appendNegated(contentsOf: clean) } else { ranges.append(contentsOf: clean) }
    }

    /// `\pL`, `\p{Greek}`, `\P{...}`, `\p{^...}` at `i`; nil if `i` does not start one.
    private func parseUnicodeClass(_ i: Int) throws(GoRegexError) -> (RuneRanges, Int)? {
        guard p.count - i >= 2, p[i] == UInt8(ascii: "\\"),
              p[i + 1] == UInt8(ascii: "p") || p[i + 1] == UInt8(ascii: "P") else { return nil }
        var negate = p[i + 1] == UInt8(ascii: "P")
        let t = i + 2
        var c: Rune = UTF8Decoding.runeError
        var afterC = t
        if t < p.count { (c, afterC) = try nextRune(t) }
        let seqEnd: Int
        var nameBytes: ArraySlice<UInt8>
        if c != Rune(UInt8(ascii: "{")) {
            seqEnd = afterC
            nameBytes = p[t..<afterC]
        } else {
            guard let close = p[i...].firstIndex(of: UInt8(ascii: "}")) else {
                try checkUTF8(i, p.count)
                throw error(.invalidCharRange, i, p.count)
            }
            seqEnd = close + 1
            nameBytes = p[(i + 3)..<close]
            try checkUTF8(i + 3, close)
        }
        if nameBytes.first == UInt8(ascii: "^") {
            negate.toggle()
            nameBytes = nameBytes.dropFirst()
        }
        guard let table = UnicodeClasses.table(named: String(decoding: nameBytes, as: UTF8.self)) else {
            throw error(.invalidCharRange, i, seqEnd)
        }
        if table.negated { negate.toggle() }
        var set = table.runes
        if flags.contains(.foldCase) {
            var folded = set
            folded.appendFolded(contentsOf: set)
            set = folded.cleaned()
        }
        return (negate ? set.negated() : set, seqEnd)
    }

    private func parseClassChar(_ t: Int, classStart: Int) throws(GoRegexError) -> (Rune, Int) {
        if t >= p.count { throw error(.missingBracket, classStart, p.count) }
        if p[t] == UInt8(ascii: "\\") { return try parseEscape(t) }
        return try nextRune(t)
    }

    private mutating func parseClass(_ i: Int) throws(GoRegexError) -> Int {
        var t = i + 1
        var negate = false
        if byte(t) == UInt8(ascii: "^") {
            negate = true
            t += 1
        }
        var ranges = RuneRanges()
        var first = true
        while t >= p.count || p[t] != UInt8(ascii: "]") || first {
            first = false
            if p.count - t > 2 && p[t] == UInt8(ascii: "[") && p[t + 1] == UInt8(ascii: ":") {
                if let (group, after) = try parseNamedClass(t) {
                    appendGroup(&ranges, group)
                    t = after
                    continue
                }
            }
            if let (set, after) = try parseUnicodeClass(t) {
                ranges.append(contentsOf: set)
                t = after
                continue
            }
            if p.count - t >= 2 && p[t] == UInt8(ascii: "\\"), let group = CharacterGroup.perl(p[t + 1]) {
                appendGroup(&ranges, group)
                t += 2
                continue
            }
            let rangeStart = t
            let (lo, afterLo) = try parseClassChar(t, classStart: i)
            t = afterLo
            var hi = lo
            if p.count - t >= 2 && p[t] == UInt8(ascii: "-") && p[t + 1] != UInt8(ascii: "]") {
                t += 1
                let (upper, afterHi) = try parseClassChar(t, classStart: i)
                hi = upper
                t = afterHi
                if hi < lo { throw error(.invalidCharRange, rangeStart, t) }
            }
            if flags.contains(.foldCase) {
                ranges.appendFolded(lo, hi)
            } else {
                ranges.append(lo, hi)
            }
        }
        t += 1
        var clean = ranges.cleaned()
        if negate { clean = clean.negated() }
        try pushNode(.charClass(clean))
        return t
    }

    private func parseNamedClass(_ t: Int) throws(GoRegexError) -> (CharacterGroup, Int)? {
        var k = t + 2
        var close: Int? = nil
        while k + 1 < p.count {
            if p[k] == UInt8(ascii: ":") && p[k + 1] == UInt8(ascii: "]") {
                close = k
                break
            }
            k += 1
        }
        guard let close else { return nil }
        let nameText = String(decoding: p[t..<(close + 2)], as: UTF8.self)
        guard let group = CharacterGroup.posix(nameText) else {
            throw error(.invalidCharRange, t, close + 2)
        }
        return (group, close + 2)
    }
}
