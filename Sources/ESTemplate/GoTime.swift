import Foundation
import Glibc

/// A Go `time.Time`: instant (seconds + nanoseconds since the Unix epoch) and a zone.
public struct GoTime: Sendable, Equatable {
    public var seconds: Int64
    public var nanoseconds: Int32
    public var zoneOffset: Int      // seconds east of UTC
    public var zoneName: String
    /// `now()` values carry a monotonic clock reading, printed as `m=+...` by `String()`.
    public var monotonic: Double?

    public static func now() -> GoTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return GoTime(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec), zoneOffset: 0, zoneName: "UTC", monotonic: 0.000001)
    }

    public static func unix(_ s: Int64) -> GoTime { GoTime(seconds: s, nanoseconds: 0, zoneOffset: 0, zoneName: "UTC", monotonic: nil) }

    /// `t.In(zone)`: "UTC"/"Local" (the process runs in UTC), IANA names via the system database.
    func inZone(_ name: String) -> GoTime? {
        var t = self
        t.monotonic = nil
        if name == "UTC" || name == "" || name == "Local" { t.zoneOffset = 0; t.zoneName = "UTC"; return t }
        guard let tz = TimeZone(identifier: name) else { return nil }
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        t.zoneOffset = tz.secondsFromGMT(for: date)
        t.zoneName = tz.abbreviation(for: date) ?? name
        if t.zoneName.hasPrefix("GMT") && t.zoneName != "GMT" {
            // Go prints numeric abbreviations for zones without one, e.g. "+0530".
            let o = abs(t.zoneOffset) / 60
            t.zoneName = (t.zoneOffset < 0 ? "-" : "+") + GoFormat.pad(String(o / 60), 2) + (o % 60 == 0 ? "" : GoFormat.pad(String(o % 60), 2))
        }
        return t
    }

    func adding(nanoseconds d: Int64) -> GoTime {
        var t = self
        let total = Int64(nanoseconds) + d % 1_000_000_000
        t.seconds += d / 1_000_000_000 + (total >= 1_000_000_000 ? 1 : (total < 0 ? -1 : 0))
        t.nanoseconds = Int32((total + 1_000_000_000) % 1_000_000_000)
        return t
    }

    struct Civil { var year, month, day, hour, minute, second, weekday, yearDay: Int }

    /// Calendar fields in the time's own zone (proleptic Gregorian).
    var civil: Civil {
        let local = seconds + Int64(zoneOffset)
        var days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secs = Int(local - days * 86400)
        let weekday = Int((days % 7 + 11) % 7)   // 1970-01-01 was a Thursday (4)
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let doe = days - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        if m <= 2 { y += 1 }
        let isLeap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let yday = cumulative[Int(m) - 1] + Int(d) + (isLeap && m > 2 ? 1 : 0)
        return Civil(year: Int(y), month: Int(m), day: Int(d), hour: secs / 3600, minute: secs / 60 % 60,
                     second: secs % 60, weekday: weekday, yearDay: yday)
    }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mm = Int64(m)
        let doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// `t.String()`.
    var description: String {
        var s = GoTimeFormat.format(self, "2006-01-02 15:04:05.999999999 -0700 MST")
        if let m = monotonic { s += " m=+" + String(format: "%.9f", m) }
        return s
    }
}
