/// Unicode general categories and scripts for `\p{...}`, looked up the way Go 1.25 does
/// (case-insensitive, ignoring spaces, underscores and hyphens, with category aliases).
enum UnicodeClasses {
    struct Table: Sendable {
        var runes: RuneRanges
        var negated: Bool
    }

    /// Go's canonicalName: first letter upper case, the rest lower case, separators removed.
    static func canonicalName(_ name: String) -> String {
        var out = ""
        var first = true
        for ch in name.unicodeScalars {
            if ch == "_" || ch == "-" || ch == " " { continue }
            if first {
                out.unicodeScalars.append(ch.value >= 0x61 && ch.value <= 0x7A ? Unicode.Scalar(ch.value - 32)! : ch)
                first = false
            } else {
                out.unicodeScalars.append(ch.value >= 0x41 && ch.value <= 0x5A ? Unicode.Scalar(ch.value + 32)! : ch)
            }
        }
        return out
    }

    static func table(named rawName: String) -> Table? {
        let name = canonicalName(rawName)
        switch name {
        case "Any": return Table(runes: RuneRanges(pairs: [0, maxRune]), negated: false)
        case "Assigned": return categories["Cn"].map { Table(runes: $0, negated: true) }
        case "Ascii": return Table(runes: RuneRanges(pairs: [0, 0x7F]), negated: false)
        case "Lc": return categories["LC"].map { Table(runes: $0, negated: false) }
        default: break
        }
        if let code = categoryCodes[name] ?? aliases[name], let runes = categories[code] {
            return Table(runes: runes, negated: false)
        }
        if let runes = ScriptTables.script(named: name) {
            return Table(runes: runes, negated: false)
        }
        return nil
    }

    /// Canonical spelling of each category key Go accepts -> internal key.
    private static let categoryCodes: [String: String] = {
        var map: [String: String] = [:]
        for code in ["C", "Cc", "Cf", "Co", "Cs", "Cn", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
                     "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
                     "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs"] {
            map[canonicalName(code)] = code
        }
        return map
    }()

    /// Unicode's long category names (unicode.CategoryAliases), canonicalized.
    private static let aliases: [String: String] = {
        let pairs: [(String, String)] = [
            ("Other", "C"), ("Control", "Cc"), ("Format", "Cf"), ("Private_Use", "Co"), ("Surrogate", "Cs"),
            ("Unassigned", "Cn"), ("Letter", "L"), ("Cased_Letter", "LC"), ("Lowercase_Letter", "Ll"),
            ("Modifier_Letter", "Lm"), ("Other_Letter", "Lo"), ("Titlecase_Letter", "Lt"),
            ("Uppercase_Letter", "Lu"), ("Mark", "M"), ("Combining_Mark", "M"), ("Spacing_Mark", "Mc"),
            ("Enclosing_Mark", "Me"), ("Nonspacing_Mark", "Mn"), ("Number", "N"), ("Decimal_Number", "Nd"),
            ("Digit", "Nd"), ("Letter_Number", "Nl"), ("Other_Number", "No"), ("Punctuation", "P"),
            ("Punct", "P"), ("Connector_Punctuation", "Pc"), ("Dash_Punctuation", "Pd"),
            ("Close_Punctuation", "Pe"), ("Final_Punctuation", "Pf"), ("Initial_Punctuation", "Pi"),
            ("Other_Punctuation", "Po"), ("Open_Punctuation", "Ps"), ("Symbol", "S"), ("Currency_Symbol", "Sc"),
            ("Modifier_Symbol", "Sk"), ("Math_Symbol", "Sm"), ("Other_Symbol", "So"), ("Separator", "Z"),
            ("Line_Separator", "Zl"), ("Paragraph_Separator", "Zp"), ("Space_Separator", "Zs"), ("Cntrl", "Cc"),
        ]
        var map: [String: String] = [:]
        for (alias, code) in pairs { map[canonicalName(alias)] = code }
        return map
    }()

    /// All general categories, built once from the standard library's Unicode data.
    private static let categories: [String: RuneRanges] = buildCategories()

    private static func code(of category: Unicode.GeneralCategory) -> String {
        switch category {
        case .uppercaseLetter: return "Lu"
        case .lowercaseLetter: return "Ll"
        case .titlecaseLetter: return "Lt"
        case .modifierLetter: return "Lm"
        case .otherLetter: return "Lo"
        case .nonspacingMark: return "Mn"
        case .spacingMark: return "Mc"
        case .enclosingMark: return "Me"
        case .decimalNumber: return "Nd"
        case .letterNumber: return "Nl"
        case .otherNumber: return "No"
        case .connectorPunctuation: return "Pc"
        case .dashPunctuation: return "Pd"
        case .openPunctuation: return "Ps"
        case .closePunctuation: return "Pe"
        case .initialPunctuation: return "Pi"
        case .finalPunctuation: return "Pf"
        case .otherPunctuation: return "Po"
        case .mathSymbol: return "Sm"
        case .currencySymbol: return "Sc"
        case .modifierSymbol: return "Sk"
        case .otherSymbol: return "So"
        case .spaceSeparator: return "Zs"
        case .lineSeparator: return "Zl"
        case .paragraphSeparator: return "Zp"
        case .control: return "Cc"
        case .format: return "Cf"
        case .surrogate: return "Cs"
        case .privateUse: return "Co"
        case .unassigned: return "Cn"
        @unknown default: return "Cn"
        }
    }

    private static func buildCategories() -> [String: RuneRanges] {
        var sets: [String: RuneRanges] = [:]
        var runStart: Rune = 0
        var runCode = "Cc"
        func flush(_ end: Rune) {
            sets[runCode, default: RuneRanges()].append(runStart, end)
        }
        var value: Rune = 0
        while value <= maxRune {
            let current: String
            if value >= 0xD800 && value <= 0xDFFF {
                current = "Cs"
            } else if let scalar = Unicode.Scalar(UInt32(value)) {
                current = code(of: scalar.properties.generalCategory)
            } else {
                current = "Cn"
            }
            if current != runCode {
                if value > 0 { flush(value - 1) }
                runStart = value
                runCode = current
            }
            value += 1
        }
        flush(maxRune)
        var result: [String: RuneRanges] = [:]
        for (key, set) in sets { result[key] = set.cleaned() }
        let majors: [(String, [String])] = [
            ("C", ["Cc", "Cf", "Co", "Cs"]), ("L", ["Lu", "Ll", "Lt", "Lm", "Lo"]), ("LC", ["Lu", "Ll", "Lt"]),
            ("M", ["Mn", "Mc", "Me"]), ("N", ["Nd", "Nl", "No"]), ("P", ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"]),
            ("S", ["Sm", "Sc", "Sk", "So"]), ("Z", ["Zs", "Zl", "Zp"]),
        ]
        for (major, minors) in majors {
            var union = RuneRanges()
            for minor in minors {
                if let set = result[minor] { union.append(contentsOf: set) }
            }
            result[major] = union.cleaned()
        }
        return result
    }
}
