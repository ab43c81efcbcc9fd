/// Conversions sprig relies on (spf13/cast and sprig's own helpers).
enum Cast {
    /// `cast.ToInt64`: numbers truncate, strings parse with base prefixes (0 on failure), bools are 0/1.
    static func toInt64(_ v: GoValue) -> Int64 {
        switch v {
        case .int(let i, _): return i
        case .float(let f):
            guard f.isFinite else { return f.isNaN ? Int64.min : (f > 0 ? Int64.min : Int64.min) }
            return f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 ? Int64.min : Int64(f)
        case .string(let s): return GoLiterals.parseInt(trimZeroDecimal(s)) ?? 0
        case .bool(let b): return b ? 1 : 0
        default: return 0
        }
    }

    static func toInt(_ v: GoValue) -> Int { Int(truncatingIfNeeded: toInt64(v)) }

    /// `cast.ToFloat64`.
    static func toFloat64(_ v: GoValue) -> Double {
        switch v {
        case .int(let i, _): return Double(i)
        case .float(let f): return f
        case .string(let s): return goParseFloat(s) ?? 0
        case .bool(let b): return b ? 1 : 0
        default: return 0
        }
    }

    /// `strconv.ParseFloat` (decimal, hex, inf/nan spellings).
    static func goParseFloat(_ s: String) -> Double? {
        let lower = s.lowercased()
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        return GoLiterals.parseFloat(s)
    }

    static func trimZeroDecimal(_ s: String) -> String {
        guard let dot = s.firstIndex(of: ".") else { return s }
        let frac = s[s.index(after: dot)...]
        guard !frac.isEmpty, frac.allSatisfy({ $0 == "0" }) else { return s }
        return String(s[..<dot])
    }
}

enum Sprig {
    /// sprig's `strval`: strings as-is, everything else `%v`.
    static func strval(_ v: GoValue) -> String {
        switch v {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        default: return GoFormat.sprint(v)
        }
    }

    /// sprig's `strslice`: a list as strings (nil elements dropped), a scalar as a one-element list.
    static func strslice(_ v: GoValue) -> [String] {
        switch v {
        case .list(let items, _): return items.filter { !$0.isNull }.map(strval)
        case .bytes(let b): return b.map { String($0) }
        case .null: return []
        default: return [strval(v)]
        }
    }

    /// sprig's `empty`.
    static func empty(_ v: GoValue) -> Bool { !v.isTrue }

    /// A list argument (slices and arrays), or nil when the value is not a list.
    static func list(_ v: GoValue) -> [GoValue]? {
        switch v {
        case .list(let l, _): return l
        case .bytes(let b): return b.map { .int(Int64($0), .uint8) }
        default: return nil
        }
    }

    static func listKind(_ v: GoValue) -> String { v.isNull ? "<nil>" : v.kindName }

    /// Guards against functions that would allocate without bound.
    static let maxValueBytes = 8 << 20

    static func checkSize(_ n: Int, _ what: String) throws {
        if n > maxValueBytes || n < 0 { throw FunctionError("\(what): result larger than \(maxValueBytes) bytes") }
    }

    /// Go's `unicode.IsSpace`.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        default: return c.properties.isWhitespace && c.value > 0xFF
        }
    }

    static func isLetter(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic && !c.properties.isWhitespace }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.properties.numericType == .decimal }
}
