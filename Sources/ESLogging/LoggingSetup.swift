import Logging
import Synchronization

/// Process-wide logging configuration (`--log-format`, `--log-level`).
public enum LoggingSetup {
    private static let bootstrapped = Mutex<Bool>(false)

    /// Parses `--log-level` values: trace, debug, info, notice, warning (or warn), error, critical.
    public static func level(named name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "warn": return .warning
        default: return Logger.Level(rawValue: name.lowercased())
        }
    }

    /// A logger writing with `format` at `level`, independent of the global bootstrap.
    public static func makeLogger(label: String, format: LogFormat, level: Logger.Level, sink: LogSink = .standardError) -> Logger {
        Logger(label: label) { label in StructuredLogHandler(label: label, format: format, level: level, sink: sink) }
    }

    /// Bootstraps swift-log once per process (later calls are ignored, so tests can call it freely).
    public static func bootstrapOnce(format: LogFormat, level: Logger.Level) {
        let first = bootstrapped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
    }
}
