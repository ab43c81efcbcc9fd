import ESHTTP
import ESServer
import Foundation
import Testing

@Suite struct LimitsTests {
    @Test func oversizedHeaderGets431AndClose() async throws {
        let server = try startPlainServer(limits: HTTPServerLimits(maxHeaderBytes: 4096))
        let client = try RawClient(port: server.port)
        client.send("GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + String(repeating: "p", count: 20_000) + "\r\n\r\n")
        let text = await client.readAll()
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(text.contains("Connection: close\r\n"))
    }

    @Test func oversizedBodyGets413BeforeItIsSent() async throws {
        let server = try startPlainServer(limits: HTTPServerLimits(maxBodyBytes: 1024))
        let client = try RawClient(port: server.port)
        client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9000000\r\n\r\npartial")
        let text = await client.readAll()
        let chunked = try RawClient(port: server.port)
        chunked.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "a", count: 1024)
                     + "\r\n1\r\nb\r\n")
        let chunkedText = await chunked.readAll()
        let accepted = try await run("/usr/bin/curl", ["-sS", "--data-binary", String(repeating: "z", count: 1024),
                                                       "http://127.0.0.1:\(server.port)/fits"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(text.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        #expect(chunkedText.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        #expect(accepted.stdout == "POST /fits 1024")
    }

    @Test func malformedRequestGets400AndUnknownCodingGets501() async throws {
        let server = try startPlainServer()
        let bad = try RawClient(port: server.port)
        bad.send("GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n")
        let badText = await bad.readAll()
        let coding = try RawClient(port: server.port)
        coding.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n")
        let codingText = await coding.readAll()
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(badText.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(codingText.hasPrefix("HTTP/1.1 501 Not Implemented\r\n"))
    }

    @Test func halfARequestThenStallIsDroppedAfterTheReadTimeout() async throws {
        let server = try startPlainServer(limits: HTTPServerLimits(readTimeout: .milliseconds(300)))
        let client = try RawClient(port: server.port)
        client.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Le")
        let text = await client.readAll()
        let bodyStall = try RawClient(port: server.port)
        bodyStall.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nonly a little")
        let bodyText = await bodyStall.readAll()
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(bodyText.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
    }

    @Test func stalledTLSHandshakeIsDropped() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory, limits: HTTPServerLimits(readTimeout: .milliseconds(300)))
        let client = try RawClient(port: server.port)
        client.send([0x16, 0x03, 0x01])   // the start of a ClientHello, then nothing
        let closed = await client.isClosedByPeer()
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(closed)
    }

    /// Handshakes in progress are bounded per event loop (memory under a connection storm), but clients
    /// that stall mid-handshake give their slot up quickly: they can delay others, never block them.
    @Test func stalledHandshakesDoNotHoldUpNewClients() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory)  // read timeout 30 s
        var stalled: [RawClient] = []
        for _ in 0..<12 {
            let client = try RawClient(port: server.port)
            client.send([0x16, 0x03, 0x01])   // the start of a ClientHello, then nothing
            stalled.append(client)
        }
        try await Task.sleep(for: .milliseconds(100))
        let result = try await run("/usr/bin/curl", ["-sS", "--max-time", "10", "--cacert", "\(directory)/ca.crt",
                                                     "https://localhost:\(server.port)/after-stall"])
        stalled.removeAll()
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "GET /after-stall 0")
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let server = try startPlainServer(limits: HTTPServerLimits(idleTimeout: .milliseconds(200)))
        let client = try RawClient(port: server.port)
        client.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n")
        let first = await client.read(until: "GET /first 0")
        let closed = await client.isClosedByPeer()
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(first.contains("200 OK"))
        #expect(closed)
    }

    @Test func connectionsBeyondTheMaximumAreClosed() async throws {
        let server = try startPlainServer(limits: HTTPServerLimits(maxConnections: 3))
        var clients: [RawClient] = []
        for _ in 0..<3 {
            let client = try RawClient(port: server.port)
            client.send("GET /held HTTP/1.1\r\nHost: h\r\n\r\n")
            _ = await client.read(until: "GET /held 0")
            clients.append(client)
        }
        let extra = try RawClient(port: server.port)
        let refused = await extra.isClosedByPeer()
        clients.removeAll()
        try await Task.sleep(for: .milliseconds(100))
        let after = try await run("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(server.port)/after"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(refused)
        #expect(after.stdout == "GET /after 0")
    }

    @Test func manyConcurrentTLSConnections() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory)
        let urls = (0..<300).map { "https://localhost:\(server.port)/c\($0)" }
        let result = try await run("/usr/bin/curl", ["-sS", "--parallel", "--parallel-immediate", "--parallel-max", "150",
                                                     "--cacert", "\(directory)/ca.crt"] + urls)
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "GET /c").count - 1 == 300)
    }

    @Test func ipv6AndDualStackListening() async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "", port: 0, eventLoopCount: 1),
                                handler: EchoHandler(), logger: testLogger)
        try server.start()
        let v6 = try await run("/usr/bin/curl", ["-sS", "-g", "http://[::1]:\(server.port)/v6"])
        let v4 = try await run("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(server.port)/v4"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(v6.stdout == "GET /v6 0")
        #expect(v4.stdout == "GET /v4 0")
    }
}
