import ESJSON

/// encoding/json for template values: `json.Marshal` (sorted keys, HTML-safe escaping),
/// `json.MarshalIndent` and an encoder with `SetEscapeHTML(false)`.
enum GoJSON {
    struct UnsupportedValue: Error, CustomStringConvertible { var message: String; var description: String { message } }

    static func marshal(_ v: GoValue, indent: String? = nil, escapeHTML: Bool = true) throws(UnsupportedValue) -> String {
        var out = ""
        try write(v, into: &out, indent: indent, level: 0, escapeHTML: escapeHTML)
        return out
    }

    private static func write(_ v: GoValue, into out: inout String, indent: String?, level: Int,
                              escapeHTML: Bool) throws(UnsupportedValue) {
        guard level < GoFormat.maximumDepth else {
            throw UnsupportedValue(message: "json: unsupported value: encountered a cycle via map[string]interface {}")
        }
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i, _): out += String(i)
        case .float(let f):
            guard f.isFinite else {
                throw UnsupportedValue(message: "json: unsupported value: \(GoFloatFormat.shortestG(f))")
            }
            out += GoFloatFormat.json(f)
        case .string(let s): writeString(s, into: &out, escapeHTML: escapeHTML)
        case .time(let t): writeString(GoTimeFormat.format(t, "2006-01-02T15:04:05.999999999Z07:00"), into: &out, escapeHTML: escapeHTML)
        case .bytes(let b): out += "\"" + Base64.encode(b) + "\""
        case .list(let items, _):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent, level + 1)
                try write(item, into: &out, indent: indent, level: level + 1, escapeHTML: escapeHTML)
            }
            newline(&out, indent, level)
            out += "]"
        case .map(let m, _):
            if m.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in m.sortedKeys.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent, level + 1)
                writeString(key, into: &out, escapeHTML: escapeHTML)
                out += indent == nil ? ":" : ": "
                try write(m[key] ?? .null, into: &out, indent: indent, level: level + 1, escapeHTML: escapeHTML)
            }
            newline(&out, indent, level)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n" + String(repeating: indent, count: level)
    }

    static func writeString(_ s: String, into out: inout String, escapeHTML: Bool) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&":
                if escapeHTML { out += "\\u00" + GoFormat.hex2(c.value) } else { out.unicodeScalars.append(c) }
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if c.value < 0x20 { out += "\\u00" + GoFormat.hex2(c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        out += "\""
    }

    /// `json.Unmarshal` into `interface{}`; Go-style messages for the common failures.
    static func unmarshal(_ text: String) throws -> GoValue {
        let trimmed = text.unicodeScalars.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        if trimmed.isEmpty { throw FunctionError("unexpected end of JSON input") }
        do {
            return GoValue(json: try JSON.parse(text))
        } catch {
            if let first = trimmed.first, !"{[\"-0123456789tfn".unicodeScalars.contains(first) {
                throw FunctionError("invalid character '\(Character(first))' looking for beginning of value")
            }
            if error.message.lowercased().contains("end") { throw FunctionError("unexpected end of JSON input") }
            throw FunctionError(error.message)
        }
    }
}
