/// How a response body is delimited on the wire.
public enum HTTPResponseFraming: Sendable, Equatable {
    /// `Content-Length: n` (also for HEAD responses, which then carry no body bytes).
    case length(Int)
    /// `Transfer-Encoding: chunked` (HTTP/1.1 clients).
    case chunked
    /// The body ends when the connection closes (streams to HTTP/1.0 clients).
    case untilClose
    /// No body and no length (1xx, 204, 304).
    case none
}

/// Writes HTTP/1.1 response heads and chunks into a byte buffer.
public enum HTTPResponseSerializer {
    /// Framing for `response` sent to a client speaking `version`.
    public static func framing(for response: HTTPResponse, version: HTTPVersion) -> HTTPResponseFraming {
        if HTTPStatus.forbidsBody(response.status) { return .none }
        switch response.body {
        case .bytes(let bytes): return .length(bytes.count)
        case .stream: return version == .http11 ? .chunked : .untilClose
        }
    }

    /// Appends the status line and header fields. The handler's `Content-Length`, `Transfer-Encoding`
    /// and `Connection` fields are replaced by the server's own; fields with CR/LF/NUL are dropped.
    public static func appendHead(status: Int, headers: HTTPHeaders, framing: HTTPResponseFraming,
                                  keepAlive: Bool, version: HTTPVersion, date: String?,
                                  into out: inout [UInt8]) {
        out.appendBytes(of: "HTTP/1.1 ")
        appendDecimal(status, into: &out)
        out.append(ByteSet.space)
        out.appendBytes(of: HTTPStatus.reasonPhrase(status))
        out.appendBytes(of: "\r\n")
        var sawDate = false
        for field in headers {
            if HTTPHeaders.namesEqual(field.name, "Content-Length") || HTTPHeaders.namesEqual(field.name, "Transfer-Encoding")
                || HTTPHeaders.namesEqual(field.name, "Connection") {
                continue
            }
            guard isSafeName(field.name), isSafeValue(field.value) else { continue }
            if HTTPHeaders.namesEqual(field.name, "Date") { sawDate = true }
            appendField(field.name, field.value, into: &out)
        }
        if let date, !sawDate { appendField("Date", date, into: &out) }
        switch framing {
        case .length(let length):
            out.appendBytes(of: "Content-Length: ")
            appendDecimal(length, into: &out)
            out.appendBytes(of: "\r\n")
        case .chunked:
            out.appendBytes(of: "Transfer-Encoding: chunked\r\n")
        case .untilClose, .none:
            break
        }
        if !keepAlive || framing == .untilClose {
            out.appendBytes(of: "Connection: close\r\n")
        } else if version == .http10 {
            out.appendBytes(of: "Connection: keep-alive\r\n")
        }
        out.appendBytes(of: "\r\n")
    }

    /// A complete response with a byte body (the body is omitted for HEAD requests).
    public static func appendResponse(_ response: HTTPResponse, bytes: [UInt8], isHead: Bool, keepAlive: Bool,
                                      version: HTTPVersion, date: String?, into out: inout [UInt8]) {
        let framing: HTTPResponseFraming = HTTPStatus.forbidsBody(response.status) ? .none : .length(bytes.count)
        appendHead(status: response.status, headers: response.headers, framing: framing, keepAlive: keepAlive,
                   version: version, date: date, into: &out)
        if !isHead, framing != .none { out.append(contentsOf: bytes) }
    }

    /// One chunk of a chunked body; empty data writes nothing (an empty chunk would end the body).
    public static func appendChunk<C: Collection>(_ data: C, into out: inout [UInt8]) where C.Element == UInt8 {
        guard !data.isEmpty else { return }
        appendHex(data.count, into: &out)
        out.appendBytes(of: "\r\n")
        out.append(contentsOf: data)
        out.appendBytes(of: "\r\n")
    }

    /// The last chunk and the empty trailer section.
    public static func appendLastChunk(into out: inout [UInt8]) {
        out.appendBytes(of: "0\r\n\r\n")
    }

    /// `HTTP/1.1 100 Continue`.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// A short plain-text error response that closes the connection (for parse errors and limits).
    public static func errorResponse(status: Int, date: String?) -> [UInt8] {
        var out: [UInt8] = []
        let body = Array("\(HTTPStatus.reasonPhrase(status))\n".utf8)
        appendHead(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], framing: .length(body.count),
                   keepAlive: false, version: .http11, date: date, into: &out)
        out.append(contentsOf: body)
        return out
    }

    private static func appendField(_ name: String, _ value: String, into out: inout [UInt8]) {
        out.appendBytes(of: name)
        out.appendBytes(of: ": ")
        out.appendBytes(of: value)
        out.appendBytes(of: "\r\n")
    }

    private static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(ByteSet.isToken)
    }

    private static func isSafeValue(_ value: String) -> Bool {
        value.utf8.allSatisfy(ByteSet.isFieldValue)
    }

    private static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        out.appendDecimal(value)
    }

    private static func appendHex(_ value: Int, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        var digits: [UInt8] = []
        var rest = value
        repeat { digits.append(hex[rest & 0xF]); rest >>= 4 } while rest > 0
        out.append(contentsOf: digits.reversed())
    }
}
