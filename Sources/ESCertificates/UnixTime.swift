// Wall-clock time as Unix seconds (no Foundation `Date`).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
// `struct tm` reaches this module through the OpenSSL headers too; name that module so the
// member lookups below resolve in every build configuration (MemberImportVisibility).
import COpenSSL

/// Unix time helpers: seconds since 1970-01-01T00:00:00Z.
public enum UnixTime {
    /// The current wall-clock time in whole seconds.
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// Whole seconds of a duration (sub-second parts are dropped).
    public static func seconds(_ duration: Duration) -> Int64 {
        duration.components.seconds
    }

    /// RFC 3339 UTC text, e.g. `2026-11-23T05:24:30Z`.
    public static func format(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return String(seconds) }
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }
}
