import ESCertificates
import ESHTTP
import ESServer
import ESTLS
import Foundation
import Testing

/// Issues a CA and a serving certificate for localhost into a fresh directory.
func makeCertificateDirectory(dnsNames: [String] = ["localhost"]) throws -> (directory: String, files: CertificateFiles) {
    let directory = try makeTemporaryDirectory()
    let files = try CertificateIssuer.issue(dnsNames: dnsNames, ipAddresses: ["127.0.0.1", "::1"],
                                           caValidity: .seconds(86_400), certificateValidity: .seconds(3600))
    try files.write(toDirectory: directory)
    return (directory, files)
}

func startTLSServer(certDirectory: String, minimumVersion: TLSMinimumVersion = .tls12,
                    handler: any HTTPHandler = EchoHandler(), limits: HTTPServerLimits = HTTPServerLimits(),
                    reloadInterval: Duration = .seconds(1)) throws -> HTTPServer {
    let tls = TLSConfiguration(certDirectory: certDirectory, minimumVersion: minimumVersion, reloadInterval: reloadInterval)
    let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, tls: tls, limits: limits,
                                                                   eventLoopCount: 2, name: "tls-test"),
                            handler: handler, logger: testLogger)
    try server.start()
    return server
}

/// `openssl s_client` connecting with one protocol version; returns its combined output.
func sClient(port: Int, version: String, caFile: String, extra: [String] = []) async throws -> ProcessOutput {
    try await run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-\(version)", "-CAfile", caFile,
                                       "-servername", "localhost", "-verify_return_error", "-brief"] + extra,
                  input: "")
}

@Suite struct TLSServerTests {
    @Test func curlVerifiesTheCertificateAgainstTheCA() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory)
        let result = try await run("/usr/bin/curl", ["-sS", "--cacert", "\(directory)/ca.crt", "--data-binary", "{}",
                                                     "https://localhost:\(server.port)/validate-x"])
        let ipResult = try await run("/usr/bin/curl", ["-sS", "--cacert", "\(directory)/ca.crt",
                                                       "https://127.0.0.1:\(server.port)/ip"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "POST /validate-x 2")
        #expect(ipResult.stdout == "GET /ip 0")
    }

    @Test func acceptsTLS13AndTLS12AndRefusesTLS11() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory)
        let ca = "\(directory)/ca.crt"
        let tls13 = try await sClient(port: server.port, version: "tls1_3", caFile: ca)
        let tls12 = try await sClient(port: server.port, version: "tls1_2", caFile: ca)
        let tls11 = try await sClient(port: server.port, version: "tls1_1", caFile: ca, extra: ["-cipher", "DEFAULT@SECLEVEL=0"])
        let alpn = try await run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", ca,
                                                      "-alpn", "h2,http/1.1"], input: "")
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(tls13.stderr.contains("Protocol version: TLSv1.3"), "\(tls13.stderr)")
        #expect(tls13.stderr.contains("Verification: OK"))
        #expect(tls12.stderr.contains("Protocol version: TLSv1.2"), "\(tls12.stderr)")
        #expect(tls12.stderr.contains("Ciphersuite: ECDHE-"))
        #expect(tls12.stderr.contains("GCM") || tls12.stderr.contains("CHACHA20"))
        #expect(!tls11.stderr.contains("Protocol version: TLSv1.1"))
        #expect(tls11.status != 0)
        #expect(alpn.stdout.contains("ALPN protocol: http/1.1"), "\(alpn.stdout)")
    }

    @Test func tls13MinimumRefusesTLS12() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory, minimumVersion: .tls13)
        let tls12 = try await sClient(port: server.port, version: "tls1_2", caFile: "\(directory)/ca.crt")
        let tls13 = try await sClient(port: server.port, version: "tls1_3", caFile: "\(directory)/ca.crt")
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(tls12.status != 0)
        #expect(tls13.stderr.contains("Protocol version: TLSv1.3"))
    }

    @Test func servedCertificateHasTheRequestedSubjectAlternativeNames() async throws {
        let (directory, _) = try makeCertificateDirectory(dnsNames: ["localhost", "external-secrets-webhook.es.svc"])
        let server = try startTLSServer(certDirectory: directory)
        let shown = try await run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)",
                                                       "-CAfile", "\(directory)/ca.crt", "-showcerts"], input: "")
        await server.shutdown(gracePeriod: .seconds(1))
        let pem = try #require(firstPEM(in: shown.stdout))
        let text = try await run("/usr/bin/openssl", ["x509", "-noout", "-ext", "subjectAltName"], input: pem)
        #expect(text.stdout.contains("DNS:localhost"))
        #expect(text.stdout.contains("DNS:external-secrets-webhook.es.svc"))
        #expect(text.stdout.contains("IP Address:127.0.0.1"))
        #expect(text.stdout.contains("IP Address:0:0:0:0:0:0:0:1"))
        #expect(shown.stdout.contains("Verify return code: 0 (ok)"))
    }

    @Test func garbageInsteadOfClientHelloClosesTheConnectionAndServerKeepsServing() async throws {
        let (directory, _) = try makeCertificateDirectory()
        let server = try startTLSServer(certDirectory: directory)
        let client = try RawClient(port: server.port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n" + String(repeating: "\u{01}garbage", count: 500))
        let closed = await client.isClosedByPeer()
        let after = try await run("/usr/bin/curl", ["-sS", "--cacert", "\(directory)/ca.crt", "https://localhost:\(server.port)/ok"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(closed)
        #expect(after.stdout == "GET /ok 0")
    }
}

func firstPEM(in text: String) -> String? {
    guard let begin = text.range(of: "-----BEGIN CERTIFICATE-----"),
          let end = text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex) else { return nil }
    return String(text[begin.lowerBound..<end.upperBound]) + "\n"
}
