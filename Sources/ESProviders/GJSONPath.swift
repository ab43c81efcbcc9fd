import ESJSON

/// The part of gjson's path syntax providers use for `remoteRef.property`: dot-separated keys with
/// `\` escapes, array indexes, `#` (array length), `#.rest` (map over elements) and `*`/`?` key
/// wildcards. `value(at:)` returns gjson's `Result.String()` of the match, or nil when nothing matches.
public enum GJSONPath {
    public static func value(in text: String, at path: String) -> String? {
        guard let document = try? JSON.parse(text) else { return nil }
        guard let match = lookup(document, components: split(path)) else { return nil }
        return string(of: match)
    }

    /// gjson `Result.String()`: strings unquoted, integers as written, other numbers in shortest
    /// decimal form, booleans as `true`/`false`, null as "", objects/arrays as compact JSON.
    public static func string(of value: JSON) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        case .number(let n): return formatNumber(n)
        case .array, .object: return value.serializedString()
        }
    }

    static func formatNumber(_ n: JSONNumber) -> String {
        var digits = Substring(n.text)
        if digits.hasPrefix("-") { digits = digits.dropFirst() }
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return n.text }
        guard let d = n.double else { return n.text }
        return goFormatFloat(d)
    }

    /// Go `strconv.FormatFloat(d, 'f', -1, 64)`: shortest representation, never exponent form.
    public static func goFormatFloat(_ d: Double) -> String {
        var s = "\(d)"
        if s.hasSuffix(".0") { s.removeLast(2) }
        guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return s }
        let exponent = Int(s[s.index(after: e)...]) ?? 0
        var mantissa = String(s[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var allDigits = intPart + fracPart
        var pointPosition = intPart.count + exponent
        if pointPosition <= 0 {
            allDigits = String(repeating: "0", count: -pointPosition + 1) + allDigits
            pointPosition = 1
        } else if pointPosition > allDigits.count {
            allDigits += String(repeating: "0", count: pointPosition - allDigits.count)
        }
        let head = allDigits.prefix(pointPosition)
        var tail = String(allDigits.dropFirst(pointPosition))
        while tail.hasSuffix("0") { tail.removeLast() }
        return (negative ? "-" : "") + head + (tail.isEmpty ? "" : "." + tail)
    }

    static func split(_ path: String) -> [String] {
        var components: [String] = []
        var current = ""
        var escaped = false
        for ch in path {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "." { components.append(current); current = ""; continue }
            current.append(ch)
        }
        components.append(current)
        return components
    }

    static func lookup(_ value: JSON, components: [String]) -> JSON? {
        guard let first = components.first else { return value }
        let rest = Array(components.dropFirst())
        switch value {
        case .array(let elements):
            if first == "#" {
                if rest.isEmpty { return .number(JSONNumber(elements.count)) }
                return .array(elements.compactMap { lookup($0, components: rest) })
            }
            guard let index = Int(first), elements.indices.contains(index) else { return nil }
            return lookup(elements[index], components: rest)
        case .object(let object):
            if first.contains("*") || first.contains("?") {
                for (key, child) in object where wildcardMatch(pattern: Array(first), key: Array(key)) {
                    return lookup(child, components: rest)
                }
                return nil
            }
            guard let child = object[first] else { return nil }
            return lookup(child, components: rest)
        default:
            return nil
        }
    }

    static func wildcardMatch(pattern: [Character], key: [Character]) -> Bool {
        var p = 0, k = 0, star = -1, mark = 0
        while k < key.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == key[k] {
                p += 1; k += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p; mark = k; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; k = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
