/// One parsed HTTP request with its complete body.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The raw request-target, e.g. `/api/v1/namespaces?watch=1`.
    public var target: String
    /// The target before `?` (not percent-decoded).
    public var path: String
    /// The target after `?`, or nil when there is none.
    public var query: String?
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// `ip:port` (IPv6 as `[ip]:port`) of the peer; empty when unknown.
    public var remoteAddress: String
    public var version: HTTPVersion
    /// Whether the client allows the connection to stay open after this exchange.
    public var keepAlive: Bool

    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
                remoteAddress: String = "", version: HTTPVersion = .http11, keepAlive: Bool? = nil) {
        self.method = method
        self.target = target
        var bytes = target
        if let offset = bytes.withUTF8({ $0.firstIndex(of: UInt8(ascii: "?")) }) {
            let mark = target.utf8.index(target.utf8.startIndex, offsetBy: offset)
            self.path = String(target[..<mark])
            self.query = String(target[target.utf8.index(after: mark)...])
        } else {
            self.path = target
            self.query = nil
        }
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.version = version
        self.keepAlive = keepAlive ?? HTTPRequest.defaultKeepAlive(version: version, headers: headers)
    }

    /// Query parameters in order, percent-decoded (`+` is a space, as in form encoding).
    public func queryItems() -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (PercentDecoding.decode(pair[..<equals], plusIsSpace: true),
                        PercentDecoding.decode(pair[pair.index(after: equals)...], plusIsSpace: true))
            }
            return (PercentDecoding.decode(pair, plusIsSpace: true), "")
        }
    }

    /// The first query parameter called `name`, decoded.
    public func queryItem(_ name: String) -> String? {
        queryItems().first { $0.name == name }?.value
    }

    static func defaultKeepAlive(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
        switch version {
        case .http11: return !headers.containsToken("close", in: "Connection")
        case .http10: return headers.containsToken("keep-alive", in: "Connection")
                          && !headers.containsToken("close", in: "Connection")
        }
    }
}
