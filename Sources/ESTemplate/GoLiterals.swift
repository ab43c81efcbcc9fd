/// Go literal syntax: `strconv.Unquote`, `strconv.UnquoteChar` and the numeric constant rules of
/// text/template's parser.
enum GoLiterals {
    struct SyntaxError: Error { var message: String }

    /// Unquotes a Go interpreted ("...") or raw (`...`) string literal.
    static func unquote(_ literal: String) throws(SyntaxError) -> String {
        let scalars = Array(literal.unicodeScalars)
        guard scalars.count >= 2, let q = scalars.first, q == scalars.last, q == "\"" || q == "`" || q == "'" else {
            throw SyntaxError(message: "invalid syntax")
        }
        let body = Array(scalars[1..<(scalars.count - 1)])
        if q == "`" {
            var s = String.UnicodeScalarView()
            for c in body where c != "\r" { s.append(c) }
            return String(s)
        }
        var out = String.UnicodeScalarView()
        var bytesPending: [UInt8] = []
        func flushBytes() {
            if !bytesPending.isEmpty {
                out.append(contentsOf: String(decoding: bytesPending, as: UTF8.self).unicodeScalars)
                bytesPending = []
            }
        }
        var i = 0
        while i < body.count {
            let c = body[i]
            if c != "\\" {
                if c == q && q == "\"" { throw SyntaxError(message: "invalid syntax") }
                flushBytes(); out.append(c); i += 1; continue
            }
            let (value, isByte, consumed) = try unescape(body, i, quote: q)
            if isByte { bytesPending.append(UInt8(value)) } else {
                flushBytes()
                guard let s = Unicode.Scalar(value) else { throw SyntaxError(message: "invalid syntax") }
                out.append(s)
            }
            i += consumed
        }
        flushBytes()
        let result = String(out)
        if q == "'" && result.unicodeScalars.count != 1 { throw SyntaxError(message: "invalid syntax") }
        return result
    }

    /// One escape sequence at `body[i]` (a backslash): (value, is a raw byte, characters consumed).
    private static func unescape(_ body: [Unicode.Scalar], _ i: Int, quote: Unicode.Scalar) throws(SyntaxError) -> (UInt32, Bool, Int) {
        guard i + 1 < body.count else { throw SyntaxError(message: "invalid syntax") }
        let c = body[i + 1]
        switch c {
        case "a": return (7, false, 2)
        case "b": return (8, false, 2)
        case "f": return (12, false, 2)
        case "n": return (10, false, 2)
        case "r": return (13, false, 2)
        case "t": return (9, false, 2)
        case "v": return (11, false, 2)
        case "\\": return (92, false, 2)
        case "'", "\"":
            guard c == quote else { throw SyntaxError(message: "invalid syntax") }
            return (c.value, false, 2)
        case "x", "u", "U":
            let n = c == "x" ? 2 : (c == "u" ? 4 : 8)
            guard i + 1 + n < body.count + 0 || i + 2 + n <= body.count else { throw SyntaxError(message: "invalid syntax") }
            var v: UInt32 = 0
            for k in 0..<n {
                guard let d = hexValue(body[i + 2 + k]) else { throw SyntaxError(message: "invalid syntax") }
                v = v * 16 + d
            }
            if c == "x" { return (v, quote != "'", 2 + n) }
            guard v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else { throw SyntaxError(message: "invalid syntax") }
            return (v, false, 2 + n)
        case "0"..."7":
            guard i + 4 <= body.count else { throw SyntaxError(message: "invalid syntax") }
            var v: UInt32 = 0
            for k in 0..<3 {
                let d = body[i + 1 + k]
                guard d.value >= 48 && d.value <= 55 else { throw SyntaxError(message: "invalid syntax") }
                v = v * 8 + (d.value - 48)
            }
            guard v <= 255 else { throw SyntaxError(message: "invalid syntax") }
            return (v, quote != "'", 4)
        default:
            throw SyntaxError(message: "invalid syntax")
        }
    }

    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 48...57: return c.value - 48
        case 65...70: return c.value - 55
        case 97...102: return c.value - 87
        default: return nil
        }
    }

    /// Parses a number token the way text/template's `newNumber` does.
    static func number(_ text: String, isChar: Bool) throws(SyntaxError) -> NumberConstant {
        var n = NumberConstant(text: text)
        if isChar {
            guard let s = try? unquote(text), let scalar = s.unicodeScalars.first else {
                throw SyntaxError(message: "malformed character constant: \(text)")
            }
            n.isChar = true
            n.isInt = true; n.int = Int64(scalar.value)
            n.isFloat = true; n.float = Double(scalar.value)
            return n
        }
        if text.hasSuffix("i") {
            throw SyntaxError(message: "illegal number syntax: \(GoFormat.quote(text))")
        }
        if let i = parseInt(text) {
            n.isInt = true; n.int = i
            n.isFloat = true; n.float = Double(i)
            return n
        }
        if let f = parseFloat(text) {
            let lower = text.lowercased()
            let isHex = lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x")
            if !(isHex ? lower.contains("p") : (lower.contains(".") || lower.contains("e"))) {
                throw SyntaxError(message: "integer overflow: \(GoFormat.quote(text))")
            }
            n.isFloat = true; n.float = f
            if f.isFinite, f == f.rounded(), abs(f) < 9.2e18 { n.isInt = true; n.int = Int64(f) }
            return n
        }
        throw SyntaxError(message: "illegal number syntax: \(GoFormat.quote(text))")
    }

    /// `strconv.ParseInt(text, 0, 64)`: sign, 0x/0o/0b/0 prefixes, underscores between digits.
    static func parseInt(_ text: String) -> Int64? {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("+") { s = s.dropFirst() } else if s.hasPrefix("-") { negative = true; s = s.dropFirst() }
        guard !s.isEmpty else { return nil }
        var radix = 10
        var hadPrefix = false
        let lower = s.lowercased()
        if lower.hasPrefix("0x") { radix = 16; s = s.dropFirst(2); hadPrefix = true }
        else if lower.hasPrefix("0o") { radix = 8; s = s.dropFirst(2); hadPrefix = true }
        else if lower.hasPrefix("0b") { radix = 2; s = s.dropFirst(2); hadPrefix = true }
        else if s.count > 1 && s.hasPrefix("0") { radix = 8; s = s.dropFirst(1); hadPrefix = true }
        guard underscoresOK(String(s), hadPrefix: hadPrefix) else { return nil }
        let digits = s.filter { $0 != "_" }
        guard !digits.isEmpty, let mag = UInt64(digits, radix: radix) else { return nil }
        if negative {
            guard mag <= UInt64(Int64.max) + 1 else { return nil }
            return mag == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mag)
        }
        guard mag <= UInt64(Int64.max) else { return nil }
        return Int64(mag)
    }

    private static func underscoresOK(_ s: String, hadPrefix: Bool) -> Bool {
        guard s.contains("_") else { return true }
        if s.hasSuffix("_") || s.contains("__") { return false }
        if s.hasPrefix("_") && !hadPrefix { return false }
        return true
    }

    /// `strconv.ParseFloat(text, 64)` for decimal and hex floats.
    static func parseFloat(_ text: String) -> Double? {
        var s = text
        if s.contains("_") {
            guard !s.hasSuffix("_"), !s.contains("__") else { return nil }
            s = s.filter { $0 != "_" }
        }
        let lower = s.lowercased()
        if lower.contains("0x") {
            guard lower.contains("p") else { return nil }
            return Double(s)
        }
        guard !s.isEmpty, s.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
        return Double(s)
    }
}
