/// Go's `fmt` package for template values: `Sprint`, `Sprintln`, `Sprintf` and `%v` formatting.
enum GoFormat {
    /// `fmt.Sprint(v)` for one value.
    static func sprint(_ v: GoValue) -> String {
        var out = ""
        formatV(v, into: &out, top: true)
        return out
    }

    /// `%v`: maps print as `map[k:v ...]` with sorted keys, slices as `[a b]`, nil as `<nil>`.
    /// Nesting beyond which values are not printed (a map can contain itself through `set`).
    static let maximumDepth = 64

    static func formatV(_ v: GoValue, into out: inout String, top: Bool = false, depth: Int = 0) {
        guard depth < maximumDepth else { out += "<max depth exceeded>"; return }
        switch v {
        case .null: out += "<nil>"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i, _): out += String(i)
        case .float(let f): out += GoFloatFormat.shortestG(f)
        case .string(let s): out += s
        case .time(let t): out += t.description
        case .bytes(let b):
            out += "[" + b.map { String($0) }.joined(separator: " ") + "]"
        case .list(let items, _):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += " " }
                formatV(item, into: &out, depth: depth + 1)
            }
            out += "]"
        case .map(let m, _):
            out += "map["
            for (i, key) in m.sortedKeys.enumerated() {
                if i > 0 { out += " " }
                out += key + ":"
                formatV(m[key] ?? .null, into: &out, depth: depth + 1)
            }
            out += "]"
        }
    }

    /// `fmt.Sprint(args...)`: spaces between operands when neither side is a string.
    static func sprint(_ args: [GoValue]) -> String {
        var out = ""
        var prevString = false
        for (i, a) in args.enumerated() {
            let isString: Bool
            if case .string = a { isString = true } else { isString = false }
            if i > 0 && !isString && !prevString { out += " " }
            formatV(a, into: &out)
            prevString = isString
        }
        return out
    }

    /// `fmt.Sprintln(args...)`: always spaces, trailing newline.
    static func sprintln(_ args: [GoValue]) -> String {
        args.map { sprint($0) }.joined(separator: " ") + "\n"
    }

    /// `strconv.Quote`.
    static func quote(_ s: String, quote q: Character = "\"") -> String {
        var out = String(q)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            default:
                if Character(scalar) == q {
                    out += "\\" + String(q)
                } else if isPrint(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    out += "\\x" + hex2(scalar.value)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + pad(String(scalar.value, radix: 16), 4)
                } else {
                    out += "\\U" + pad(String(scalar.value, radix: 16), 8)
                }
            }
        }
        out.append(q)
        return out
    }

    static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x20 || s.value == 0x7F { return false }
        if s.value < 0x7F { return true }
        switch s.properties.generalCategory {
        case .control, .format, .unassigned, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return s.value == 0x20
        default:
            return true
        }
    }

    static func hex2(_ v: UInt32) -> String { pad(String(v, radix: 16), 2) }
    static func pad(_ s: String, _ n: Int) -> String { String(repeating: "0", count: max(0, n - s.count)) + s }
}
