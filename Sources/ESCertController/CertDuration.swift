import ESJSON

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

    /// The units beyond Go's that lifetimes may use: `d` (24h) and `y` (365d).
    private static let extraUnits: [String: UInt64] = ["d": 86_400_000_000_000, "y": 365 * 86_400_000_000_000]

    /// A positive duration in Go's `time.ParseDuration` syntax plus `d` and `y`; throws
    /// `invalid duration "..."` otherwise.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let invalid = ParseError(description: "invalid duration \"\(text.prefix(64))\"")
        guard !text.hasPrefix("-"), let total = try? GoDuration.parseNanoseconds(text, extraUnits: extraUnits) else {
            throw invalid
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
