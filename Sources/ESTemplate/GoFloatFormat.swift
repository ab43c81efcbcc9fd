import Foundation

/// Go's float formatting (`strconv.FormatFloat`), built on Swift's shortest round-trip digits.
enum GoFloatFormat {
    /// The shortest decimal digits that round-trip, and the decimal point position
    /// (value = 0.d1d2d3... × 10^dp), like strconv's `decimalSlice`.
    static func shortestDigits(_ v: Double) -> (digits: [UInt8], dp: Int) {
        let text = "\(abs(v))"   // Swift prints the shortest round-trip representation
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var dp = 0
        var seenPoint = false
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            digits.append(c - 48)
            if !seenPoint { dp += 1 }
        }
        // Strip leading zeros.
        while let first = digits.first, first == 0, digits.count > 1 { digits.removeFirst(); dp -= 1 }
        while let last = digits.last, last == 0, digits.count > 1 { digits.removeLast() }
        if digits == [0] { return ([], 0) }
        return (digits, dp + exponent)
    }

    /// `strconv.FormatFloat(v, 'g', -1, 64)`: what `%v` and `fmt.Sprint` print.
    static func shortestG(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let (digits, dp) = shortestDigits(v)
        let sign = (v.sign == .minus) ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        let exp = dp - 1
        // Shortest formatting decides with precision 6: %e when exp < -4 || exp >= 6.
        if exp < -4 || exp >= 6 { return sign + eFormat(digits: digits, exp: exp) }
        return sign + fFormat(digits: digits, dp: dp)
    }

    /// `strconv.FormatFloat(v, 'e', -1, 64)` style with given digits.
    static func eFormat(digits: [UInt8], exp: Int) -> String {
        var s = String(Character(Unicode.Scalar(digits[0] + 48)))
        if digits.count > 1 {
            s += "."
            for d in digits.dropFirst() { s.append(Character(Unicode.Scalar(d + 48))) }
        }
        s += exp < 0 ? "e-" : "e+"
        let a = abs(exp)
        s += a < 10 ? "0\(a)" : "\(a)"
        return s
    }

    static func fFormat(digits: [UInt8], dp: Int) -> String {
        var s = ""
        if dp <= 0 {
            s = "0."
            s += String(repeating: "0", count: -dp)
            for d in digits { s.append(Character(Unicode.Scalar(d + 48))) }
            return s
        }
        for i in 0..<max(dp, digits.count) {
            if i == dp { s += "." }
            s.append(i < digits.count ? Character(Unicode.Scalar(digits[i] + 48)) : "0")
        }
        return s
    }

    /// encoding/json's float format: 'f' unless the exponent is < -6 or >= 21, then 'e' with a
    /// one-digit minimum exponent ("1e-7").
    static func json(_ v: Double) -> String {
        let (digits, dp) = shortestDigits(v)
        let sign = v.sign == .minus && !digits.isEmpty ? "-" : ""
        if digits.isEmpty { return "0" }
        let a = abs(v)
        if a < 1e-6 || a >= 1e21 {
            var e = eFormat(digits: digits, exp: dp - 1)
            // "e-07" → "e-7"
            if let r = e.range(of: "e-0") { e.replaceSubrange(r, with: "e-") }
            if let r = e.range(of: "e+0") { e.replaceSubrange(r, with: "e+") }
            return sign + e
        }
        return sign + fFormat(digits: digits, dp: dp)
    }

    /// C-style fixed-precision formatting (%f, %e, %g with an explicit precision), which Go matches.
    static func cFormat(_ v: Double, verb: Character, precision: Int) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let p = min(max(precision, 0), 100)
        return String(format: "%.\(p)\(verb)", v)
    }
}
