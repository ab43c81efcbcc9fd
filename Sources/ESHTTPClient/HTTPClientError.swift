/// A transport failure: the request got no complete HTTP response (connect, TLS, timeout, protocol, size limit,
/// or libcurl missing).
/// HTTP error statuses are not errors; they come back as responses.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidRequest
        case connect
        case tls
        case timeout
        case responseTooLarge
        case transport
        /// libcurl (libcurl.so.4) could not be loaded; nothing was sent.
        case libraryUnavailable
    }

    public var kind: Kind
    /// The libcurl result code (0 when the failure was detected before libcurl ran).
    public var curlCode: Int
    /// libcurl's message; never contains request or response bodies.
    public var message: String

    public init(kind: Kind, curlCode: Int = 0, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }

    public var description: String { message }
}
