import ESHTTP
import Testing

/// Feeds `text` to a parser (optionally byte by byte) and collects the requests or the error.
func parseAll(_ text: String, limits: HTTPParserLimits = HTTPParserLimits(), byteByByte: Bool = false)
    -> (requests: [HTTPRequest], error: HTTPParseError?, continues: Int) {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    var continues = 0
    let bytes = Array(text.utf8)
    let pieces: [ArraySlice<UInt8>] = byteByByte ? bytes.indices.map { bytes[$0...$0] } : [bytes[...]]
    for piece in pieces {
        parser.append(contentsOf: piece)
        do {
            loop: while true {
                switch try parser.next() {
                case .request(let request): requests.append(request)
                case .continueExpected: continues += 1
                case .needMoreData: break loop
                }
            }
        } catch {
            return (requests, error, continues)
        }
    }
    return (requests, nil, continues)
}

@Suite struct HTTPRequestParserTests {
    @Test func parsesRequestLineHeadersAndQuery() throws {
        let result = parseAll("GET /api/v1/namespaces?watch=1&label%20Selector=a%3Db+c HTTP/1.1\r\nHost: example\r\n"
                              + "X-Multi: one\r\nx-multi:  two \r\n\r\n")
        let request = try #require(result.requests.first)
        #expect(result.error == nil)
        #expect(request.method == "GET")
        #expect(request.target == "/api/v1/namespaces?watch=1&label%20Selector=a%3Db+c")
        #expect(request.path == "/api/v1/namespaces")
        #expect(request.query == "watch=1&label%20Selector=a%3Db+c")
        #expect(request.queryItems().map { "\($0.name)=\($0.value)" } == ["watch=1", "label Selector=a=b c"])
        #expect(request.headers["host"] == "example")
        #expect(request.headers.values(for: "X-MULTI") == ["one", "two"])
        #expect(request.version == .http11)
        #expect(request.keepAlive)
        #expect(request.body.isEmpty)
    }

    @Test func parsesContentLengthBodyByteByByte() throws {
        let text = "POST /validate HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"
        for byteByByte in [false, true] {
            let result = parseAll(text, byteByByte: byteByByte)
            #expect(result.requests.count == 1)
            #expect(String(decoding: result.requests[0].body, as: UTF8.self) == "hello world")
        }
    }

    @Test func parsesChunkedBodyWithExtensionsAndTrailers() throws {
        let text = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: yes\r\n\r\n"
        for byteByByte in [false, true] {
            let result = parseAll(text, byteByByte: byteByByte)
            #expect(result.error == nil)
            #expect(result.requests.count == 1)
            #expect(String(decoding: result.requests.first?.body ?? [], as: UTF8.self) == "hello 0123456789")
        }
    }

    @Test func parsesPipelinedRequestsFromOneBuffer() {
        let text = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok"
            + "POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\nGET /4 HTTP/1.0\r\n\r\n"
        let result = parseAll(text)
        #expect(result.requests.map(\.path) == ["/1", "/2", "/3", "/4"])
        #expect(result.requests.map(\.body.count) == [0, 2, 1, 0])
        #expect(result.requests[3].version == .http10)
        #expect(!result.requests[3].keepAlive)
    }

    @Test func keepAliveFollowsVersionAndConnectionHeader() {
        #expect(!parseAll("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n").requests[0].keepAlive)
        #expect(parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").requests[0].keepAlive)
        #expect(!parseAll("GET / HTTP/1.0\r\n\r\n").requests[0].keepAlive)
    }

    @Test func acceptsBareLineFeedsAndLeadingEmptyLines() {
        let result = parseAll("\r\n\nGET /lf HTTP/1.1\nHost: h\n\n")
        #expect(result.requests.map(\.path) == ["/lf"])
    }

    @Test func signalsExpectContinueBeforeTheBody() {
        var parser = HTTPRequestParser()
        parser.append(contentsOf: Array("PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        guard case .continueExpected = try? parser.next() else { Issue.record("expected continueExpected"); return }
        guard case .needMoreData = try? parser.next() else { Issue.record("expected needMoreData"); return }
        parser.append(contentsOf: Array("abc".utf8))
        guard case .request(let request) = try? parser.next() else { Issue.record("expected request"); return }
        #expect(request.body == Array("abc".utf8))
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", 400),                                             // no Host
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),                                  // double space
        ("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{01}b\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        ("GET / HTTX/1.1\r\nHost: h\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n", 417),
    ])
    func rejectsMalformedRequestsWithTheRightStatus(text: String, status: Int) {
        let result = parseAll(text)
        #expect(result.requests.isEmpty)
        #expect(result.error?.status == status, "\(text.debugDescription)")
    }

    @Test func enforcesHeaderLimitWithoutWaitingForTheEnd() {
        let limits = HTTPParserLimits(maxHeaderBytes: 1024, maxBodyBytes: 100)
        let endless = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + String(repeating: "a", count: 2000)
        #expect(parseAll(endless, limits: limits).error?.status == 431)
        let complete = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + String(repeating: "a", count: 1100) + "\r\n\r\n"
        #expect(parseAll(complete, limits: limits).error?.status == 431)
    }

    @Test func enforcesBodyLimitForLengthAndChunks() {
        let limits = HTTPParserLimits(maxHeaderBytes: 1024, maxBodyBytes: 10)
        #expect(parseAll("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: limits).error?.status == 413)
        #expect(parseAll("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits).requests.count == 1)
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n"
        #expect(parseAll(chunked, limits: limits).error?.status == 413)
        let huge = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n"
        #expect(parseAll(huge, limits: limits).error?.status == 413)
    }

    @Test func staysFailedAfterAnError() {
        var parser = HTTPRequestParser()
        parser.append(contentsOf: Array("BROKEN\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        parser.append(contentsOf: Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test func tracksIdleState() throws {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle)
        parser.append(contentsOf: Array("GET / HT".utf8))
        _ = try parser.next()
        #expect(!parser.isIdle)
        parser.append(contentsOf: Array("TP/1.1\r\nHost: h\r\n\r\n".utf8))
        _ = try parser.next()
        #expect(parser.isIdle)
        #expect(parser.bufferedByteCount == 0)
    }
}
