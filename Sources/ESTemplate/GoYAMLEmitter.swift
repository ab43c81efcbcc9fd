/// What ESO's `toYaml` prints: sigs.k8s.io/yaml's Marshal, i.e. the value's JSON re-read as YAML and
/// emitted by go-yaml v2 (sorted keys, 2-space indent, sequences flush with their parent key, plain
/// scalars where libyaml allows them, single quotes where it does not, double quotes for strings that
/// would resolve to another type, literal blocks for multi-line strings, plain scalars folded at 80).
enum GoYAMLEmitter {
    static let bestWidth = 80

    /// The value after the JSON round trip: integers stay integers, other numbers are floats.
    indirect enum Node {
        case null, bool(Bool), int(Int64), float(Double), string(String)
        case seq([Node]), map([(String, Node)])
    }

    static func node(_ v: GoValue, depth: Int = 0) throws -> Node {
        guard depth < GoFormat.maximumDepth else { throw FunctionError("json: unsupported value: encountered a cycle") }
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i, _): return .int(i)
        case .float(let f):
            guard f.isFinite else { throw FunctionError("json: unsupported value: \(GoFloatFormat.shortestG(f))") }
            let text = GoFloatFormat.json(f)
            if !text.contains("."), !text.contains("e"), let i = Int64(text) { return .int(i) }
            return .float(Double(text) ?? f)
        case .string(let s): return .string(s)
        case .time(let t): return .string(GoTimeFormat.format(t, "2006-01-02T15:04:05.999999999Z07:00"))
        case .bytes(let b): return .string(Base64.encode(b))
        case .list(let l, _): return .seq(try l.map { try node($0, depth: depth + 1) })
        case .map(let m, _): return .map(try m.sortedKeys.map { ($0, try node(m[$0] ?? .null, depth: depth + 1)) })
        }
    }

    static func marshal(_ v: GoValue) throws -> String {
        var out = ""
        let n = try node(v)
        switch n {
        case .map(let pairs) where !pairs.isEmpty: writeMap(pairs, indent: 0, into: &out)
        case .seq(let items) where !items.isEmpty: writeSeq(items, indent: 0, into: &out)
        default: out += scalar(n, indent: 0, simpleKey: false, column: 0) + "\n"
        }
        return out
    }

    private static func writeMap(_ pairs: [(String, Node)], indent: Int, into out: inout String, inlineFirst: Bool = false) {
        let pad = String(repeating: " ", count: indent)
        for (i, (key, value)) in pairs.enumerated() {
            if !(i == 0 && inlineFirst) { out += pad }
            let k = scalar(.string(key), indent: indent, simpleKey: true, column: indent)
            out += k + ":"
            switch value {
            case .map(let p) where !p.isEmpty:
                out += "\n"
                writeMap(p, indent: indent + 2, into: &out)
            case .seq(let s) where !s.isEmpty:
                out += "\n"
                writeSeq(s, indent: indent, into: &out)
            default:
                out += " " + scalar(value, indent: indent + 2, simpleKey: false, column: indent + k.count + 2) + "\n"
            }
        }
    }

    private static func writeSeq(_ items: [Node], indent: Int, into out: inout String, inlineFirst: Bool = false) {
        let pad = String(repeating: " ", count: indent)
        for (i, item) in items.enumerated() {
            if !(i == 0 && inlineFirst) { out += pad }
            out += "- "
            switch item {
            case .map(let p) where !p.isEmpty:
                writeMap(p, indent: indent + 2, into: &out, inlineFirst: true)
            case .seq(let s) where !s.isEmpty:
                writeSeq(s, indent: indent + 2, into: &out, inlineFirst: true)
            default:
                out += scalar(item, indent: indent + 2, simpleKey: false, column: indent + 2) + "\n"
            }
        }
    }

    private static func scalar(_ n: Node, indent: Int, simpleKey: Bool, column: Int) -> String {
        switch n {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f):
            if f.isNaN { return ".nan" }
            if f.isInfinite { return f > 0 ? ".inf" : "-.inf" }
            return GoFloatFormat.shortestG(f)   // go-yaml v2: strconv.FormatFloat(f, 'g', -1, 64)
        case .map: return "{}"
        case .seq: return "[]"
        case .string(let s): return string(s, indent: indent, simpleKey: simpleKey, column: column)
        }
    }

    // MARK: - Strings

    /// go-yaml's resolver: would this plain text read back as something other than a string?
    static func resolvesToNonString(_ s: String) -> Bool {
        switch s {
        case "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<":
            return true
        default: break
        }
        guard let first = s.unicodeScalars.first, "+-.0123456789".unicodeScalars.contains(first) else { return false }
        let plain = s.replacingAll("_", with: "")
        if GoLiterals.parseInt(plain) != nil { return true }
        if plain.hasPrefix("0b") || plain.hasPrefix("-0b") || plain.hasPrefix("+0b") { return true }
        // YAML 1.1 float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var body = Substring(plain)
        if body.hasPrefix("+") || body.hasPrefix("-") { body = body.dropFirst() }
        var mantissa = body, exponent: Substring = ""
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = body[..<e]; exponent = body[body.index(after: e)...]
            if exponent.hasPrefix("+") || exponent.hasPrefix("-") { exponent = exponent.dropFirst() }
            if exponent.isEmpty || !exponent.allSatisfy(\.isASCII) || !exponent.allSatisfy(\.isNumber) { return isBase60(s) }
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 1 { return !parts[0].isEmpty && parts[0].allSatisfy { $0.isASCII && $0.isNumber } || isBase60(s) }
        let intPart = parts[0], frac = parts[1]
        if intPart.isEmpty { return !frac.isEmpty && frac.allSatisfy { $0.isASCII && $0.isNumber } }
        return intPart.allSatisfy { $0.isASCII && $0.isNumber } && frac.allSatisfy { $0.isASCII && $0.isNumber } || isBase60(s)
    }

    /// go-yaml's `isBase60Float`: `[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?`.
    static func isBase60(_ s: String) -> Bool {
        var b = Substring(s)
        if b.hasPrefix("+") || b.hasPrefix("-") { b = b.dropFirst() }
        guard let f = b.first, f.isASCII, f.isNumber, b.contains(":") else { return false }
        var main = b
        if let dot = b.firstIndex(of: ".") {
            main = b[..<dot]
            guard b[b.index(after: dot)...].allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }) else { return false }
        }
        let groups = main.split(separator: ":", omittingEmptySubsequences: false)
        guard groups[0].allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }) else { return false }
        for g in groups.dropFirst() {
            guard (1...2).contains(g.count), g.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if g.count == 2, let d = g.first?.wholeNumberValue, d > 5 { return false }
        }
        return groups.count > 1
    }

    struct Analysis {
        var multiline = false
        var flowPlainAllowed = true
        var blockPlainAllowed = true
        var singleQuotedAllowed = true
        var blockAllowed = true
    }

    /// libyaml's `yaml_emitter_analyze_scalar` (unicode output enabled).
    static func analyze(_ s: String) -> Analysis {
        var a = Analysis()
        let c = Array(s.unicodeScalars)
        if c.isEmpty {
            a.flowPlainAllowed = false; a.blockPlainAllowed = false; a.blockAllowed = false
            return a
        }
        if s.hasPrefix("---") || s.hasPrefix("...") { a.blockPlainAllowed = false; a.flowPlainAllowed = false }
        var flowIndicators = false, blockIndicators = false, specialCharacters = false
        var lineBreaks = false, leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false
        var precededByWhitespace = true
        func isBlankOrEnd(_ i: Int) -> Bool { i >= c.count || c[i] == " " || c[i] == "\t" || isBreak(c[i]) }
        func isBreak(_ x: Unicode.Scalar) -> Bool { x == "\n" || x == "\r" || x == "\u{85}" || x == "\u{2028}" || x == "\u{2029}" }
        for i in 0..<c.count {
            let ch = c[i]
            let followedByWhitespace = isBlankOrEnd(i + 1)
            if i == 0 {
                switch ch {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
                    flowIndicators = true; blockIndicators = true
                case "?", ":":
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case "-":
                    if followedByWhitespace { flowIndicators = true; blockIndicators = true }
                default: break
                }
            } else {
                switch ch {
                case ",", "?", "[", "]", "{", "}": flowIndicators = true
                case ":":
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case "#":
                    if precededByWhitespace { flowIndicators = true; blockIndicators = true }
                default: break
                }
            }
            let printable = ch == "\n" || ch == "\t" || ch == "\r" || (ch.value >= 0x20 && ch.value <= 0x7E)
                || ch == "\u{85}" || (ch.value >= 0xA0 && ch.value <= 0xD7FF) || (ch.value >= 0xE000 && ch.value <= 0xFFFD && ch != "\u{FEFF}")
                || (ch.value >= 0x10000 && ch.value <= 0x10FFFF)
            if !printable { specialCharacters = true }
            if isBreak(ch) { lineBreaks = true }
            if ch == " " {
                if i == 0 { leadingSpace = true }
                if i == c.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true; previousBreak = false
            } else if isBreak(ch) {
                if i == 0 { leadingBreak = true }
                if i == c.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousBreak = true; previousSpace = false
            } else {
                previousSpace = false; previousBreak = false
            }
            precededByWhitespace = ch == " " || ch == "\t" || isBreak(ch)
        }
        a.multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            a.flowPlainAllowed = false; a.blockPlainAllowed = false
        }
        if trailingSpace { a.blockAllowed = false }
        if breakSpace { a.flowPlainAllowed = false; a.blockPlainAllowed = false; a.singleQuotedAllowed = false }
        if spaceBreak || specialCharacters {
            a.flowPlainAllowed = false; a.blockPlainAllowed = false; a.singleQuotedAllowed = false; a.blockAllowed = false
        }
        if lineBreaks { a.flowPlainAllowed = false; a.blockPlainAllowed = false }
        if flowIndicators { a.flowPlainAllowed = false }
        if blockIndicators { a.blockPlainAllowed = false }
        return a
    }

    static func string(_ s: String, indent: Int, simpleKey: Bool, column: Int) -> String {
        let a = analyze(s)
        enum Style { case plain, single, double, literal }
        var style: Style
        if s.contains("\n") && !simpleKey {
            style = .literal
        } else if resolvesToNonString(s) {
            style = .double
        } else {
            style = .plain
        }
        if style == .plain {
            if !a.blockPlainAllowed || (s.isEmpty && simpleKey) || (simpleKey && a.multiline) { style = .single }
        }
        if style == .single && !a.singleQuotedAllowed { style = .double }
        if style == .literal && (!a.blockAllowed || simpleKey) { style = .double }
        switch style {
        case .plain: return fold(s, indent: indent, column: column)
        case .single: return "'" + s.replacingAll("'", with: "''") + "'"
        case .double: return doubleQuoted(s)
        case .literal: return literal(s, indent: indent)
        }
    }

    /// Plain scalars break at a single space once past column 80.
    private static func fold(_ s: String, indent: Int, column: Int) -> String {
        guard s.utf8.count + column > bestWidth, s.contains(" ") else { return s }
        var out = ""
        var col = column
        let c = Array(s.unicodeScalars)
        var spaces = false
        for i in 0..<c.count {
            if c[i] == " " {
                if !spaces && col > bestWidth && i + 1 < c.count && c[i + 1] != " " {
                    out += "\n" + String(repeating: " ", count: indent)
                    col = indent
                } else {
                    out += " "; col += 1
                }
                spaces = true
            } else {
                out.unicodeScalars.append(c[i]); col += 1
                spaces = false
            }
        }
        return out
    }

    private static func literal(_ s: String, indent: Int) -> String {
        var header = "|"
        if let f = s.unicodeScalars.first, f == " " || f == "\n" { header += "2" }
        if !s.hasSuffix("\n") { header += "-" } else if s.hasSuffix("\n\n") || s == "\n" { header += "+" }
        let pad = String(repeating: " ", count: indent)
        var body = s
        if body.hasSuffix("\n") { body.removeLast() }
        var out = header
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            out += "\n" + (line.isEmpty ? "" : pad + line)
        }
        return out
    }

    private static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\0": out += "\\0"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0B}": out += "\\v"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case "\u{1B}": out += "\\e"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{85}": out += "\\N"
            case "\u{A0}": out += "\\_"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if ch.value < 0x20 || ch.value == 0x7F || ch == "\u{FEFF}" || (ch.value >= 0xD800 && ch.value <= 0xDFFF) {
                    out += ch.value <= 0xFF ? "\\x" + GoFormat.hex2(ch.value).uppercased()
                        : "\\u" + GoFormat.pad(String(ch.value, radix: 16).uppercased(), 4)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}
