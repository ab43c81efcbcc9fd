import ESHTTP
@testable import ESServer
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

    @Test func immediateAnswersKeepPipelineOrderWithTaskAnswers() async throws {
        let server = try startPlainServer(handler: ImmediateEchoHandler())
        let client = try RawClient(port: server.port)
        // Immediate, asynchronous (slow), immediate, a stream from the immediate path, immediate + close.
        client.send("GET /now/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /now/2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /stream-now HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /now/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let text = await client.readAll()
        await server.shutdown(gracePeriod: .seconds(1))
        let markers = ["now GET /now/1 0", "slow done", "now POST /now/2 3", "streamed now", "now GET /now/3 0"]
        let positions = try markers.map { try #require(text.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 6)
        #expect(text.hasSuffix("now GET /now/3 0"))
    }

    @Test func manyPipelinedImmediateRequestsNeedNoRecursion() async throws {
        let server = try startPlainServer(handler: ImmediateEchoHandler())
        let client = try RawClient(port: server.port)
        let count = 3000
        client.send(String(repeating: "GET /now/x HTTP/1.1\r\nHost: x\r\n\r\n", count: count)
                    + "GET /now/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let text = await client.readAll(limit: 4 << 20)
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(text.components(separatedBy: "now GET /now/x 0").count == count + 1)
        #expect(text.hasSuffix("now GET /now/last 0"))
    }

    @Test func spreadsConnectionsEvenlyOverTheEventLoops() async throws {
        let server = try startPlainServer()  // two event loops
        var clients: [RawClient] = []
        for i in 0..<12 {
            let client = try RawClient(port: server.port)
            client.send("GET /c\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = await client.read(until: "GET /c\(i) 0")
            clients.append(client)
        }
        let loads = server.connectionsPerLoop
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(loads.reduce(0, +) == 12)
        #expect(loads.allSatisfy { $0 == 6 }, "\(loads)")
    }

    @Test func requestFollowedByHalfCloseIsAnsweredAndClosed() async throws {
        for handler in [ImmediateEchoHandler() as any HTTPHandler, EchoHandler()] {
            let server = try startPlainServer(handler: handler)
            let client = try RawClient(port: server.port, receiveTimeoutSeconds: 3)
            // Request and FIN in one go: the server must still see the end of stream and close.
            client.send("POST /now/half HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok")
            shutdown(client.fd, Int32(SHUT_WR))
            let text = await client.read(until: "/now/half 2")
            let closed = await client.isClosedByPeer()  // EOF, not the 3 s receive timeout
            await server.shutdown(gracePeriod: .seconds(1))
            #expect(text.hasPrefix("HTTP/1.1 200 OK"))
            #expect(text.hasSuffix("POST /now/half 2"))
            #expect(closed)
        }
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
