/// Why a provider call failed. The reconciler decides what to do with a Secret from `kind` alone:
/// only `.notFound` (the provider positively confirmed the secret does not exist) may ever lead to a
/// Secret being deleted or emptied; every other kind leaves the Secret exactly as it is.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The provider confirmed the secret (or the requested property/version) does not exist.
        case notFound
        /// Credentials missing, rejected or not allowed to read the secret.
        case auth
        /// The provider asked us to slow down.
        case throttled
        /// Timeouts, connection failures, 5xx: worth retrying as is.
        case transient
        /// The request or the store configuration is wrong; retrying will not help until it changes.
        case invalid
        /// The provider does not implement the requested operation.
        case unsupported
    }

    public var kind: Kind
    /// Safe to show to users: never contains a secret value.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The one error that means "this secret does not exist"; upstream's text is `Secret does not exist`.
    public static let secretDoesNotExist = ProviderError(.notFound, "Secret does not exist")

    public static func notFound(_ message: String = "Secret does not exist") -> ProviderError { .init(.notFound, message) }
    public static func auth(_ message: String) -> ProviderError { .init(.auth, message) }
    public static func throttled(_ message: String) -> ProviderError { .init(.throttled, message) }
    public static func transient(_ message: String) -> ProviderError { .init(.transient, message) }
    public static func invalid(_ message: String) -> ProviderError { .init(.invalid, message) }
    public static func unsupported(_ message: String) -> ProviderError { .init(.unsupported, message) }

    public var isNotFound: Bool { kind == .notFound }
}

extension Error {
    /// True only when the error is a `ProviderError` of kind `.notFound`. Anything else, including
    /// errors of unknown type, is treated as "the secret may still exist".
    public var isProviderNotFound: Bool {
        (self as? ProviderError)?.kind == .notFound
    }
}
