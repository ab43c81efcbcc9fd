import Foundation
import Testing
@testable import ESCertificates

/// Cross-checks generated material with the `openssl` command line tool.
@Suite struct OpenSSLCommandLineTests {
    @Test(arguments: KeyAlgorithm.allCases)
    func opensslVerifiesAndShowsTheExtensions(algorithm: KeyAlgorithm) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let files = try CertificateIssuer.issue(
            dnsNames: serviceNames, ipAddresses: ["10.0.0.1"], keyAlgorithm: algorithm,
            caValidity: .seconds(86400), certificateValidity: .seconds(3600))
        try files.write(toDirectory: directory.path)
        let ca = directory.path + "/ca.crt", leaf = directory.path + "/tls.crt"

        let verify = try run(["openssl", "verify", "-purpose", "sslserver", "-verify_hostname", serviceNames[1],
                              "-CAfile", ca, leaf])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("\(leaf): OK"))

        let wrongHost = try run(["openssl", "verify", "-verify_hostname", "evil.example", "-CAfile", ca, leaf])
        #expect(wrongHost.status != 0)

        let leafText = try run(["openssl", "x509", "-in", leaf, "-noout", "-text"])
        #expect(leafText.status == 0)
        for expected in ["CA:FALSE", "Digital Signature, Key Encipherment", "TLS Web Server Authentication",
                         "X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier",
                         "DNS:external-secrets-webhook.es.svc, DNS:external-secrets-webhook.es.svc.cluster.local, IP Address:10.0.0.1",
                         "Subject: CN = external-secrets-webhook.es.svc"] {
            #expect(leafText.output.contains(expected), "missing \(expected)")
        }
        let caText = try run(["openssl", "x509", "-in", ca, "-noout", "-text"])
        for expected in ["X509v3 Basic Constraints: critical", "CA:TRUE", "Digital Signature, Certificate Sign, CRL Sign",
                         "X509v3 Subject Key Identifier"] {
            #expect(caText.output.contains(expected), "missing \(expected)")
        }

        let keyCheck = try run(["openssl", "pkey", "-in", directory.path + "/tls.key", "-noout"])
        #expect(keyCheck.status == 0)
        let leafPublic = try run(["openssl", "x509", "-in", leaf, "-noout", "-pubkey"])
        let keyPublic = try run(["openssl", "pkey", "-in", directory.path + "/tls.key", "-pubout"])
        #expect(leafPublic.output == keyPublic.output)
    }

    @Test func inspectorReadsCertificatesMadeByOpenSSL() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let made = try run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", directory.path + "/k.pem", "-out", directory.path + "/c.pem",
                            "-days", "2", "-subj", "/O=Acme/CN=example.test",
                            "-addext", "subjectAltName=DNS:example.test,IP:192.168.1.1"])
        #expect(made.status == 0, "\(made.output)")
        let pem = try String(contentsOfFile: directory.path + "/c.pem", encoding: .utf8)
        let info = try #require(try CertificateInspector.inspect(pem: pem).first)
        #expect(info.subject == "CN=example.test,O=Acme")
        #expect(info.dnsNames == ["example.test"])
        #expect(info.ipAddresses == ["192.168.1.1"])
        #expect(info.notAfter - info.notBefore == 2 * 86400)
        let key = try String(contentsOfFile: directory.path + "/k.pem", encoding: .utf8)
        #expect(CertificateVerifier.keyMatches(certificatePEM: pem, keyPEM: key))
    }
}
