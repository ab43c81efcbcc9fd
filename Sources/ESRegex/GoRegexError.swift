/// A regular expression that Go's `regexp.Compile` would reject.
///
/// `description` is byte-for-byte Go's `(*syntax.Error).Error()`:
/// ``error parsing regexp: <code>: `<expr>` ``.
public struct GoRegexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Go's `syntax.ErrorCode` values (their text is the raw value).
    public enum Code: String, Sendable, Equatable {
        case internalError = "regexp/syntax: internal error"
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case invalidUTF8 = "invalid UTF-8"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingDepth = "expression nests too deeply"
        case large = "expression too large"
    }

    public var code: Code
    /// The offending fragment of the pattern, as Go quotes it.
    public var expression: String

    public init(code: Code, expression: String) {
        self.code = code
        self.expression = expression
    }

    init(_ code: Code, _ bytes: ArraySlice<UInt8>) {
        self.code = code
        self.expression = String(decoding: bytes, as: UTF8.self)
    }

    public var description: String {
        "error parsing regexp: \(code.rawValue): `\(expression)`"
    }
}
