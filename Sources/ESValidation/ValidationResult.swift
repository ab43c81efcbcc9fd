/// One violated rule: upstream's message and the field it concerns (for line numbers; not part of
/// the message).
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Field path such as `spec.data[1].secretKey`; `""` when the rule concerns the whole object.
    public var path: String

    public init(_ message: String, path: String = "") {
        self.message = message
        self.path = path
    }

    public var description: String { message }
}

/// The outcome of validating one object: errors in upstream's evaluation order, and warnings.
public struct ValidationResult: Sendable, Equatable {
    public var issues: [ValidationIssue]
    public var warnings: [String]

    public init(issues: [ValidationIssue] = [], warnings: [String] = []) {
        self.issues = issues
        self.warnings = warnings
    }

    /// Error messages in evaluation order.
    public var errors: [String] { issues.map(\.message) }
    public var isValid: Bool { issues.isEmpty }
    /// The errors joined the way Go's `errors.Join` prints them (one per line).
    public var message: String { errors.joined(separator: "\n") }
}
