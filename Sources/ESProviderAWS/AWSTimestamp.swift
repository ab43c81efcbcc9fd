import ESHTTP
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

    private var days: Int64 { CivilDate.days(secondsSince1970: secondsSinceEpoch) }

    private var civil: (Int, Int, Int) {
        let date = CivilDate(daysSince1970: days)
        return (date.year, date.month, date.day)
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
