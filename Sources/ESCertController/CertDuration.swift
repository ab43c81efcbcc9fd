// Duration flags of the cert-controller: Go's `time.ParseDuration` syntax plus `d` (24h) and `y` (365d).

/// Parses and formats durations like `1m`, `720h`, `30d`, `1y`, `1h30m`, `500ms`.
public enum CertDuration {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    private static let units: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000), ("d", 86_400_000_000_000), ("y", 365 * 86_400_000_000_000),
    ]

    /// A positive duration; throws `invalid duration "..."` otherwise.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let invalid = ParseError(description: "invalid duration \"\(text.prefix(64))\"")
        var rest = Substring(text)
        var total: Int64 = 0
        guard !rest.isEmpty else { throw invalid }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let value = Double(digits), value.isFinite else { throw invalid }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else { throw invalid }
            rest = rest.dropFirst(unitText.count)
            let nanoseconds = value * Double(unit.1)
            guard nanoseconds < 9.2e18, Double(total) + nanoseconds < 9.2e18 else { throw invalid }
            total += Int64(nanoseconds)
        }
        guard total > 0 else { throw ParseError(description: "duration \"\(text.prefix(64))\" must be positive") }
        return .nanoseconds(total)
    }

    /// Compact text: the largest exact unit among y, d, h, m, s, ms (e.g. `30d`, `90s`, `1500ms`).
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        for (name, size) in units.reversed() where name != "µs" && nanoseconds != 0 && nanoseconds % size == 0 {
            return "\(nanoseconds / size)\(name)"
        }
        return "\(nanoseconds)ns"
    }

    /// Rough human text for a number of seconds: the two largest units, e.g. `29d23h`, `4m10s`, `12s`.
    public static func approximate(seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : ""
        var rest = seconds.magnitude
        var parts: [String] = []
        for (name, size) in [("d", UInt64(86400)), ("h", 3600), ("m", 60), ("s", 1)] where parts.count < 2 {
            let count = rest / size
            if count > 0 || (name == "s" && parts.isEmpty) {
                parts.append("\(count)\(name)")
                rest -= count * size
            } else if !parts.isEmpty {
                break
            }
        }
        return sign + parts.joined()
    }
}
