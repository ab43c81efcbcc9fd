import ESKube

/// Kubernetes `metav1.Time`: RFC 3339 in UTC with second precision (`2026-11-23T05:26:43Z`), as whole
/// seconds since the Unix epoch. The text handling is `KubeTime`'s.
public enum RFC3339Time {
    /// Seconds since the Unix epoch, now.
    public static func nowSeconds() -> Int64 {
        Int64(KubeTime.now().rounded(.down))
    }

    public static func format(_ seconds: Int64) -> String {
        KubeTime.format(Double(seconds))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` (fractions dropped); nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        KubeTime.parse(text).map { Int64($0.rounded(.down)) }
    }
}
