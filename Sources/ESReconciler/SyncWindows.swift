import ESHTTP
import ESJSON

/// `spec.syncWindows` (§4.3, Periodic only): 5-field cron schedules (or `@hourly`… descriptors and
/// `@every <duration>`) evaluated in UTC; a window is active at t when its most recent firing f
/// satisfies f ≤ t ≤ f + duration. `kind: deny` blocks refreshes while any window is active,
/// `kind: allow` permits them only then. Unparseable schedules are ignored.
public enum SyncWindows {
    /// Whether `syncWindows` (the JSON object, or nil) lets a periodic refresh happen at `now`.
    public static func allowsRefresh(_ syncWindows: JSON?, now: Int64) -> Bool {
        guard let syncWindows, !syncWindows.isNull else { return true }
        let kind = syncWindows["kind"]?.stringValue ?? ""
        var anyActive = false
        var anyValid = false
        for window in syncWindows["windows"]?.arrayValue ?? [] {
            guard let schedule = CronSchedule(window["schedule"]?.stringValue ?? ""),
                  let duration = GoDuration.seconds(window["duration"]?.stringValue ?? ""), duration >= 0 else { continue }
            anyValid = true
            if schedule.hasFiring(from: now - Int64(duration), through: now) { anyActive = true; break }
        }
        switch kind {
        case "deny": return !anyActive
        case "allow": return anyActive || !anyValid
        default: return true
        }
    }
}

/// A parsed cron schedule (minute hour day-of-month month day-of-week), UTC.
struct CronSchedule {
    var minutes: Set<Int> = []
    var hours: Set<Int> = []
    var daysOfMonth: Set<Int> = []
    var months: Set<Int> = []
    var daysOfWeek: Set<Int> = []
    var domStar = false
    var dowStar = false
    /// `@every <d>`: fires at multiples of `every` seconds since the epoch.
    var every: Int64? = nil

    init?(_ text: String) {
        var spec = String(text.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
        switch spec {
        case "@yearly", "@annually": spec = "0 0 1 1 *"
        case "@monthly": spec = "0 0 1 * *"
        case "@weekly": spec = "0 0 * * 0"
        case "@daily", "@midnight": spec = "0 0 * * *"
        case "@hourly": spec = "0 * * * *"
        default: break
        }
        if spec.hasPrefix("@every ") {
            guard let seconds = GoDuration.seconds(String(spec.dropFirst(7).drop(while: { $0 == " " }))),
                  seconds >= 1 else { return nil }
            every = Int64(seconds)
            return
        }
        let fields = spec.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5,
              let minutes = Self.field(fields[0], 0, 59, names: [:]),
              let hours = Self.field(fields[1], 0, 23, names: [:]),
              let dom = Self.field(fields[2], 1, 31, names: [:]),
              let months = Self.field(fields[3], 1, 12, names: Self.monthNames),
              let dow = Self.field(fields[4], 0, 7, names: Self.dayNames) else { return nil }
        self.minutes = minutes
        self.hours = hours
        self.daysOfMonth = dom
        self.months = months
        self.daysOfWeek = Set(dow.map { $0 == 7 ? 0 : $0 })
        domStar = fields[2].hasPrefix("*") || fields[2].hasPrefix("?")
        dowStar = fields[4].hasPrefix("*") || fields[4].hasPrefix("?")
    }

    static let monthNames = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                             "oct": 10, "nov": 11, "dec": 12]
    static let dayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    static func field(_ text: String, _ low: Int, _ high: Int, names: [String: Int]) -> Set<Int>? {
        var out = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return nil }
            var step = 1
            if pieces.count == 2 { guard let s = Int(pieces[1]), s > 0 else { return nil }; step = s }
            var start = low, end = high
            let range = String(pieces[0])
            if range != "*" && range != "?" {
                let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { return nil }
                func value(_ s: Substring) -> Int? { Int(s) ?? names[s.lowercased()] }
                guard let a = value(bounds[0]) else { return nil }
                start = a
                end = bounds.count == 2 ? (value(bounds[1]) ?? -1) : (pieces.count == 2 ? high : a)
            }
            guard start >= low, end <= high, start <= end else { return nil }
            for v in stride(from: start, through: end, by: step) { out.insert(v) }
        }
        return out
    }

    func matches(minuteStart t: Int64) -> Bool {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secondOfDay = t - days * 86_400
        let minute = Int(secondOfDay / 60 % 60), hour = Int(secondOfDay / 3600)
        let date = CivilDate(daysSince1970: days)
        let month = date.month, day = date.day
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let domOK = daysOfMonth.contains(day), dowOK = daysOfWeek.contains(weekday)
        if domStar || dowStar { return domOK && dowOK }
        return domOK || dowOK
    }

    /// Whether the schedule fires at some instant in [from, through].
    func hasFiring(from: Int64, through: Int64) -> Bool {
        if let every {
            let last = through - ((through % every) + every) % every
            return last >= from
        }
        var t = through - ((through % 60) + 60) % 60
        let limit = max(from, through - 366 * 86_400)
        while t >= limit {
            if matches(minuteStart: t) { return true }
            t -= 60
        }
        return false
    }
}
