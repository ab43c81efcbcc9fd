/// Backslash escapes and bracketed character classes of the Go RE2 parser.
extension RegexParser {
    // MARK: - Escapes

    mutating func parseBackslash(_ i: Int) throws(GoRegexError) -> Int {
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

    func parseEscape(_ i: Int) throws(GoRegexError) -> (Rune, Int) {
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

    func appendGroup(_ ranges: inout RuneRanges, _ group: CharacterGroup) {
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
    func parseUnicodeClass(_ i: Int) throws(GoRegexError) -> (RuneRanges, Int)? {
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

    func parseClassChar(_ t: Int, classStart: Int) throws(GoRegexError) -> (Rune, Int) {
        if t >= p.count { throw error(.missingBracket, classStart, p.count) }
        if p[t] == UInt8(ascii: "\\") { return try parseEscape(t) }
        return try nextRune(t)
    }

    mutating func parseClass(_ i: Int) throws(GoRegexError) -> Int {
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

    func parseNamedClass(_ t: Int) throws(GoRegexError) -> (CharacterGroup, Int)? {
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
