import Testing
@testable import ESCertificates

@Suite struct CertificateIssuerTests {
    @Test(arguments: KeyAlgorithm.allCases)
    func issuesCAAndServingCertificate(algorithm: KeyAlgorithm) throws {
        let now = UnixTime.now()
        let files = try CertificateIssuer.issue(
            dnsNames: serviceNames, ipAddresses: ["127.0.0.1", "::1"], keyAlgorithm: algorithm,
            caValidity: .seconds(365 * 86400), certificateValidity: .seconds(30 * 86400), now: now)

        let ca = try #require(try CertificateInspector.inspect(pem: files.caCertificatePEM).first)
        #expect(ca.isCA)
        #expect(ca.isSelfIssued)
        #expect(ca.subject == "CN=external-secrets-ca@\(now),O=external-secrets")
        #expect(ca.notBefore == now - 3600)
        #expect(ca.notAfter == now + 365 * 86400)
        #expect(ca.subjectKeyIdentifier != nil)

        let leaf = try #require(try CertificateInspector.inspect(pem: files.certificatePEM).first)
        #expect(!leaf.isCA)
        #expect(leaf.subject == "CN=external-secrets-webhook.es.svc")
        #expect(leaf.issuer == ca.subject)
        #expect(leaf.dnsNames == serviceNames)
        #expect(leaf.ipAddresses == ["127.0.0.1", "::1"])
        #expect(leaf.notBefore == now - 3600)
        #expect(leaf.notAfter == now + 30 * 86400)
        #expect(leaf.authorityKeyIdentifier == ca.subjectKeyIdentifier)
        #expect(leaf.subjectKeyIdentifier != nil && leaf.subjectKeyIdentifier != ca.subjectKeyIdentifier)
        #expect(leaf.serialHex.count == 32)
        #expect(leaf.serialHex != ca.serialHex)
        #expect(leaf.publicKeyAlgorithm == (algorithm == .ecdsaP256 ? "ECDSA P-256" : "RSA 2048"))

        #expect(CertificateVerifier.keyMatches(certificatePEM: files.certificatePEM, keyPEM: files.keyPEM))
        #expect(CertificateVerifier.keyMatches(certificatePEM: files.caCertificatePEM, keyPEM: try #require(files.caKeyPEM)))
        #expect(!CertificateVerifier.keyMatches(certificatePEM: files.certificatePEM, keyPEM: try #require(files.caKeyPEM)))
        try CertificateVerifier.verify(files, dnsName: serviceNames[0], at: now)
        try CertificateVerifier.verify(files, dnsName: serviceNames[1], at: now)
    }

    @Test func verificationFailsForWrongNameTimeOrAuthority() throws {
        let now = UnixTime.now()
        let files = try CertificateIssuer.issue(
            dnsNames: serviceNames, ipAddresses: [], caValidity: .seconds(86400), certificateValidity: .seconds(3600), now: now)
        #expect(throws: CertificateError("certificate verification failed: hostname mismatch")) {
            try CertificateVerifier.verify(leafPEM: files.certificatePEM, bundlePEM: files.caCertificatePEM,
                                           dnsName: "other.es.svc", at: now)
        }
        #expect(throws: CertificateError("certificate verification failed: certificate has expired")) {
            try CertificateVerifier.verify(leafPEM: files.certificatePEM, bundlePEM: files.caCertificatePEM,
                                           dnsName: nil, at: now + 3601)
        }
        #expect(throws: CertificateError("certificate verification failed: certificate is not yet valid")) {
            try CertificateVerifier.verify(leafPEM: files.certificatePEM, bundlePEM: files.caCertificatePEM,
                                           dnsName: nil, at: now - 7200)
        }
        let otherCA = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(86400), now: now)
        #expect(throws: CertificateError("certificate verification failed: unable to get local issuer certificate")) {
            try CertificateVerifier.verify(leafPEM: files.certificatePEM, bundlePEM: otherCA.certificatePEM,
                                           dnsName: nil, at: now)
        }
    }

    @Test func bundleWithSeveralCAsVerifiesLeavesOfEach() throws {
        let now = UnixTime.now()
        let oldCA = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(86400), now: now - 10)
        let newCA = try CertificateIssuer.issueCertificateAuthority(keyAlgorithm: .rsa2048, validity: .seconds(86400), now: now)
        let oldLeaf = try CertificateIssuer.issueServingCertificate(
            ca: oldCA.certificatePEM, caKey: oldCA.keyPEM, dnsNames: serviceNames, ipAddresses: [],
            validity: .seconds(3600), now: now)
        let newLeaf = try CertificateIssuer.issueServingCertificate(
            ca: newCA.certificatePEM, caKey: newCA.keyPEM, dnsNames: serviceNames, ipAddresses: [],
            validity: .seconds(3600), now: now)
        let bundle = oldCA.certificatePEM + newCA.certificatePEM
        #expect(try CertificateInspector.inspect(pem: bundle).count == 2)
        for leaf in [oldLeaf, newLeaf] {
            try CertificateVerifier.verify(leafPEM: leaf.certificatePEM, bundlePEM: bundle, dnsName: serviceNames[0], at: now)
        }
        #expect(!CertificateVerifier.isValid(leafPEM: newLeaf.certificatePEM, bundlePEM: oldCA.certificatePEM,
                                            dnsName: nil, at: now))
        // An intermediate appended to the leaf is used as an untrusted chain element.
        #expect(CertificateVerifier.isValid(leafPEM: newLeaf.certificatePEM + newCA.certificatePEM,
                                           bundlePEM: newCA.certificatePEM, dnsName: nil, at: now))
    }

    @Test func servingCertificateNeverOutlivesItsCA() throws {
        let now = UnixTime.now()
        let ca = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(600), now: now)
        let leaf = try CertificateIssuer.issueServingCertificate(
            ca: ca.certificatePEM, caKey: ca.keyPEM, dnsNames: ["a.b.svc"], ipAddresses: [],
            validity: .seconds(86400), now: now)
        let info = try #require(try CertificateInspector.inspect(pem: leaf.certificatePEM).first)
        #expect(info.notAfter == now + 600)
    }

    @Test func rejectsBadInput() throws {
        let now = UnixTime.now()
        let ca = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(600), now: now)
        let other = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(600), now: now)
        #expect(throws: CertificateError("invalid DNS name \"a,DNS:evil.com\"")) {
            try CertificateIssuer.issueServingCertificate(ca: ca.certificatePEM, caKey: ca.keyPEM,
                dnsNames: ["a,DNS:evil.com"], ipAddresses: [], validity: .seconds(60))
        }
        #expect(throws: CertificateError("invalid IP address \"1.2.3\"")) {
            try CertificateIssuer.issueServingCertificate(ca: ca.certificatePEM, caKey: ca.keyPEM,
                dnsNames: ["a.svc"], ipAddresses: ["1.2.3"], validity: .seconds(60))
        }
        #expect(throws: CertificateError("the CA key does not match the CA certificate")) {
            try CertificateIssuer.issueServingCertificate(ca: ca.certificatePEM, caKey: other.keyPEM,
                dnsNames: ["a.svc"], ipAddresses: [], validity: .seconds(60))
        }
        #expect(throws: CertificateError("a serving certificate needs at least one DNS name or IP address")) {
            try CertificateIssuer.issueServingCertificate(ca: ca.certificatePEM, caKey: ca.keyPEM,
                dnsNames: [], ipAddresses: [], validity: .seconds(60))
        }
        #expect(throws: CertificateError("certificate validity must be between 1s and 100 years")) {
            try CertificateIssuer.issueServingCertificate(ca: ca.certificatePEM, caKey: ca.keyPEM,
                dnsNames: ["a.svc"], ipAddresses: [], validity: .zero)
        }
        let leaf = try CertificateIssuer.issueServingCertificate(ca: ca.certificatePEM, caKey: ca.keyPEM,
            dnsNames: ["a.svc"], ipAddresses: [], validity: .seconds(60))
        #expect(throws: CertificateError("the issuing certificate is not a CA")) {
            try CertificateIssuer.issueServingCertificate(ca: leaf.certificatePEM, caKey: leaf.keyPEM,
                dnsNames: ["b.svc"], ipAddresses: [], validity: .seconds(60))
        }
        #expect(throws: CertificateError("no certificate found in PEM data")) {
            try CertificateInspector.inspect(pem: "hello")
        }
        #expect(throws: CertificateError("no valid private key found in PEM data")) {
            try CertificateIssuer.issueServingCertificate(ca: ca.certificatePEM, caKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                dnsNames: ["a.svc"], ipAddresses: [], validity: .seconds(60))
        }
        let truncated = String(ca.certificatePEM.prefix(200)) + "\n-----END CERTIFICATE-----\n"
        #expect(throws: CertificateError("malformed certificate in PEM data (block 1 of 1)")) {
            try CertificateInspector.inspect(pem: truncated)
        }
        #expect(throws: CertificateError("CA bundle: no certificate found in PEM data")) {
            try CertificateVerifier.verify(leafPEM: leaf.certificatePEM, bundlePEM: "", dnsName: nil, at: now)
        }
    }
}
