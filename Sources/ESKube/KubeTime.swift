#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kubernetes timestamps: `metav1.Time` (RFC 3339) and `metav1.MicroTime` (6 fractional digits).
///
/// Plain arithmetic over `gmtime_r`/`timegm`, no Foundation date formatter: a formatter per Event
/// cost CPU on every reconcile and paged megabytes of ICU calendar data into the controller.
public enum KubeTime {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public static func format(_ epochSeconds: Double) -> String {
        var t = time_t(epochSeconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        var out = ""
        out.reserveCapacity(20)
        append(Int(parts.tm_year) + 1900, width: 4, to: &out)
        out += "-"
        append(Int(parts.tm_mon) + 1, width: 2, to: &out)
        out += "-"
        append(Int(parts.tm_mday), width: 2, to: &out)
        out += "T"
        append(Int(parts.tm_hour), width: 2, to: &out)
        out += ":"
        append(Int(parts.tm_min), width: 2, to: &out)
        out += ":"
        append(Int(parts.tm_sec), width: 2, to: &out)
        out += "Z"
        return out
    }

    public static func formatMicro(_ epochSeconds: Double) -> String {
        let whole = epochSeconds.rounded(.down)
        let micros = min(999_999, max(0, Int((epochSeconds - whole) * 1_000_000)))
        var base = format(whole)
        base.removeLast()  // "Z"
        base += "."
        append(micros, width: 6, to: &base)
        return base + "Z"
    }

    /// Parses RFC 3339 (`Z` or `±HH:MM`) with or without fractional seconds; nil when malformed.
    public static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return v
        }
        guard b.count >= 20, let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2),
              b[7] == UInt8(ascii: "-"), let day = number(8, 2), b[10] == UInt8(ascii: "T"), let hour = number(11, 2),
              b[13] == UInt8(ascii: ":"), let minute = number(14, 2), b[16] == UInt8(ascii: ":"), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
            guard i > start, let value = Double("0." + String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
            fraction = value
        }
        var offset = 0
        if i < b.count, b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if i + 6 <= b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let oh = number(i + 1, 2),
                  b[i + 3] == UInt8(ascii: ":"), let om = number(i + 4, 2), oh < 24, om < 60 {
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Double(Int64(timegm(&parts)) - Int64(offset)) + fraction
    }

    private static func append(_ value: Int, width: Int, to out: inout String) {
        let digits = String(value)
        if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
        out += digits
    }
}
