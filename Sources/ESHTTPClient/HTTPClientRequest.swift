/// One outbound HTTP request.
public struct HTTPClientRequest: Sendable {
    /// "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", ...
    public var method: String
    /// Absolute URL, e.g. "https://127.0.0.1:6443/api/v1/namespaces".
    public var url: String
    /// Request headers in order. An empty value sends the header with no value.
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Total time allowed for the transfer; nil uses the client's default (`execute`) or no limit (`stream`).
    public var timeout: Duration?

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8] = [],
                timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
