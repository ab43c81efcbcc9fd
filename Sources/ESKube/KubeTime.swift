import Foundation

/// Kubernetes timestamps: `metav1.Time` (RFC 3339) and `metav1.MicroTime` (6 fractional digits).
public enum KubeTime {
    public static func now() -> Double { Date().timeIntervalSince1970 }

    public static func format(_ epochSeconds: Double) -> String {
        formatter(fraction: false).string(from: Date(timeIntervalSince1970: epochSeconds.rounded(.down)))
    }

    public static func formatMicro(_ epochSeconds: Double) -> String {
        let whole = epochSeconds.rounded(.down)
        let micros = Int((epochSeconds - whole) * 1_000_000)
        var base = format(whole)
        base.removeLast()  // "Z"
        let digits = String(micros)
        return base + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    /// Parses RFC 3339 with or without fractional seconds; nil when malformed.
    public static func parse(_ text: String) -> Double? {
        if let date = formatter(fraction: false).date(from: text) { return date.timeIntervalSince1970 }
        // Fractional seconds: parse the whole-second part, then add the fraction (any precision).
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let afterDot = text[text.index(after: dot)...]
        let digits = afterDot.prefix(while: { $0.isNumber })
        guard !digits.isEmpty, let fraction = Double("0." + digits) else { return nil }
        let zone = afterDot.dropFirst(digits.count)
        guard let date = formatter(fraction: false).date(from: String(text[..<dot]) + zone) else { return nil }
        return date.timeIntervalSince1970 + fraction
    }

    private static func formatter(fraction: Bool) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }
}
