/// A proleptic Gregorian calendar date in UTC, from a count of days or seconds since 1970-01-01.
public struct CivilDate: Sendable, Equatable {
    public var year: Int
    public var month: Int  // 1...12
    public var day: Int    // 1...31

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Howard Hinnant's days-to-civil algorithm.
    public init(daysSince1970 days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), month: Int(month), day: Int(day))
    }

    /// The whole days since 1970-01-01 of a Unix time, rounded towards negative infinity.
    public static func days(secondsSince1970 seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// The date and the seconds into that day (0..<86400) of a Unix time.
    public static func split(secondsSince1970 seconds: Int64) -> (date: CivilDate, secondOfDay: Int) {
        let days = days(secondsSince1970: seconds)
        return (CivilDate(daysSince1970: days), Int(seconds - days * 86_400))
    }
}
