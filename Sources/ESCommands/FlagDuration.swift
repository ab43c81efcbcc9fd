import ESJSON

/// Go durations for command-line flags (`500ms`, `30s`, `2m`, `1h30m`, `1.5s`): `time.ParseDuration`
/// syntax, not negative and below `limit`.
enum FlagDuration {
    static func parse<E: Error>(_ text: String, below limit: Duration, orThrow error: @autoclosure () -> E) throws(E) -> Duration {
        guard !text.hasPrefix("-"), let duration = try? GoDuration.parse(text), duration < limit else { throw error() }
        return duration
    }
}
