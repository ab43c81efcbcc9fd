/// A named group of runes, possibly negated: Perl escapes (`\d`) and POSIX classes (`[:alpha:]`).
struct CharacterGroup: Sendable {
    var negated: Bool
    var runes: RuneRanges

    private static func make(_ negated: Bool, _ pairs: [Rune]) -> CharacterGroup {
        CharacterGroup(negated: negated, runes: RuneRanges(pairs: pairs))
    }

    private static let digit: [Rune] = [0x30, 0x39]
    private static let space: [Rune] = [0x09, 0x0A, 0x0C, 0x0D, 0x20, 0x20]
    private static let word: [Rune] = [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A]

    /// `\d \D \s \S \w \W`, keyed by the letter after the backslash.
    static func perl(_ letter: UInt8) -> CharacterGroup? {
        switch letter {
        case UInt8(ascii: "d"): return make(false, digit)
        case UInt8(ascii: "D"): return make(true, digit)
        case UInt8(ascii: "s"): return make(false, space)
        case UInt8(ascii: "S"): return make(true, space)
        case UInt8(ascii: "w"): return make(false, word)
        case UInt8(ascii: "W"): return make(true, word)
        default: return nil
        }
    }

    private static let posixTable: [String: [Rune]] = [
        "alnum": [0x30, 0x39, 0x41, 0x5A, 0x61, 0x7A],
        "alpha": [0x41, 0x5A, 0x61, 0x7A],
        "ascii": [0x00, 0x7F],
        "blank": [0x09, 0x09, 0x20, 0x20],
        "cntrl": [0x00, 0x1F, 0x7F, 0x7F],
        "digit": [0x30, 0x39],
        "graph": [0x21, 0x7E],
        "lower": [0x61, 0x7A],
        "print": [0x20, 0x7E],
        "punct": [0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E],
        "space": [0x09, 0x0D, 0x20, 0x20],
        "upper": [0x41, 0x5A],
        "word": [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A],
        "xdigit": [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
    ]

    /// `[:name:]` or `[:^name:]` (the full bracketed text).
    static func posix(_ text: String) -> CharacterGroup? {
        guard text.hasPrefix("[:"), text.hasSuffix(":]"), text.count >= 4 else { return nil }
        var name = String(text.dropFirst(2).dropLast(2))
        var negated = false
        if name.hasPrefix("^") {
            negated = true
            name.removeFirst()
        }
        guard let pairs = posixTable[name] else { return nil }
        return make(negated, pairs)
    }
}
