/// A received HTTP response (the final one when informational responses preceded it).
public struct HTTPClientResponse: Sendable {
    public var status: Int
    /// Response headers in the order received.
    public var headers: [(String, String)]
    /// The body; always empty for `HTTPClient.stream`, whose body goes to `onData`.
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }
}
