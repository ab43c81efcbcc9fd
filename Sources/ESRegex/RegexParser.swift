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

    /// Parse stack element: an operand, or a pseudo-operator marking an open `(` or a `|`.
    enum Item {
        case node(RegexNode)
        case leftParen(capture: Int, name: String, savedFlags: Flags)
        case verticalBar

        var isPseudo: Bool {
            if case .node = self { return false }
            return true
        }
    }

    /// A stack entry plus the metrics Go uses for its limits.
    struct Entry {
        var item: Item
        var height: Int
        var size: Int64
    }

    /// The pattern's bytes (Go parses the pattern string byte-wise too).
    let p: [UInt8]
    /// Flags in effect; `(?flags)` and group ends change them. Go's Perl mode starts one-line.
    var flags: Flags = [.oneLine]
    var stack: [Entry] = []
    /// Capture names by group index (index 0, the whole match, is always "").
    var names: [String] = [""]
    /// Runes held by all literals and classes pushed so far (Go's maxRunes limit).
    var runeCount = 0

    private init(_ pattern: [UInt8]) {
        self.p = pattern
    }

    static func parse(_ pattern: [UInt8]) throws(GoRegexError) -> Result {
        var parser = RegexParser(pattern)
        return try parser.run()
    }

    // MARK: - Errors

    func error(_ code: GoRegexError.Code, _ lo: Int, _ hi: Int) -> GoRegexError {
        GoRegexError(code, p[lo..<min(hi, p.count)])
    }

    func wholeError(_ code: GoRegexError.Code) -> GoRegexError {
        GoRegexError(code, p[...])
    }

    // MARK: - Runes

    func nextRune(_ i: Int) throws(GoRegexError) -> (Rune, Int) {
        let (r, width, valid) = UTF8Decoding.decode(p, at: i)
        if !valid { throw error(.invalidUTF8, i, p.count) }
        return (r, i + width)
    }

    func checkUTF8(_ lo: Int, _ hi: Int) throws(GoRegexError) {
        var i = lo
        while i < hi {
            let (_, width, valid) = UTF8Decoding.decode(p, at: i)
            if !valid { throw error(.invalidUTF8, i, hi) }
            i += width
        }
    }

    static func isAlnum(_ c: Rune) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    static func unhex(_ c: Rune) -> Rune {
        if c >= 0x30 && c <= 0x39 { return c - 0x30 }
        if c >= 0x61 && c <= 0x66 { return c - 0x61 + 10 }
        if c >= 0x41 && c <= 0x46 { return c - 0x41 + 10 }
        return -1
    }

    func byte(_ i: Int) -> UInt8? {
        i < p.count ? p[i] : nil
    }

    // MARK: - Stack

    static func metrics(of node: RegexNode, children: [Entry]) -> (Int, Int64) {
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

    func checkLimits(_ entry: Entry) throws(GoRegexError) {
        if runeCount > RegexLimits.maxRunes || entry.size > RegexLimits.maxSize {
            throw wholeError(.large)
        }
        if entry.height > RegexLimits.maxHeight {
            throw wholeError(.nestingDepth)
        }
    }

    mutating func pushNode(_ rawNode: RegexNode, children: [Entry] = []) throws(GoRegexError) {
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
    static func literalForm(of node: RegexNode) -> RegexNode {
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

    mutating func pushPseudo(_ item: Item) {
        stack.append(Entry(item: item, height: 1, size: 1))
    }

    mutating func literal(_ r: Rune) throws(GoRegexError) {
        let fold = flags.contains(.foldCase)
        try pushNode(.literal([fold ? CaseFolding.minimumEquivalent(of: r) : r], foldCase: fold))
    }

    /// Pops the entries above the topmost `(` or `|`.
    mutating func popOperands() -> [Entry] {
        var i = stack.count
        while i > 0 && !stack[i - 1].item.isPseudo { i -= 1 }
        let subs = Array(stack[i...])
        stack.removeSubrange(i...)
        return subs
    }

    /// Flattens nested concatenations and merges adjacent literals, as Go's collapse/maybeConcat.
    /// A spliced child's height is its parent's minus one; the parent's size goes to its first child.
    static func flattenConcat(_ subs: [Entry]) -> [Entry] {
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

    mutating func concat() throws(GoRegexError) {
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

    mutating func alternate() throws(GoRegexError) {
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
    mutating func swapVerticalBar() -> Bool {
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

    mutating func parseVerticalBar() throws(GoRegexError) {
        try concat()
        if !swapVerticalBar() {
            pushPseudo(.verticalBar)
        }
    }

    mutating func parseRightParen() throws(GoRegexError) {
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

    mutating func run() throws(GoRegexError) -> Result {
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
}
