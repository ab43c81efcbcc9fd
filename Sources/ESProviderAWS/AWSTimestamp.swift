import Foundation

/// A UTC instant formatted the two ways SigV4 needs (`20150830T123600Z` and `20150830`).
public struct AWSTimestamp: Sendable, Equatable {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    public static func now() -> AWSTimestamp {
        AWSTimestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`
    public var amzDate: String {
        let (y, m, d) = civil
        let s = secondsSinceEpoch - days * 86_400
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", y, m, d, Int(s / 3600), Int(s / 60 % 60), Int(s % 60))
    }

    /// `YYYYMMDD`
    public var dateStamp: String { String(amzDate.prefix(8)) }

    private var days: Int64 {
        secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private var civil: (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    /// Parses ISO 8601 `2015-08-30T12:36:00Z` (fractional seconds allowed), as STS returns expirations.
    public static func parseISO8601(_ text: String) -> AWSTimestamp? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return AWSTimestamp(secondsSinceEpoch: Int64(d.timeIntervalSince1970)) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return AWSTimestamp(secondsSinceEpoch: Int64(d.timeIntervalSince1970)) }
        return nil
    }
}
