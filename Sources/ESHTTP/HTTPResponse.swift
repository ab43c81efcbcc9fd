/// A response body: complete bytes, or a stream sent with chunked encoding.
public enum HTTPResponseBody: Sendable {
    case bytes([UInt8])
    /// Sent chunked; the server ends the response when the stream finishes, and finishes (cancels)
    /// the stream if the client goes away.
    case stream(AsyncStream<[UInt8]>)
}

/// A response produced by an `HTTPHandler`. The server owns framing: it sets `Content-Length`,
/// `Transfer-Encoding` and `Connection` itself and ignores those fields here.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPResponseBody

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: HTTPResponseBody = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(body))
    }

    public static func text(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .bytes(Array(body.utf8)))
    }
}

/// Serves requests. Called concurrently for different connections; in order for one connection.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) async -> HTTPResponse
}

/// An `HTTPHandler` made from a closure.
public struct HTTPHandlerFunction: HTTPHandler {
    private let body: @Sendable (HTTPRequest) async -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) { self.body = body }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await body(request) }
}
