import ESHTTP
import Testing

@Suite struct HTTPResponseSerializerTests {
    private func serialize(_ response: HTTPResponse, body: [UInt8], isHead: Bool = false, keepAlive: Bool = true,
                           version: HTTPVersion = .http11) -> String {
        var out: [UInt8] = []
        HTTPResponseSerializer.appendResponse(response, bytes: body, isHead: isHead, keepAlive: keepAlive, version: version,
                                              date: "Mon, 23 Nov 2026 05:00:00 GMT", into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func writesContentLengthAndReplacesFramingHeaders() {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Content-Length": "999", "Connection": "upgrade"]
        headers.add(name: "X-Bad", value: "a\r\nInjected: yes")
        let text = serialize(HTTPResponse(status: 200, headers: headers), body: Array("{}".utf8))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Mon, 23 Nov 2026 05:00:00 GMT\r\n"
                + "Content-Length: 2\r\n\r\n{}")
    }

    @Test func closesForHTTP10AndKeepsAliveWhenAsked() {
        let close = serialize(.text(404, "no"), body: Array("no".utf8), keepAlive: false, version: .http10)
        #expect(close.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(close.contains("Connection: close\r\n"))
        let keep = serialize(.text(200, "ok"), body: Array("ok".utf8), keepAlive: true, version: .http10)
        #expect(keep.contains("Connection: keep-alive\r\n"))
    }

    @Test func headResponsesHaveLengthButNoBody() {
        let text = serialize(.text(200, "hello"), body: Array("hello".utf8), isHead: true)
        #expect(text.contains("Content-Length: 5\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test func noContentHasNoLength() {
        let text = serialize(HTTPResponse(status: 204), body: [])
        #expect(!text.contains("Content-Length"))
    }

    @Test func chunksAreHexFramed() {
        var out: [UInt8] = []
        HTTPResponseSerializer.appendChunk(Array(repeating: UInt8(ascii: "x"), count: 26), into: &out)
        HTTPResponseSerializer.appendChunk([UInt8](), into: &out)
        HTTPResponseSerializer.appendLastChunk(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1a\r\n" + String(repeating: "x", count: 26) + "\r\n0\r\n\r\n")
    }

    @Test func formatsIMFDates() {
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
    }

    @Test func headersAreCaseInsensitiveAndReplaceable() {
        var headers = HTTPHeaders([("A", "1"), ("b", "2"), ("a", "3")])
        #expect(headers["a"] == "1")
        headers.replaceOrAdd(name: "A", value: "9")
        #expect(headers.values(for: "a") == ["9"])
        headers.replaceOrAdd(name: "C", value: "new")
        #expect(headers.map(\.name) == ["A", "b", "C"])
        #expect(HTTPHeaders([("Connection", "keep-alive, Close")]).containsToken("close", in: "connection"))
    }
}
