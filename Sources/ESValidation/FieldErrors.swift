/// Field errors worded the way the API server reports CRD schema violations (kubectl prints them
/// after `The ExternalSecret "x" is invalid: `).
struct FieldErrors {
    var issues: [ValidationIssue] = []

    mutating func required(_ path: String) {
        issues.append(ValidationIssue("\(path): Required value", path: path))
    }

    /// An enum violation; `nil` and allowed values pass.
    mutating func enumeration(_ path: String, _ value: String?, _ allowed: [String]) {
        guard let value, !allowed.contains(value) else { return }
        let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        issues.append(ValidationIssue("\(path): Unsupported value: \(goQuote(value)): supported values: \(list)", path: path))
    }

    /// `minLength`/`maxLength`/`pattern` on a string; `nil` passes.
    mutating func string(_ path: String, _ value: String?, minLength: Int? = nil, maxLength: Int? = nil,
                         pattern: Pattern? = nil) {
        guard let value else { return }
        let length = value.unicodeScalars.count
        if let maxLength, length > maxLength {
            issues.append(ValidationIssue("\(path): Too long: may not be more than \(maxLength) bytes", path: path))
        }
        if let minLength, length < minLength {
            invalid(path, goQuote(value), "\(path) in body should be at least \(minLength) chars long")
        }
        if let pattern, !pattern.matches(value) {
            invalid(path, goQuote(value), "\(path) in body should match '\(pattern.source)'")
        }
    }

    /// `minProperties`/`maxProperties` on an object with `count` members.
    mutating func properties(_ path: String, count: Int, min: Int? = nil, max: Int? = nil) {
        if let min, count < min { invalid(path, "\(count)", "\(path) in body should have at least \(min) properties") }
        if let max, count > max { invalid(path, "\(count)", "\(path) in body should have at most \(max) properties") }
    }

    mutating func minItems(_ path: String, count: Int, _ min: Int) {
        if count < min { invalid(path, "\(count)", "\(path) in body should have at least \(min) items") }
    }

    mutating func invalid(_ path: String, _ renderedValue: String, _ detail: String) {
        issues.append(ValidationIssue("\(path): Invalid value: \(renderedValue): \(detail)", path: path))
    }
}

/// The few CRD patterns, matched without a regex engine.
enum Pattern {
    case secretKey
    case dnsSubdomain
    case dnsLabel
    case cronSchedule

    var source: String {
        switch self {
        case .secretKey: return "^[-._a-zA-Z0-9]+$"
        case .dnsSubdomain: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
        case .dnsLabel: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
        case .cronSchedule:
            return "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly)|@every [^\\s]+.*|[^\\s]+( [^\\s]+){4})$"
        }
    }

    func matches(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        switch self {
        case .secretKey:
            return !bytes.isEmpty && bytes.allSatisfy { Pattern.isAlnum($0) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F }
        case .dnsLabel:
            return Pattern.isLabel(bytes[...])
        case .dnsSubdomain:
            return !bytes.isEmpty && bytes.split(separator: 0x2E, omittingEmptySubsequences: false).allSatisfy(Pattern.isLabel)
        case .cronSchedule:
            return Pattern.isCron(s)
        }
    }

    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    static func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }

    static func isLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard let first = label.first, let last = label.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return label.allSatisfy { isLowerAlnum($0) || $0 == 0x2D }
    }

    static let macros: Set<String> = ["@annually", "@yearly", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    /// RE2 `\s` is `[\t\n\f\r ]`; `.` does not match `\n`.
    static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\u{0C}" || c == "\r" }

    static func isCron(_ s: String) -> Bool {
        if macros.contains(s) { return true }
        if s.hasPrefix("@every ") {
            let rest = s.dropFirst("@every ".count)
            guard let first = rest.first, !isSpace(first) else { return false }
            return !rest.contains("\n")
        }
        let fields = s.split(separator: " ", omittingEmptySubsequences: false)
        return fields.count == 5 && fields.allSatisfy { !$0.isEmpty && !$0.contains(where: isSpace) }
    }
}
