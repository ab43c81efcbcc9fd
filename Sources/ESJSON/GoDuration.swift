/// Go's `time.Duration` text forms: `time.ParseDuration` (what `metav1.Duration` uses when it
/// decodes `refreshInterval`) and `Duration.String()` (what it writes back), with Go's exact error
/// messages. A Go duration is a signed 64-bit count of nanoseconds.
public enum GoDuration {
    /// A parse failure; `description` is Go's error text, e.g. `time: invalid duration "abc"`.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Parses like Go's `time.ParseDuration` (`"1h30m"`, `"-1.5s"`, `"0"`, `"300ms"`).
    public static func parse(_ s: String) throws(ParseError) -> Duration {
        .nanoseconds(try parseNanoseconds(s))
    }

    /// `time.ParseDuration` returning the nanosecond count. `extraUnits` adds units beyond Go's
    /// (e.g. `d` and `y` for certificate lifetimes), in nanoseconds.
    public static func parseNanoseconds(_ text: String, extraUnits: [String: UInt64] = [:]) throws(ParseError) -> Int64 {
        var utf8 = text
        return try utf8.withUTF8 { bytes in
            Result { () throws(ParseError) in try parseNanoseconds(bytes, text: text, extraUnits: extraUnits) }
        }.get()
    }

    private static func parseNanoseconds(_ bytes: UnsafeBufferPointer<UInt8>, text: String,
                                         extraUnits: [String: UInt64]) throws(ParseError) -> Int64 {
        // Built only when needed: the message quotes the whole text.
        var invalid: ParseError { ParseError(description: "time: invalid duration \(goQuote(text))") }
        var i = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
        }
        if bytes.count - i == 1 && bytes[i] == UInt8(ascii: "0") { return 0 }
        if i == bytes.count { throw invalid }
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        while i < bytes.count {
            let c = bytes[i]
            guard c == UInt8(ascii: ".") || isDigit(c) else { throw invalid }
            // Integer part.
            var whole: UInt64 = 0
            let wholeStart = i
            while i < bytes.count, isDigit(bytes[i]) {
                if whole > limit / 10 { throw invalid }
                whole = whole * 10 + UInt64(bytes[i] - UInt8(ascii: "0"))
                if whole > limit { throw invalid }
                i += 1
            }
            let hasWhole = i != wholeStart
            // Fraction part.
            var fraction: UInt64 = 0
            var scale: Double = 1
            var hasFraction = false
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let fractionStart = i
                var overflow = false
                while i < bytes.count, isDigit(bytes[i]) {
                    defer { i += 1 }
                    if overflow { continue }
                    if fraction > (limit - 1) / 10 { overflow = true; continue }
                    let next = fraction * 10 + UInt64(bytes[i] - UInt8(ascii: "0"))
                    if next > limit { overflow = true; continue }
                    fraction = next
                    scale *= 10
                }
                hasFraction = i != fractionStart
            }
            if !hasWhole && !hasFraction { throw invalid }
            // Unit.
            let unitStart = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "."), !isDigit(bytes[i]) { i += 1 }
            if i == unitStart {
                throw ParseError(description: "time: missing unit in duration \(goQuote(text))")
            }
            let unitBytes = UnsafeBufferPointer(rebasing: bytes[unitStart..<i])
            guard let unit = standardUnit(unitBytes) ?? extraUnits[String(decoding: unitBytes, as: UTF8.self)] else {
                let unitText = String(decoding: unitBytes, as: UTF8.self)
                throw ParseError(description: "time: unknown unit \(goQuote(unitText)) in duration \(goQuote(text))")
            }
            if whole > limit / unit { throw invalid }
            var value = whole * unit
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                if value > limit { throw invalid }
            }
            total += value
            if total > limit { throw invalid }
        }
        if negative { return total == limit ? Int64.min : -Int64(total) }
        if total > limit - 1 { throw invalid }
        return Int64(total)
    }

    /// `time.ParseDuration` in seconds, or `nil` when Go would reject the text.
    public static func seconds(_ text: String) -> Double? {
        guard let nanoseconds = try? parseNanoseconds(text) else { return nil }
        return Double(nanoseconds) / 1e9
    }

    /// Go's `Duration.String()`: `1h0m0s`, `5m0s`, `1.5s`, `300ms`, `0s`.
    public static func format(_ d: Duration) -> String { format(nanoseconds: nanoseconds(of: d)) }

    /// Go's `Duration.String()` of a nanosecond count.
    public static func format(nanoseconds: Int64) -> String {
        let negative = nanoseconds < 0
        var u = nanoseconds.magnitude
        var out: [UInt8] = []  // built in reverse
        if u < 1_000_000_000 {
            out.append(UInt8(ascii: "s"))
            let precision: Int
            switch u {
            case 0: return "0s"
            case ..<1_000:
                precision = 0
                out.append(UInt8(ascii: "n"))
            case ..<1_000_000:
                precision = 3
                out.append(contentsOf: [0xB5, 0xC2])  // "µ" (U+00B5), reversed UTF-8
            default:
                precision = 6
                out.append(UInt8(ascii: "m"))
            }
            u = appendFraction(&out, u, precision: precision)
            appendInteger(&out, u)
        } else {
            out.append(UInt8(ascii: "s"))
            u = appendFraction(&out, u, precision: 9)
            appendInteger(&out, u % 60)
            u /= 60
            if u > 0 {
                out.append(UInt8(ascii: "m"))
                appendInteger(&out, u % 60)
                u /= 60
                if u > 0 {
                    out.append(UInt8(ascii: "h"))
                    appendInteger(&out, u)
                }
            }
        }
        if negative { out.append(UInt8(ascii: "-")) }
        return String(decoding: out.reversed(), as: UTF8.self)
    }

    /// The nanoseconds of a Swift `Duration`, clamped to Go's Int64 range.
    public static func nanoseconds(of d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? Int64.min : Int64.max }
        return sum
    }

    // MARK: - Helpers

    /// Nanoseconds of one of Go's units (`ns`, `us`, `µs` in both spellings, `ms`, `s`, `m`, `h`), read
    /// from the bytes without building a string.
    @inline(__always)
    static func standardUnit(_ unit: UnsafeBufferPointer<UInt8>) -> UInt64? {
        switch unit.count {
        case 1:
            switch unit[0] {
            case UInt8(ascii: "s"): return 1_000_000_000
            case UInt8(ascii: "m"): return 60_000_000_000
            case UInt8(ascii: "h"): return 3_600_000_000_000
            default: return nil
            }
        case 2:
            guard unit[1] == UInt8(ascii: "s") else { return nil }
            switch unit[0] {
            case UInt8(ascii: "n"): return 1
            case UInt8(ascii: "u"): return 1_000
            case UInt8(ascii: "m"): return 1_000_000
            default: return nil
            }
        default:
            return unitNanoseconds[String(decoding: unit, as: UTF8.self)]
        }
    }

    static let unitNanoseconds: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// Writes the fraction of `v / 10^precision` (reversed), dropping trailing zeros and the point
    /// when the fraction is zero; returns the integer part.
    static func appendFraction(_ out: inout [UInt8], _ v: UInt64, precision: Int) -> UInt64 {
        var v = v
        var printed = false
        for _ in 0..<precision {
            let digit = v % 10
            printed = printed || digit != 0
            if printed { out.append(UInt8(ascii: "0") + UInt8(digit)) }
            v /= 10
        }
        if printed { out.append(UInt8(ascii: ".")) }
        return v
    }

    static func appendInteger(_ out: inout [UInt8], _ v: UInt64) {
        var v = v
        if v == 0 { out.append(UInt8(ascii: "0")); return }
        while v > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
    }

    /// Go's `time` package `quote`: double quotes, `\"` and `\\` escaped, control and non-ASCII
    /// bytes as `\xNN`.
    public static func goQuote(_ s: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in s.utf8 {
            if byte >= 0x80 || byte < 0x20 {
                out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
