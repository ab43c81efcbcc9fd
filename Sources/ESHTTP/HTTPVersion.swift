/// The HTTP/1.x protocol version of a request.
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    case http10
    case http11

    public var description: String {
        switch self {
        case .http10: return "HTTP/1.0"
        case .http11: return "HTTP/1.1"
        }
    }
}
