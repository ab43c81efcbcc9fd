#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the body of a request is delimited.
enum HTTPBodyFraming: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
}

/// A parsed request head: request line plus fields, and what they say about the body.
struct HTTPHead: Sendable {
    var request: HTTPRequest
    var framing: HTTPBodyFraming
    var expectsContinue: Bool
}

/// Parses one complete header block (request line through the blank line).
enum HTTPHeadParser {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPParserLimits) throws(HTTPParseError) -> HTTPHead {
        var lines = LineIterator(bytes: bytes)
        guard let requestLine = lines.next() else { throw .malformed("missing request line") }
        let (method, target, version) = try parseRequestLine(UnsafeBufferPointer(rebasing: bytes[requestLine]))

        var headers = HTTPHeaders(minimumCapacity: 8)
        while let line = lines.next() {
            if line.isEmpty { break }
            let first = bytes[line.lowerBound]
            if first == ByteSet.space || first == ByteSet.tab { throw .malformed("obsolete line folding in header") }
            let (name, value) = try parseField(UnsafeBufferPointer(rebasing: bytes[line]))
            headers.add(name: name, value: value)
        }

        if version == .http11 && headers["Host"] == nil { throw .malformed("missing required Host header") }

        let framing = try bodyFraming(headers: headers, limits: limits)
        var expectsContinue = false
        if let expect = headers["Expect"] {
            guard HTTPHeaders.namesEqual(expect.trimmingHTTPWhitespace(), "100-continue") else {
                throw HTTPParseError(status: 417, message: "unsupported Expect header")
            }
            expectsContinue = version == .http11 && framing != .none && framing != .length(0)
        }
        let request = HTTPRequest(method: method, target: target, headers: headers, version: version)
        return HTTPHead(request: request, framing: framing == .length(0) ? .none : framing, expectsContinue: expectsContinue)
    }

    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> (String, String, HTTPVersion) {
        guard let firstSpace = line.firstIndex(of: ByteSet.space), firstSpace > 0 else {
            throw .malformed("malformed request line")
        }
        for c in line[..<firstSpace] where !ByteSet.isToken(c) { throw .malformed("invalid method") }
        let afterMethod = firstSpace + 1
        guard let secondSpace = line[afterMethod...].firstIndex(of: ByteSet.space), secondSpace > afterMethod else {
            throw .malformed("malformed request line")
        }
        for c in line[afterMethod..<secondSpace] where c <= ByteSet.space || c == 0x7F {
            throw .malformed("invalid request target")
        }
        let versionBytes = line[(secondSpace + 1)...]
        let version: HTTPVersion
        if versionBytes.elementsEqual("HTTP/1.1".utf8) {
            version = .http11
        } else if versionBytes.elementsEqual("HTTP/1.0".utf8) {
            version = .http10
        } else if versionBytes.count == 8, versionBytes.starts(with: "HTTP/".utf8),
                  isDigit(versionBytes[secondSpace + 6]), versionBytes[secondSpace + 7] == UInt8(ascii: "."),
                  isDigit(versionBytes[secondSpace + 8]) {
            throw HTTPParseError(status: 505, message: "unsupported HTTP version")
        } else {
            throw .malformed("malformed HTTP version")
        }
        let method = String(decoding: UnsafeBufferPointer(rebasing: line[..<firstSpace]), as: UTF8.self)
        let target = String(decoding: UnsafeBufferPointer(rebasing: line[afterMethod..<secondSpace]), as: UTF8.self)
        return (method, target, version)
    }

    private static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> (String, String) {
        guard let colon = line.firstIndex(of: ByteSet.colon), colon > 0 else { throw .malformed("malformed header field") }
        for c in line[..<colon] where !ByteSet.isToken(c) { throw .malformed("invalid header field name") }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == ByteSet.space || line[valueStart] == ByteSet.tab { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == ByteSet.space || line[valueEnd - 1] == ByteSet.tab { valueEnd -= 1 }
        for c in line[valueStart..<valueEnd] where !ByteSet.isFieldValue(c) { throw .malformed("invalid header field value") }
        return (String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self))
    }

    private static func bodyFraming(headers: HTTPHeaders, limits: HTTPParserLimits) throws(HTTPParseError) -> HTTPBodyFraming {
        // The common case first, without allocating: no Transfer-Encoding and one Content-Length of
        // plain digits. Anything else takes the general path below.
        var contentLength: String?
        var framingFields = 0
        for field in headers {
            if HTTPHeaders.namesEqual(field.name, "Content-Length") {
                contentLength = field.value
                framingFields += 1
            } else if HTTPHeaders.namesEqual(field.name, "Transfer-Encoding") {
                framingFields += 2
            }
        }
        if framingFields == 0 { return .none }
        if framingFields == 1, let text = contentLength, (1...18).contains(text.utf8.count),
           text.utf8.allSatisfy(isDigit), let length = Int(text) {
            if length > limits.maxBodyBytes { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
            return .length(length)
        }
        let transferEncodings = headers.values(for: "Transfer-Encoding")
        let contentLengths = headers.values(for: "Content-Length")
        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty { throw .malformed("both Transfer-Encoding and Content-Length") }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingHTTPWhitespace().lowercased() }
                .filter { !$0.isEmpty }
            if codings == ["chunked"] { return .chunked }
            if codings.contains(where: { $0 != "chunked" }) {
                throw HTTPParseError(status: 501, message: "unsupported transfer encoding")
            }
            throw .malformed("invalid Transfer-Encoding")
        }
        guard !contentLengths.isEmpty else { return .none }
        var length: Int?
        for element in contentLengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let text = element.trimmingHTTPWhitespace()
            guard !text.isEmpty, text.utf8.allSatisfy(isDigit) else { throw .malformed("invalid Content-Length") }
            guard text.utf8.count <= 18, let value = Int(text) else { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
            if let length, length != value { throw .malformed("conflicting Content-Length values") }
            length = value
        }
        guard let length else { return .none }
        if length > limits.maxBodyBytes { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
        return .length(length)
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}

/// Lines of a header block: ranges without the LF or a CR before it.
private struct LineIterator {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    mutating func next() -> Range<Int>? {
        guard position < bytes.count, let base = bytes.baseAddress else { return nil }
        var end = bytes.count
        if let lf = memchr(base + position, Int32(ByteSet.lf), bytes.count &- position) {
            end = base.distance(to: lf.assumingMemoryBound(to: UInt8.self))
        }
        var contentEnd = end
        if contentEnd > position, bytes[contentEnd - 1] == ByteSet.cr { contentEnd -= 1 }
        let line = position..<contentEnd
        position = end + 1
        return line
    }
}

extension StringProtocol {
    func trimmingHTTPWhitespace() -> String {
        let utf8 = Array(self.utf8)
        var lower = 0
        var upper = utf8.count
        while lower < upper, utf8[lower] == ByteSet.space || utf8[lower] == ByteSet.tab { lower += 1 }
        while upper > lower, utf8[upper - 1] == ByteSet.space || utf8[upper - 1] == ByteSet.tab { upper -= 1 }
        return String(decoding: utf8[lower..<upper], as: UTF8.self)
    }
}
