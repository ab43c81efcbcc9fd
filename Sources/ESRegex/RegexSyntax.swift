/// Parsed regular expression tree (the equivalent of Go's `syntax.Regexp`).
indirect enum RegexNode: Sendable {
    case noMatch
    case emptyMatch
    /// A string of runes; with `foldCase` each rune matches its whole case-fold orbit.
    case literal(ArraySlice<Rune>, foldCase: Bool)
    case charClass(RuneRanges)
    case anyCharNotNL
    case anyChar
    case beginLine
    case endLine
    case beginText
    case endText
    case wordBoundary
    case noWordBoundary
    case capture(index: Int, name: String, RegexNode)
    case star(RegexNode, nonGreedy: Bool)
    case plus(RegexNode, nonGreedy: Bool)
    case quest(RegexNode, nonGreedy: Bool)
    /// `x{min,max}`; `max == -1` means unbounded.
    case `repeat`(RegexNode, min: Int, max: Int, nonGreedy: Bool)
    case concat([RegexNode])
    case alternate([RegexNode])

    var children: [RegexNode] {
        switch self {
        case .capture(_, _, let sub), .star(let sub, _), .plus(let sub, _), .quest(let sub, _),
             .repeat(let sub, _, _, _):
            return [sub]
        case .concat(let subs), .alternate(let subs):
            return subs
        default:
            return []
        }
    }

    /// Height of the tree (a leaf is 1), computed only up to `limit + 1`, so the recursion
    /// never goes deeper than that.
    func height(limit: Int) -> Int {
        if limit <= 0 { return 1 }
        var tallest = 0
        for child in children {
            tallest = max(tallest, child.height(limit: limit - 1))
            if tallest > limit { break }
        }
        return 1 + tallest
    }

    /// Go's repeatIsValid: the product of nested counted repetitions stays within `limit`.
    func repeatIsValid(_ limit: Int) -> Bool {
        var n = limit
        if case .repeat(_, let min, let max, _) = self {
            var m = max
            if m == 0 { return true }
            if m < 0 { m = min }
            if m > n { return false }
            if m > 0 { n /= m }
        }
        for child in children where !child.repeatIsValid(n) {
            return false
        }
        return true
    }
}

/// Go's parse-time limits on regexp complexity.
enum RegexLimits {
    /// Maximum count in a single `{n,m}` and product of nested counts.
    static let maxRepeat = 1000
    /// Maximum height of the parse tree.
    static let maxHeight = 1000
    /// Maximum compiled size in instructions (128 MiB / 40 bytes per instruction).
    static let maxSize: Int64 = (128 << 20) / 40
    /// Maximum number of runes held by all character classes and literals.
    static let maxRunes = (128 << 20) / 4
}
