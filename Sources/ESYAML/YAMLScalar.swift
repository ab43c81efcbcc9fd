import ESJSON

/// Resolution of plain (unquoted) scalars by YAML 1.1 rules, as go-yaml v2 applies them when
/// Kubernetes turns YAML into JSON: `yes`/`on` are booleans, `0x1F` and `0777` are integers,
/// `~` is null, anything else is a string.
public enum YAMLScalar {
    public static func resolvePlain(_ text: String) -> JSON {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        if let b = bool(text) { return .bool(b) }
        if let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        {
            if let n = int(text) { return .number(n) }
            if let n = float(text) { return .number(n) }
            if text == ".inf" || text == "+.inf" || text == "-.inf" || text == ".nan" || text == ".Inf" || text == ".NaN" {
                // JSON has no infinities; keep the text.
                return .string(text)
            }
        }
        return .string(text)
    }

    public static func bool(_ text: String) -> Bool? {
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return true
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// Integers: decimal, `0x` hex, `0o`/leading-zero octal, `0b` binary, `_` separators, sign.
    public static func int(_ text: String) -> JSONNumber? {
        var s = Substring(text.replacingOccurrences(of: "_", with: ""))
        guard !s.isEmpty else { return nil }
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        guard !s.isEmpty else { return nil }
        var radix = 10
        if s.hasPrefix("0x") { radix = 16; s = s.dropFirst(2) }
        else if s.hasPrefix("0o") { radix = 8; s = s.dropFirst(2) }
        else if s.hasPrefix("0b") { radix = 2; s = s.dropFirst(2) }
        else if s.count > 1, s.first == "0" { radix = 8; s = s.dropFirst() }
        guard !s.isEmpty, let magnitude = UInt64(s, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return JSONNumber(text: magnitude == 0 ? "0" : "-\(magnitude)")
        }
        return JSONNumber(text: String(magnitude))
    }

    public static func float(_ text: String) -> JSONNumber? {
        let s = text.replacingOccurrences(of: "_", with: "")
        // Shape check: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var chars = Substring(s)
        if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
        var sawDigit = false
        var i = chars.startIndex
        while i < chars.endIndex, chars[i].isASCII, chars[i].isNumber { sawDigit = true; i = chars.index(after: i) }
        if i < chars.endIndex, chars[i] == "." {
            i = chars.index(after: i)
            while i < chars.endIndex, chars[i].isASCII, chars[i].isNumber { sawDigit = true; i = chars.index(after: i) }
        }
        guard sawDigit else { return nil }
        if i < chars.endIndex, chars[i] == "e" || chars[i] == "E" {
            i = chars.index(after: i)
            if i < chars.endIndex, chars[i] == "-" || chars[i] == "+" { i = chars.index(after: i) }
            var expDigits = false
            while i < chars.endIndex, chars[i].isASCII, chars[i].isNumber { expDigits = true; i = chars.index(after: i) }
            guard expDigits else { return nil }
        }
        guard i == chars.endIndex, let d = Double(s), d.isFinite else { return nil }
        return JSONNumber(d)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
