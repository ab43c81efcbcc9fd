import Foundation

/// Go's reference-time layouts (`time.Format` / `time.Parse`).
enum GoTimeFormat {
    enum Chunk: Equatable {
        case literal(String)
        case longMonth, month, numMonth, zeroMonth, longWeekday, weekday, day, underDay, zeroDay
        case underYearDay, zeroYearDay, hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year, pm, PM, tz, isoTZ(String), numTZ(String)
        case fracZeros(Int, Character), fracNines(Int, Character)
    }

    static let longMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func tokenize(_ layout: String) -> [Chunk] {
        let s = Array(layout)
        var chunks: [Chunk] = []
        var lit = ""
        var i = 0
        func has(_ p: String) -> Bool {
            let a = Array(p)
            return i + a.count <= s.count && Array(s[i..<(i + a.count)]) == a
        }
        func emit(_ c: Chunk, _ n: Int) {
            if !lit.isEmpty { chunks.append(.literal(lit)); lit = "" }
            chunks.append(c); i += n
        }
        while i < s.count {
            if has("January") { emit(.longMonth, 7) }
            else if has("Jan") { emit(.month, 3) }
            else if has("Monday") { emit(.longWeekday, 6) }
            else if has("Mon") { emit(.weekday, 3) }
            else if has("MST") { emit(.tz, 3) }
            else if has("01") { emit(.zeroMonth, 2) }
            else if has("02") { emit(.zeroDay, 2) }
            else if has("03") { emit(.zeroHour12, 2) }
            else if has("04") { emit(.zeroMinute, 2) }
            else if has("05") { emit(.zeroSecond, 2) }
            else if has("06") { emit(.year, 2) }
            else if has("002") { emit(.zeroYearDay, 3) }
            else if has("15") { emit(.hour, 2) }
            else if has("1") { emit(.numMonth, 1) }
            else if has("2006") { emit(.longYear, 4) }
            else if has("2") { emit(.day, 1) }
            else if has("__2") { emit(.underYearDay, 3) }
            else if has("_2") { emit(.underDay, 2) }
            else if has("3") { emit(.hour12, 1) }
            else if has("4") { emit(.minute, 1) }
            else if has("5") { emit(.second, 1) }
            else if has("PM") { emit(.PM, 2) }
            else if has("pm") { emit(.pm, 2) }
            else if let z = ["-07:00:00", "-070000", "-07:00", "-0700", "-07"].first(where: has) { emit(.numTZ(z), z.count) }
            else if let z = ["Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"].first(where: has) { emit(.isoTZ(z), z.count) }
            else if (s[i] == "." || s[i] == ","), i + 1 < s.count, s[i + 1] == "0" || s[i + 1] == "9" {
                let ch = s[i + 1]
                var j = i + 1
                while j < s.count, s[j] == ch { j += 1 }
                if j >= s.count || !s[j].isNumber {
                    emit(ch == "0" ? .fracZeros(j - i - 1, s[i]) : .fracNines(j - i - 1, s[i]), j - i)
                } else {
                    lit.append(s[i]); i += 1
                }
            } else {
                lit.append(s[i]); i += 1
            }
        }
        if !lit.isEmpty { chunks.append(.literal(lit)) }
        return chunks
    }

    static func pad(_ v: Int, _ n: Int, _ c: Character = "0") -> String {
        let s = String(v)
        return String(repeating: c, count: max(0, n - s.count)) + s
    }

    static func format(_ t: GoTime, _ layout: String) -> String {
        let c = t.civil
        var out = ""
        for chunk in tokenize(layout) {
            switch chunk {
            case .literal(let l): out += l
            case .longMonth: out += longMonths[c.month - 1]
            case .month: out += String(longMonths[c.month - 1].prefix(3))
            case .numMonth: out += String(c.month)
            case .zeroMonth: out += pad(c.month, 2)
            case .longWeekday: out += longDays[c.weekday]
            case .weekday: out += String(longDays[c.weekday].prefix(3))
            case .day: out += String(c.day)
            case .underDay: out += pad(c.day, 2, " ")
            case .zeroDay: out += pad(c.day, 2)
            case .underYearDay: out += pad(c.yearDay, 3, " ")
            case .zeroYearDay: out += pad(c.yearDay, 3)
            case .hour: out += pad(c.hour, 2)
            case .hour12: out += String(c.hour % 12 == 0 ? 12 : c.hour % 12)
            case .zeroHour12: out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case .minute: out += String(c.minute)
            case .zeroMinute: out += pad(c.minute, 2)
            case .second: out += String(c.second)
            case .zeroSecond: out += pad(c.second, 2)
            case .longYear: out += c.year < 0 ? "-" + pad(-c.year, 4) : pad(c.year, 4)
            case .year: out += pad(((c.year % 100) + 100) % 100, 2)
            case .pm: out += c.hour >= 12 ? "pm" : "am"
            case .PM: out += c.hour >= 12 ? "PM" : "AM"
            case .tz: out += t.zoneName
            case .isoTZ(let z), .numTZ(let z):
                if case .isoTZ = chunk, t.zoneOffset == 0 { out += "Z"; break }
                let off = abs(t.zoneOffset)
                out += t.zoneOffset < 0 ? "-" : "+"
                out += pad(off / 3600, 2)
                let colon = z.contains(":")
                if z.count > 3 && z != "Z07" && z != "-07" { out += (colon ? ":" : "") + pad(off / 60 % 60, 2) }
                if z.hasSuffix("00:00") && colon && z.count == 9 || z == "-070000" || z == "Z070000" {
                    out += (colon ? ":" : "") + pad(off % 60, 2)
                }
            case .fracZeros(let n, let sep):
                out.append(sep)
                out += String(pad(Int(t.nanoseconds), 9).prefix(n))
            case .fracNines(let n, let sep):
                var digits = String(pad(Int(t.nanoseconds), 9).prefix(n))
                while digits.hasSuffix("0") { digits.removeLast() }
                if !digits.isEmpty { out.append(sep); out += digits }
            }
        }
        return out
    }

    struct ParseError: Error, CustomStringConvertible { var description: String }

    /// `time.ParseInLocation(layout, value, UTC)` for the common layouts.
    static func parse(_ layout: String, _ value: String) throws(ParseError) -> GoTime {
        var v = Substring(value)
        var year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0
        var pmSet: Bool?
        var offset: Int?
        var zoneName = "UTC"
        func fail() -> ParseError {
            ParseError(description: "parsing time \(GoFormat.quote(value)) as \(GoFormat.quote(layout)): cannot parse \(GoFormat.quote(String(v))) as \(GoFormat.quote(layout))")
        }
        func number(_ minDigits: Int, _ maxDigits: Int) throws(ParseError) -> Int {
            let digits = v.prefix(maxDigits).prefix { $0.isASCII && $0.isNumber }
            guard digits.count >= minDigits, let n = Int(digits) else { throw fail() }
            v = v.dropFirst(digits.count)
            return n
        }
        func word(_ options: [String], length: Int?) throws(ParseError) -> Int {
            for (i, o) in options.enumerated() {
                let w = length.map { String(o.prefix($0)) } ?? o
                if v.lowercased().hasPrefix(w.lowercased()) { v = v.dropFirst(w.count); return i }
            }
            throw fail()
        }
        let chunks = tokenize(layout)
        for (index, chunk) in chunks.enumerated() {
            var nextIsFraction = false
            if index + 1 < chunks.count {
                switch chunks[index + 1] {
                case .fracZeros, .fracNines: nextIsFraction = true
                default: break
                }
            }
            switch chunk {
            case .literal(let l):
                guard v.hasPrefix(l) else { throw fail() }
                v = v.dropFirst(l.count)
            case .longMonth: month = try word(longMonths, length: nil) + 1
            case .month: month = try word(longMonths, length: 3) + 1
            case .numMonth: month = try number(1, 2)
            case .zeroMonth: month = try number(2, 2)
            case .longWeekday: _ = try word(longDays, length: nil)
            case .weekday: _ = try word(longDays, length: 3)
            case .day: day = try number(1, 2)
            case .underDay: if v.hasPrefix(" ") { v = v.dropFirst() }; day = try number(1, 2)
            case .zeroDay: day = try number(2, 2)
            case .underYearDay, .zeroYearDay: _ = try number(1, 3)
            case .hour: hour = try number(2, 2)
            case .hour12, .zeroHour12: hour = try number(1, 2)
            case .minute: minute = try number(1, 2)
            case .zeroMinute: minute = try number(2, 2)
            case .second, .zeroSecond:
                second = try number(1, 2)
                if (v.hasPrefix(".") || v.hasPrefix(",")) && !nextIsFraction {
                    do {
                        let digits = v.dropFirst().prefix { $0.isASCII && $0.isNumber }
                        if !digits.isEmpty {
                            nanos = Int(String(digits.prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)) ?? 0
                            v = v.dropFirst(1 + digits.count)
                        }
                    }
                }
            case .longYear: year = try number(4, 4)
            case .year: let y = try number(2, 2); year = y >= 69 ? 1900 + y : 2000 + y
            case .pm, .PM:
                let w = v.prefix(2).uppercased()
                guard w == "AM" || w == "PM" else { throw fail() }
                pmSet = w == "PM"; v = v.dropFirst(2)
            case .tz:
                let name = v.prefix { $0.isLetter }
                guard name.count >= 3 else { throw fail() }
                zoneName = String(name); v = v.dropFirst(name.count)
                if zoneName == "UTC" || zoneName == "GMT" { offset = 0 }
            case .isoTZ, .numTZ:
                if case .isoTZ = chunk, v.hasPrefix("Z") { v = v.dropFirst(); offset = 0; break }
                guard let sign = v.first, sign == "+" || sign == "-" else { throw fail() }
                v = v.dropFirst()
                let h = try number(2, 2)
                var m = 0
                if v.hasPrefix(":") { v = v.dropFirst() }
                if let f = v.first, f.isNumber { m = try number(2, 2) }
                offset = (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
            case .fracZeros(let n, _):
                guard v.hasPrefix(".") || v.hasPrefix(",") else { throw fail() }
                v = v.dropFirst()
                let digits = v.prefix(n)
                guard digits.count == n, digits.allSatisfy({ $0.isNumber }) else { throw fail() }
                nanos = Int(String(digits).padding(toLength: 9, withPad: "0", startingAt: 0)) ?? 0
                v = v.dropFirst(n)
            case .fracNines:
                if v.hasPrefix(".") || v.hasPrefix(",") {
                    let digits = v.dropFirst().prefix { $0.isNumber }
                    nanos = Int(String(digits.prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)) ?? 0
                    v = v.dropFirst(1 + digits.count)
                }
            }
        }
        guard v.isEmpty else {
            throw ParseError(description: "parsing time \(GoFormat.quote(value)): extra text: \(GoFormat.quote(String(v)))")
        }
        if let pm = pmSet { if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 } }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else {
            throw ParseError(description: "parsing time \(GoFormat.quote(value)): day out of range")
        }
        let days = GoTime.daysFromCivil(year, month, day)
        let off = offset ?? 0
        let secs = days * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(off)
        var name = zoneName
        if offset != nil && offset != 0 && name == "UTC" { name = "" }
        return GoTime(seconds: secs, nanoseconds: Int32(nanos), zoneOffset: off, zoneName: name, monotonic: nil)
    }
}
