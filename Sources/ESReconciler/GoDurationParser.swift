/// Go `time.ParseDuration` for `spec.refreshInterval` (e.g. `1h0m0s`, `90s`, `0`), in seconds.
enum GoDurationParser {
    static func seconds(_ text: String) -> Double? {
        var s = Substring(text)
        var sign = 1.0
        if s.hasPrefix("-") { sign = -1; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        if s == "0" { return 0 }
        if s.isEmpty { return nil }
        var total = 0.0
        while !s.isEmpty {
            let numberEnd = s.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == ".")) }) ?? s.endIndex
            guard numberEnd != s.startIndex, let value = Double(s[s.startIndex..<numberEnd]) else { return nil }
            s = s[numberEnd...]
            let unitEnd = s.firstIndex(where: { $0.isASCII && ($0.isNumber || $0 == ".") }) ?? s.endIndex
            let unit = s[s.startIndex..<unitEnd]
            s = s[unitEnd...]
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += value * scale
        }
        return sign * total
    }
}
