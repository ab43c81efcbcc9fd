/// Go's alternation simplification (parse.go `collapse`/`factor`): common leading literal
/// strings and leading single-character pieces are factored out, runs of single characters
/// become one class, and repeated empty alternatives collapse. It changes only the shape of
/// the tree (and so Go's size and depth limits), never what matches.
enum AlternationFactoring {
    /// Builds the alternation of `subs` the way Go's collapse(subs, OpAlternate) does.
    /// Each nested factoring adds a level to the tree; past Go's height limit the parser
    /// rejects the pattern anyway, so factoring stops there (bounding the recursion).
    static func collapse(_ subs: [RegexNode], depth: Int = 0) -> RegexNode {
        if subs.count == 1 { return subs[0] }
        var flat: [RegexNode] = []
        for sub in subs {
            if case .alternate(let inner) = sub { flat.append(contentsOf: inner) } else { flat.append(sub) }
        }
        let factored = depth > RegexLimits.maxHeight ? flat : factor(flat, depth: depth)
        return factored.count == 1 ? factored[0] : .alternate(factored)
    }

    private static func factor(_ input: [RegexNode], depth: Int) -> [RegexNode] {
        if input.count < 2 { return input }
        let strings = factorLeadingStrings(input, depth: depth)
        return mergeEmptyMatches(mergeCharacterRuns(factorLeadingPieces(strings, depth: depth)))
    }

    // MARK: Round 1: common leading literal strings

    private static func leadingString(_ node: RegexNode) -> (ArraySlice<Rune>, Bool) {
        var node = node
        if case .concat(let subs) = node, let first = subs.first { node = first }
        if case .literal(let runes, let fold) = node { return (runes, fold) }
        return ([], false)
    }

    private static func removeLeadingString(_ node: RegexNode, _ n: Int) -> RegexNode {
        if case .concat(var subs) = node, !subs.isEmpty {
            let first = removeLeadingString(subs[0], n)
            subs[0] = first
            if case .emptyMatch = first {
                switch subs.count {
                case 0, 1: return .emptyMatch
                case 2: return subs[1]
                default: subs.removeFirst()
                }
            }
            return .concat(subs)
        }
        if case .literal(let runes, let fold) = node {
            let rest = runes.dropFirst(n)
            return rest.isEmpty ? .emptyMatch : .literal(rest, foldCase: fold)
        }
        return node
    }

    private static func factorLeadingStrings(_ subs: [RegexNode], depth: Int) -> [RegexNode] {
        var out: [RegexNode] = []
        var str: ArraySlice<Rune> = []
        var strFold = false
        var start = 0
        var i = 0
        while i <= subs.count {
            var istr: ArraySlice<Rune> = []
            var ifold = false
            if i < subs.count {
                (istr, ifold) = leadingString(subs[i])
                if ifold == strFold {
                    var same = 0
                    while same < str.count && same < istr.count
                        && str[str.startIndex + same] == istr[istr.startIndex + same] {
                        same += 1
                    }
                    if same > 0 {
                        str = str.prefix(same)
                        i += 1
                        continue
                    }
                }
            }
            if i == start + 1 {
                out.append(subs[start])
            } else if i > start + 1 {
                let suffixes = subs[start..<i].map { removeLeadingString($0, str.count) }
                out.append(.concat([.literal(str, foldCase: strFold), collapse(suffixes, depth: depth + 1)]))
            }
            start = i
            str = istr
            strFold = ifold
            i += 1
        }
        return out
    }

    // MARK: Round 2: common leading single-character pieces

    private static func leadingRegexp(_ node: RegexNode) -> RegexNode? {
        if case .emptyMatch = node { return nil }
        if case .concat(let subs) = node, let first = subs.first {
            if case .emptyMatch = first { return nil }
            return first
        }
        return node
    }

    private static func removeLeadingRegexp(_ node: RegexNode) -> RegexNode {
        if case .concat(var subs) = node, !subs.isEmpty {
            subs.removeFirst()
            switch subs.count {
            case 0: return .emptyMatch
            case 1: return subs[0]
            default: return .concat(subs)
            }
        }
        return .emptyMatch
    }

    static func isCharClass(_ node: RegexNode) -> Bool {
        switch node {
        case .literal(let runes, _): return runes.count == 1
        case .charClass, .anyCharNotNL, .anyChar: return true
        default: return false
        }
    }

    /// Go's Regexp.Equal. Literals compare their case-folding flag too (since Go 1.23,
    /// golang/go#59007; before that `0A|0[aA]` did not match "0a").
    static func goEqual(_ x: RegexNode, _ y: RegexNode) -> Bool {
        switch (x, y) {
        case (.noMatch, .noMatch), (.emptyMatch, .emptyMatch), (.anyCharNotNL, .anyCharNotNL), (.anyChar, .anyChar),
             (.beginLine, .beginLine), (.endLine, .endLine), (.beginText, .beginText), (.endText, .endText),
             (.wordBoundary, .wordBoundary), (.noWordBoundary, .noWordBoundary):
            return true
        case (.literal(let a, let f), .literal(let b, let g)):
            return a == b && f == g
        case (.charClass(let a), .charClass(let b)):
            return a == b
        case (.capture(let i, let n, let a), .capture(let j, let m, let b)):
            return i == j && n == m && goEqual(a, b)
        case (.star(let a, let g), .star(let b, let h)), (.plus(let a, let g), .plus(let b, let h)),
             (.quest(let a, let g), .quest(let b, let h)):
            return g == h && goEqual(a, b)
        case (.repeat(let a, let min1, let max1, let g), .repeat(let b, let min2, let max2, let h)):
            return g == h && min1 == min2 && max1 == max2 && goEqual(a, b)
        case (.concat(let a), .concat(let b)), (.alternate(let a), .alternate(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { goEqual($0, $1) }
        default:
            return false
        }
    }

    private static func factorLeadingPieces(_ subs: [RegexNode], depth: Int) -> [RegexNode] {
        var out: [RegexNode] = []
        var first: RegexNode? = nil
        var start = 0
        var i = 0
        while i <= subs.count {
            var ifirst: RegexNode? = nil
            if i < subs.count {
                ifirst = leadingRegexp(subs[i])
                if let first, let ifirst, goEqual(first, ifirst), isFactorable(first) {
                    i += 1
                    continue
                }
            }
            if i == start + 1 {
                out.append(subs[start])
            } else if i > start + 1, let prefix = first {
                let suffixes = subs[start..<i].map(removeLeadingRegexp)
                out.append(.concat([prefix, collapse(suffixes, depth: depth + 1)]))
            }
            start = i
            first = ifirst
            i += 1
        }
        return out
    }

    private static func isFactorable(_ node: RegexNode) -> Bool {
        if isCharClass(node) { return true }
        if case .repeat(let sub, let min, let max, _) = node, min == max, isCharClass(sub) { return true }
        return false
    }

    // MARK: Round 3: runs of single characters become one class

    private static func complexity(_ node: RegexNode) -> (Int, Int) {
        switch node {
        case .literal(let runes, _): return (0, runes.count)
        case .charClass(let ranges): return (1, ranges.pairs.count)
        case .anyCharNotNL: return (2, 0)
        default: return (3, 0)
        }
    }

    private static func matchesRune(_ node: RegexNode, _ r: Rune) -> Bool {
        switch node {
        case .literal(let runes, _): return runes.count == 1 && runes.first == r
        case .charClass(let ranges): return ranges.contains(r)
        case .anyCharNotNL: return r != 0x0A
        case .anyChar: return true
        default: return false
        }
    }

    private static func appendLiteral(_ ranges: inout RuneRanges, _ r: Rune, fold: Bool) {
        if fold { ranges.appendFolded(r, r) } else { ranges.append(r, r) }
    }

    /// Go's mergeCharClass: dst = dst | src, where dst is at least as complex as src.
    private static func merge(_ dst: RegexNode, _ src: RegexNode) -> RegexNode {
        switch dst {
        case .anyChar:
            return dst
        case .anyCharNotNL:
            return matchesRune(src, 0x0A) ? .anyChar : dst
        case .charClass(var ranges):
            if case .literal(let runes, let fold) = src, let r = runes.first {
                appendLiteral(&ranges, r, fold: fold)
            } else if case .charClass(let other) = src {
                ranges.append(contentsOf: other)
            }
            return .charClass(ranges)
        case .literal(let runes, let fold):
            guard case .literal(let other, let otherFold) = src, let r = runes.first, let o = other.first else {
                return dst
            }
            if o == r && otherFold == fold { return dst }
            var ranges = RuneRanges()
            appendLiteral(&ranges, r, fold: fold)
            appendLiteral(&ranges, o, fold: otherFold)
            return .charClass(ranges)
        default:
            return dst
        }
    }

    /// Go's cleanAlt for a merged class.
    private static func cleanAlt(_ node: RegexNode) -> RegexNode {
        guard case .charClass(let ranges) = node else { return node }
        let clean = ranges.cleaned()
        if clean.pairs == [0, maxRune] { return .anyChar }
        if clean.pairs == [0, 0x09, 0x0B, maxRune] { return .anyCharNotNL }
        return .charClass(clean)
    }

    private static func mergeCharacterRuns(_ subs: [RegexNode]) -> [RegexNode] {
        var out: [RegexNode] = []
        var start = 0
        var i = 0
        while i <= subs.count {
            if i < subs.count && isCharClass(subs[i]) {
                i += 1
                continue
            }
            if i == start + 1 {
                out.append(subs[start])
            } else if i > start + 1 {
                var run = Array(subs[start..<i])
                var most = 0
                for j in 1..<run.count where complexity(run[most]) < complexity(run[j]) { most = j }
                run.swapAt(0, most)
                var merged = run[0]
                for j in 1..<run.count { merged = merge(merged, run[j]) }
                out.append(cleanAlt(merged))
            }
            if i < subs.count { out.append(subs[i]) }
            start = i + 1
            i += 1
        }
        return out
    }

    /// The union of two single-character nodes (Go's swapVerticalBar merge plus cleanAlt).
    static func mergeSingleCharacters(_ a: RegexNode, _ b: RegexNode) -> RegexNode {
        complexity(b).0 > complexity(a).0 ? cleanAlt(merge(b, a)) : cleanAlt(merge(a, b))
    }

    // MARK: Round 4: repeated empty alternatives

    private static func mergeEmptyMatches(_ subs: [RegexNode]) -> [RegexNode] {
        var out: [RegexNode] = []
        for (k, sub) in subs.enumerated() {
            if k + 1 < subs.count, case .emptyMatch = sub, case .emptyMatch = subs[k + 1] { continue }
            out.append(sub)
        }
        return out
    }
}
