import ESCertificates
import ESHTTP
import ESServer
import ESTLS
import Foundation
import Testing

@Suite struct LifecycleTests {
    @Test func gracefulShutdownFinishesTheInFlightRequest() async throws {
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let handler = HTTPHandlerFunction { _ in
            startedContinuation.yield()
            try? await Task.sleep(for: .milliseconds(300))
            return .text(200, "slow done")
        }
        let server = try startPlainServer(handler: handler)
        let port = server.port
        async let slow = run("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(port)/slow"])
        for await _ in started { break }
        await server.shutdown(gracePeriod: .seconds(5))
        let result = try await slow
        let refused = try await run("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(port)/late"])
        #expect(result.stdout == "slow done", "\(result.stderr)")
        #expect(refused.status != 0)
    }

    @Test func shutdownEndsStreamingResponses() async throws {
        let endless = HTTPHandlerFunction { _ in
            let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
            continuation.yield(Array("first\n".utf8))
            _ = continuation   // never finished by the handler
            return HTTPResponse(status: 200, body: .stream(stream))
        }
        let server = try startPlainServer(handler: endless)
        let client = try RawClient(port: server.port)
        client.send("GET /watch HTTP/1.1\r\nHost: h\r\n\r\n")
        _ = await client.read(until: "first")
        await server.shutdown(gracePeriod: .seconds(5))
        let closedAfterShutdown = await client.isClosedByPeer()
        #expect(closedAfterShutdown)
    }

    @Test func certificateHotReloadUnderLoadFailsNoRequest() async throws {
        let (directory, files) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory, reloadInterval: .milliseconds(100))
        let firstSerial = try #require(server.tlsProvider?.current?.serialHex)
        let stopFile = directory + "/stop-loop"
        let url = "https://localhost:\(server.port)/load"
        let script = """
            ok=0; failed=0
            while [ ! -e '\(stopFile)' ]; do
              if curl -sS --cacert '\(directory)/ca.crt' -o /dev/null '\(url)' '\(url)' '\(url)'; then ok=$((ok+1)); else failed=$((failed+1)); fi
            done
            echo "$ok $failed"
            """
        async let loop = run("/bin/bash", ["-c", script])
        try await Task.sleep(for: .milliseconds(400))

        let caKey = try #require(files.caKeyPEM)
        let serving = try CertificateIssuer.issueServingCertificate(ca: files.caCertificatePEM, caKey: caKey,
                                                                    dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                                                    validity: .seconds(3600))
        try CertificateFiles(caCertificatePEM: files.caCertificatePEM, caKeyPEM: caKey,
                             certificatePEM: serving.certificatePEM, keyPEM: serving.keyPEM).write(toDirectory: directory)
        let newSerial = try #require(CertificateInspector.inspect(pem: serving.certificatePEM).first?.serialHex)
        for _ in 0..<50 where server.tlsProvider?.current?.serialHex != newSerial.uppercased() {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(400))
        FileManager.default.createFile(atPath: stopFile, contents: Data())
        let counts = try await loop.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }

        let shown = try await run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile",
                                                       "\(directory)/ca.crt"], input: "")
        let pem = try #require(firstPEM(in: shown.stdout))
        let served = try await run("/usr/bin/openssl", ["x509", "-noout", "-serial"], input: pem)
        await server.shutdown(gracePeriod: .seconds(1))

        #expect(firstSerial != newSerial.uppercased())
        #expect(server.tlsProvider?.current?.serialHex == newSerial.uppercased())
        #expect(counts.count == 2 && counts[0] > 0)
        #expect(counts.last == 0, "failed client runs")
        #expect(served.stdout.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "SERIAL=\(newSerial.uppercased())")
    }

    @Test func brokenCertificateUpdateKeepsServingThePreviousOne() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let provider = TLSContextProvider(configuration: TLSConfiguration(certDirectory: directory), logger: testLogger)
        let first = try provider.reload()
        let other = try CertificateIssuer.issue(dnsNames: ["localhost"], ipAddresses: [], caValidity: .seconds(3600),
                                               certificateValidity: .seconds(600))
        // A key that does not match the certificate: the update is refused and the old context stays.
        let keyPath = try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/tls.key")
        let resolvedKey = keyPath.hasPrefix("/") ? keyPath : directory + "/" + keyPath
        try FileManager.default.removeItem(atPath: resolvedKey)
        try other.keyPEM.write(toFile: resolvedKey, atomically: true, encoding: .utf8)
        provider.reloadIfChanged()
        #expect(provider.current?.serialHex == first.serialHex)
        #expect(provider.lastError?.contains("tls.key") == true)
        #expect(provider.isReady)
        #expect(provider.lastError?.contains("PRIVATE KEY") != true)
    }
}
