import ESJSON

/// sprig's date functions. The process clock and zone are UTC ("Local" is UTC in the controller).
enum SprigDates {
    typealias F = GoFunction

    static func time(of v: GoValue) -> GoTime {
        switch v {
        case .time(let t): return t
        case .int(let i, let type) where type == .int || type == .int64 || type == .int32: return GoTime.unix(i)
        default: return GoTime.now()
        }
    }

    static func dateInZone(_ layout: String, _ date: GoValue, _ zone: String) -> String {
        let t = time(of: date)
        return GoTimeFormat.format(t.inZone(zone) ?? t.inZone("UTC")!, layout)
    }

    static func requireTime(_ v: GoValue) throws -> GoTime {
        guard case .time(let t) = v else { throw FunctionError("wrong type for value; expected time.Time; got \(v.typeName)") }
        return t
    }

    static func dateModify(_ d: String, _ t: GoTime, must: Bool) throws -> GoValue {
        do { return .time(t.adding(nanoseconds: try GoDuration.parseNanoseconds(d))) } catch {
            if must { throw FunctionError(error.description) }
            return .time(t)
        }
    }

    static func durationRound(_ v: GoValue) -> String {
        var d: Int64 = 0
        switch v {
        case .string(let s): d = (try? GoDuration.parseNanoseconds(s)) ?? 0
        case .int(let i, .int64): d = i
        case .time(let t):
            let now = GoTime.now()
            d = (now.seconds - t.seconds) * 1_000_000_000 + Int64(now.nanoseconds - t.nanoseconds)
        default: d = 0
        }
        let u = d.magnitude
        let second: UInt64 = 1_000_000_000, minute = 60 * second, hour = 60 * minute, day = 24 * hour
        let month = 30 * day, year = 365 * day
        if u > year { return "\(u / year)y" }
        if u > month { return "\(u / month)mo" }
        if u > day { return "\(u / day)d" }
        if u > hour { return "\(u / hour)h" }
        if u > minute { return "\(u / minute)m" }
        if u > second { return "\(u / second)s" }
        return "0s"
    }

    static let functions: [String: GoFunction] = [
        "now": F([]) { _ in .time(GoTime.now()) },
        "date": F([.string, .any]) { a in .string(dateInZone(a[0].asString, a[1], "Local")) },
        "dateInZone": F([.string, .any, .string]) { a in .string(dateInZone(a[0].asString, a[1], a[2].asString)) },
        "date_in_zone": F([.string, .any, .string]) { a in .string(dateInZone(a[0].asString, a[1], a[2].asString)) },
        "htmlDate": F([.any]) { a in .string(dateInZone("2006-01-02", a[0], "Local")) },
        "htmlDateInZone": F([.any, .string]) { a in .string(dateInZone("2006-01-02", a[0], a[1].asString)) },
        "dateModify": F([.string, .any]) { a in try dateModify(a[0].asString, try requireTime(a[1]), must: false) },
        "date_modify": F([.string, .any]) { a in try dateModify(a[0].asString, try requireTime(a[1]), must: false) },
        "mustDateModify": F([.string, .any]) { a in try dateModify(a[0].asString, try requireTime(a[1]), must: true) },
        "must_date_modify": F([.string, .any]) { a in try dateModify(a[0].asString, try requireTime(a[1]), must: true) },
        "ago": F([.any]) { a in
            let t = time(of: a[0]), now = GoTime.now()
            var secs = now.seconds - t.seconds
            if Int64(now.nanoseconds) - Int64(t.nanoseconds) >= 500_000_000 { secs += 1 }
            return .string(GoDuration.format(nanoseconds: secs * 1_000_000_000))
        },
        "duration": F([.any]) { a in
            var n: Int64 = 0
            switch a[0] {
            case .string(let s): n = Int64(s) ?? 0
            case .int(let i, .int64): n = i
            default: n = 0
            }
            return .string(GoDuration.format(nanoseconds: n.multipliedReportingOverflow(by: 1_000_000_000).partialValue))
        },
        "durationRound": F([.any]) { a in .string(durationRound(a[0])) },
        "toDate": F([.string, .string]) { a in
            .time((try? GoTimeFormat.parse(a[0].asString, a[1].asString)) ?? GoTime(seconds: -62135596800, nanoseconds: 0, zoneOffset: 0, zoneName: "UTC", monotonic: nil))
        },
        "mustToDate": F([.string, .string]) { a in
            do { return .time(try GoTimeFormat.parse(a[0].asString, a[1].asString)) } catch { throw FunctionError("\(error)") }
        },
        "unixEpoch": F([.any]) { a in .string(String(try requireTime(a[0]).seconds)) },
    ]
}
