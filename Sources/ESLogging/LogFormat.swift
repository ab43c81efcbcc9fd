/// Output format of log lines (`--log-format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// One JSON object per line: `ts`, `level`, `logger`, `msg`, then the metadata keys.
    case json
    /// `ts LEVEL logger: msg key=value ...`
    case text
}
