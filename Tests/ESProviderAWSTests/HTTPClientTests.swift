import ESHTTPClient
import ESJSON
import Foundation
import Synchronization
import Testing

@Suite("HTTPClient against a local python server")
struct HTTPClientTests {
    func echo(_ response: HTTPClientResponse) throws -> JSON {
        try JSON.parse(response.body)
    }

    func headerValue(_ echo: JSON, _ name: String) -> String? {
        guard case .array(let pairs)? = echo["headers"] else { return nil }
        for pair in pairs {
            if case .array(let kv) = pair, kv.count == 2, kv[0].stringValue?.lowercased() == name.lowercased() {
                return kv[1].stringValue
            }
        }
        return nil
    }

    @Test func getAndPostRoundTripHeadersAndBody() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let client = HTTPClient()

        let get = try await client.execute(HTTPClientRequest(url: server.baseURL + "/echo?a=1",
                                                             headers: [("X-Test", "one"), ("X-Empty", "")]))
        #expect(get.status == 200)
        #expect(get.header("content-type") == "application/json")
        let getEcho = try echo(get)
        #expect(getEcho["method"]?.stringValue == "GET")
        #expect(getEcho["path"]?.stringValue == "/echo?a=1")
        #expect(headerValue(getEcho, "X-Test") == "one")
        #expect(headerValue(getEcho, "X-Empty") == "")

        let body = Array("{\"k\":\"v\"}".utf8)
        let post = try await client.execute(HTTPClientRequest(method: "POST", url: server.baseURL + "/echo",
                                                              headers: [("Content-Type", "application/json")], body: body))
        let postEcho = try echo(post)
        #expect(postEcho["method"]?.stringValue == "POST")
        #expect(postEcho["body"]?.stringValue == "{\"k\":\"v\"}")
        #expect(headerValue(postEcho, "Content-Type") == "application/json")
        #expect(headerValue(postEcho, "Expect") == nil)

        for method in ["PUT", "PATCH", "DELETE"] {
            let r = try await client.execute(HTTPClientRequest(method: method, url: server.baseURL + "/echo", body: Array("x".utf8)))
            let e = try echo(r)
            #expect(e["method"]?.stringValue == method)
            #expect(e["body"]?.stringValue == "x")
        }
        let delete = try await client.execute(HTTPClientRequest(method: "DELETE", url: server.baseURL + "/echo"))
        #expect(try echo(delete)["method"]?.stringValue == "DELETE")
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let response = try await HTTPClient().execute(HTTPClientRequest(url: server.baseURL + "/status?code=503"))
        #expect(response.status == 503)
        #expect(response.body == Array("status body".utf8))
    }

    @Test func keepAliveConnectionsAreReused() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let client = HTTPClient()
        var ports = Set<Int>()
        for _ in 0..<10 {
            let r = try await client.execute(HTTPClientRequest(url: server.baseURL + "/echo"))
            if case .number(let n)? = try echo(r)["clientPort"], let p = Int(n.text) { ports.insert(p) }
        }
        // Ten sequential requests share a connection. Under heavy machine load the python server may drop
        // an idle connection once, so allow one reconnect, but never a connection per request.
        #expect(ports.count <= 2)
    }

    @Test func connectionCloseServersGetAFreshConnectionEachTime() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let client = HTTPClient()
        var ports = Set<Int>()
        for _ in 0..<5 {
            let r = try await client.execute(HTTPClientRequest(url: server.baseURL + "/close"))
            #expect(r.status == 200)
            #expect(r.header("Connection") == "close")
            if case .number(let n)? = try echo(r)["clientPort"], let p = Int(n.text) { ports.insert(p) }
        }
        #expect(ports.count == 5)
    }

    @Test func concurrentRequestsAllComplete() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let client = HTTPClient()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try await client.execute(HTTPClientRequest(url: server.baseURL + "/echo?i=\(i)")).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 40)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test func streamingDeliversEveryChunk() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let received = Mutex<[UInt8]>([])
        let response = try await HTTPClient().stream(HTTPClientRequest(url: server.baseURL + "/stream?n=5&ms=10")) { chunk in
            received.withLock { $0 += chunk }
            return true
        }
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        let text = received.withLock { String(decoding: $0, as: UTF8.self) }
        #expect(text == (0..<5).map { "chunk \($0)\n" }.joined())
    }

    @Test func streamingStopsWhenTheReceiverSaysSo() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let chunks = Mutex(0)
        let response = try await HTTPClient().stream(HTTPClientRequest(url: server.baseURL + "/stream?n=0&ms=5")) { _ in
            chunks.withLock { $0 += 1; return $0 < 3 }
        }
        #expect(response.status == 200)
        #expect(chunks.withLock { $0 } == 3)
    }

    @Test func cancellingTheTaskAbortsAnEndlessStream() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let client = HTTPClient()
        let firstChunk = AsyncStream<Void>.makeStream()
        let task = Task {
            try await client.stream(HTTPClientRequest(url: server.baseURL + "/stream?n=0&ms=20")) { _ in
                firstChunk.continuation.yield()
                return true
            }
        }
        for await _ in firstChunk.stream { break }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The shared loop keeps serving after an abort.
        let after = try await client.execute(HTTPClientRequest(url: server.baseURL + "/echo"))
        #expect(after.status == 200)
    }

    @Test func cancellingABufferedRequestThrowsCancellation() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let client = HTTPClient()
        let task = Task { try await client.execute(HTTPClientRequest(url: server.baseURL + "/slow?ms=5000")) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func timeoutIsATypedError() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().execute(HTTPClientRequest(url: server.baseURL + "/slow?ms=3000", timeout: .milliseconds(300)))
        }
        #expect(error?.kind == .timeout)
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        // Bind and close a socket to find a port nobody listens on.
        let server = try await HTTPClientTestServer.start()
        let url = server.baseURL
        server.stop()
        let error = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().execute(HTTPClientRequest(url: url + "/echo"))
        }
        #expect(error?.kind == .connect)
    }

    @Test func oversizedBodiesAreRejected() async throws {
        let server = try await HTTPClientTestServer.start()
        defer { server.stop() }
        let client = HTTPClient(maxResponseBytes: 1000)
        let ok = try await client.execute(HTTPClientRequest(url: server.baseURL + "/big?size=1000"))
        #expect(ok.body.count == 1000)
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: server.baseURL + "/big?size=100000"))
        }
        #expect(error?.kind == .responseTooLarge)
    }

    @Test func invalidHeadersAreRejectedBeforeSending() async throws {
        let error = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().execute(HTTPClientRequest(url: "http://127.0.0.1:1/", headers: [("X-Bad", "a\r\nInjected: 1")]))
        }
        #expect(error?.kind == .invalidRequest)
    }

    @Test func tlsWithInMemoryCAAndClientCertificate() async throws {
        let certs = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: certs.directory) }
        let server = try await HTTPClientTestServer.start(tls: certs)
        defer { server.stop() }

        let trusted = HTTPClient(tls: HTTPClientTLS(caPEM: certs.caPEM))
        let plain = try await trusted.execute(HTTPClientRequest(url: server.baseURL + "/echo"))
        #expect(plain.status == 200)
        #expect(try echo(plain)["clientCert"] == .null)

        let untrusted = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().execute(HTTPClientRequest(url: server.baseURL + "/echo"))
        }
        #expect(untrusted?.kind == .tls)

        let insecure = try await HTTPClient(tls: HTTPClientTLS(insecureSkipVerify: true))
            .execute(HTTPClientRequest(url: server.baseURL + "/echo"))
        #expect(insecure.status == 200)

        let fromFile = try await HTTPClient(tls: HTTPClientTLS(caFile: certs.directory + "/ca.crt"))
            .execute(HTTPClientRequest(url: server.baseURL + "/echo"))
        #expect(fromFile.status == 200)

        let mutual = HTTPClient(tls: HTTPClientTLS(caPEM: certs.caPEM, clientCertificatePEM: certs.clientCertPEM,
                                                   clientKeyPEM: certs.clientKeyPEM))
        let withCert = try await mutual.execute(HTTPClientRequest(url: server.baseURL + "/echo"))
        #expect(try echo(withCert)["clientCert"]?["commonName"]?.stringValue == "es-test-client")

        let received = Mutex<[UInt8]>([])
        _ = try await mutual.stream(HTTPClientRequest(url: server.baseURL + "/stream?n=3&ms=5")) { chunk in
            received.withLock { $0 += chunk }
            return true
        }
        #expect(received.withLock { String(decoding: $0, as: UTF8.self) } == "chunk 0\nchunk 1\nchunk 2\n")
    }
}
