import ESJSON

extension YAML {
    /// Block-style YAML for a JSON value: what `kubectl get -o yaml` users expect to read.
    /// Strings that would resolve to something else, or need escapes, are double-quoted.
    public static func serialize(_ value: JSON, sortKeys: Bool = false) -> String {
        var out = ""
        write(value, into: &out, indent: 0, sortKeys: sortKeys, inline: false)
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    /// A multi-document stream separated by `---`.
    public static func serializeDocuments(_ values: [JSON], sortKeys: Bool = false) -> String {
        values.map { serialize($0, sortKeys: sortKeys) }.joined(separator: "---\n")
    }

    private static func write(_ value: JSON, into out: inout String, indent: Int, sortKeys: Bool, inline: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let o) where !o.isEmpty:
            var first = true
            for (key, child) in (sortKeys ? o.sortedByKey : Array(o)) {
                if !(first && inline) { out += pad }
                first = false
                out += scalarText(key) + ":"
                writeChild(child, into: &out, indent: indent, sortKeys: sortKeys)
            }
        case .array(let a) where !a.isEmpty:
            var first = true
            for child in a {
                if !(first && inline) { out += pad }
                first = false
                out += "-"
                switch child {
                case .object(let o) where !o.isEmpty:
                    out += " "
                    write(child, into: &out, indent: indent + 2, sortKeys: sortKeys, inline: true)
                case .array(let a) where !a.isEmpty:
                    out += " "
                    write(child, into: &out, indent: indent + 2, sortKeys: sortKeys, inline: true)
                default:
                    out += " " + flowText(child, indent: indent + 2) + "\n"
                }
            }
        default:
            out += flowText(value, indent: indent) + "\n"
        }
    }

    private static func writeChild(_ child: JSON, into out: inout String, indent: Int, sortKeys: Bool) {
        switch child {
        case .object(let o) where !o.isEmpty:
            out += "\n"
            write(child, into: &out, indent: indent + 2, sortKeys: sortKeys, inline: false)
        case .array(let a) where !a.isEmpty:
            out += "\n"
            write(child, into: &out, indent: indent, sortKeys: sortKeys, inline: false)
        default:
            out += " " + flowText(child, indent: indent + 2) + "\n"
        }
    }

    private static func flowText(_ value: JSON, indent: Int) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.text
        case .object: return "{}"
        case .array: return "[]"
        case .string(let s):
            if s.contains("\n"), !s.contains(where: { $0 != "\n" && $0 != "\t" && ($0.asciiValue.map { $0 < 0x20 } ?? false) }),
                !s.hasPrefix(" "), !s.contains("\r")
            {
                // Literal block; `|-` when there is no trailing newline.
                let chomp = s.hasSuffix("\n") ? (s.hasSuffix("\n\n") ? "+" : "") : "-"
                let pad = String(repeating: " ", count: indent)
                var body = s
                if body.hasSuffix("\n") { body.removeLast() }
                let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
                return "|" + chomp + lines.map { $0.isEmpty ? "\n" : "\n" + pad + $0 }.joined()
            }
            return scalarText(s)
        }
    }

    /// A string as a plain scalar when that reads back as the same string, else double-quoted.
    static func scalarText(_ s: String) -> String {
        if needsQuotes(s) {
            return JSON.string(s).serializedString()
        }
        return s
    }

    private static func needsQuotes(_ s: String) -> Bool {
        if s.isEmpty { return true }
        if case .string = YAMLScalar.resolvePlain(s) {} else { return true }
        if s.first!.isWhitespace || s.last!.isWhitespace { return true }
        if let f = s.first, "-?:,[]{}#&*!|>'\"%@`".contains(f) {
            // "-" followed by a non-space (e.g. "-foo") is fine as a plain scalar, but keep it simple.
            return true
        }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return true }
        for scalar in s.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FEFF}" {
            return true
        }
        return false
    }
}
