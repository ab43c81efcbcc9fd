import Foundation

/// Kubernetes time formats: `metav1.Time` (RFC 3339, seconds) and `metav1.MicroTime`.
enum Timestamps {
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// "2006-01-02T15:04:05Z"
    static func rfc3339(_ epochSeconds: Double) -> String {
        let (date, time) = civil(Int64(epochSeconds.rounded(.down)))
        return "\(date)T\(time)Z"
    }

    /// "2006-01-02T15:04:05.000000Z"
    static func micro(_ epochSeconds: Double) -> String {
        let whole = Int64(epochSeconds.rounded(.down))
        let micros = Int((epochSeconds - Double(whole)) * 1_000_000)
        let (date, time) = civil(whole)
        return "\(date)T\(time).\(pad(micros, 6))Z"
    }

    private static func civil(_ seconds: Int64) -> (String, String) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's days-to-civil.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let h = Int(secondOfDay / 3600), m = Int(secondOfDay % 3600 / 60), s = Int(secondOfDay % 60)
        return ("\(pad(Int(year), 4))-\(pad(Int(month), 2))-\(pad(Int(day), 2))", "\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))")
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
