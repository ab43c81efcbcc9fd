import ESHTTP
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
        let (date, secondOfDay) = CivilDate.split(secondsSince1970: seconds)
        let (year, month, day) = (date.year, date.month, date.day)
        let h = Int(secondOfDay / 3600), m = Int(secondOfDay % 3600 / 60), s = Int(secondOfDay % 60)
        return ("\(pad(Int(year), 4))-\(pad(Int(month), 2))-\(pad(Int(day), 2))", "\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))")
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
