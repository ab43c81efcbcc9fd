/// Why a request could not be parsed, with the status to answer before closing the connection.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400 malformed, 413 body too large, 417 unknown expectation, 431 header too large,
    /// 501 unsupported transfer coding, 505 unsupported HTTP version.
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status) \(HTTPStatus.reasonPhrase(status)): \(message)" }

    static func malformed(_ message: String) -> HTTPParseError { HTTPParseError(status: 400, message: message) }
    static func bodyTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: 413, message: "request body exceeds \(limit) bytes")
    }
    static func headerTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: 431, message: "request header exceeds \(limit) bytes")
    }
}

/// Size limits the parser enforces while bytes arrive, so memory stays bounded.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line plus header fields (and chunked trailers), including line ends.
    public var maxHeaderBytes: Int
    /// Decoded body bytes.
    public var maxBodyBytes: Int

    public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 8 * 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}
