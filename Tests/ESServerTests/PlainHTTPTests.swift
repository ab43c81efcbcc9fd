import ESHTTP
import ESServer
import Foundation
import Testing

@Suite struct PlainHTTPTests {
    @Test func servesRequestsWithCurlOverKeepAlive() async throws {
        let server = try startPlainServer()
        let url = "http://127.0.0.1:\(server.port)"
        let result = try await run("/usr/bin/curl", ["-sS", "-v", "--data-binary", "hello", "\(url)/a?x=1", "\(url)/b"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.status == 0)
        #expect(result.stdout == "POST /a?x=1 5POST /b 5")
        #expect(result.stderr.contains("Re-using existing connection") || result.stderr.contains("Reusing existing"))
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        let server = try startPlainServer()
        let client = try RawClient(port: server.port)
        client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "POST /three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nab\r\n0\r\n\r\n")
        let text = await client.readAll()
        await server.shutdown(gracePeriod: .seconds(1))
        let slow = try #require(text.range(of: "slow done"))
        let two = try #require(text.range(of: "POST /two 3"))
        let three = try #require(text.range(of: "POST /three 2"))
        #expect(slow.lowerBound < two.lowerBound && two.lowerBound < three.lowerBound)
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
    }

    @Test func streamsChunkedResponses() async throws {
        let server = try startPlainServer()
        let result = try await run("/usr/bin/curl", ["-sS", "-i", "http://127.0.0.1:\(server.port)/stream"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.stdout.lowercased().contains("transfer-encoding: chunked"))
        #expect(result.stdout.hasSuffix("chunk0\nchunk1\nchunk2\n"))
    }

    @Test func servesHTTP10ClientsAndClosesTheirConnections() async throws {
        let server = try startPlainServer()
        let result = try await run("/usr/bin/curl", ["-sS", "-i", "--http1.0", "http://127.0.0.1:\(server.port)/old"])
        let stream = try await run("/usr/bin/curl", ["-sS", "--http1.0", "http://127.0.0.1:\(server.port)/stream"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(result.stdout.contains("Connection: close\r\n"))
        #expect(result.stdout.hasSuffix("GET /old 0"))
        #expect(stream.stdout == "chunk0\nchunk1\nchunk2\n")
    }

    @Test func largeBodyWithExpectContinue() async throws {
        let server = try startPlainServer()
        let directory = try makeTemporaryDirectory()
        let bodyPath = directory + "/body"
        try Data(repeating: UInt8(ascii: "b"), count: 3 * 1024 * 1024).write(to: URL(fileURLWithPath: bodyPath))
        let result = try await run("/usr/bin/curl", ["-sS", "-v", "-H", "Expect: 100-continue", "--data-binary", "@\(bodyPath)",
                                                     "http://127.0.0.1:\(server.port)/big"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.stdout == "POST /big \(3 * 1024 * 1024)")
        #expect(result.stderr.contains("HTTP/1.1 100 Continue"))
    }
}
