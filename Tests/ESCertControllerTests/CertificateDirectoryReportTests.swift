import ESCertController
import ESCertificates
import Testing

@Suite struct CertificateDirectoryReportTests {
    @Test func validDirectoryReportsSubjectsNamesAndChain() throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let now = UnixTime.now()
        let files = try CertificateIssuer.issue(dnsNames: ["wh.es.svc", "wh.es.svc.cluster.local"], ipAddresses: ["10.1.2.3"],
                                                caValidity: .seconds(86400), certificateValidity: .seconds(3600), now: now)
        try files.write(toDirectory: directory)
        let report = try CertificateDirectoryReport(directory: directory, dnsName: nil, now: now)
        #expect(report.problems.isEmpty)
        for expected in ["CA bundle (ca.crt): 1 certificate", "subject: CN=external-secrets-ca@\(now),O=external-secrets",
                         "DNS names: wh.es.svc, wh.es.svc.cluster.local", "IP addresses: 10.1.2.3",
                         "ca.key: matches CA [1]", "tls.key: matches tls.crt", "chain: OK for wh.es.svc",
                         "(expires in 1h)", "(expires in 1d)"] {
            #expect(report.text.contains(expected), "missing \(expected) in\n\(report.text)")
        }
    }

    @Test func problemsMakeItInvalid() throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        let now = UnixTime.now()
        var files = try CertificateIssuer.issue(dnsNames: ["wh.es.svc"], ipAddresses: [],
                                                caValidity: .seconds(86400), certificateValidity: .seconds(3600), now: now)
        let other = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(86400), now: now)
        files.caKeyPEM = other.keyPEM
        files.keyPEM = other.keyPEM
        try files.write(toDirectory: directory)
        let report = try CertificateDirectoryReport(directory: directory, dnsName: nil, now: now + 7200)
        #expect(report.problems == [
            "ca.key matches no CA in ca.crt",
            "tls.key does not match tls.crt",
            "certificate verification failed: certificate has expired",
        ])
        #expect(report.text.contains("chain: FAILED: certificate verification failed: certificate has expired"))
        #expect(report.text.contains("(EXPIRED)"))
    }

    @Test func missingFilesAreAnError() throws {
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        #expect(throws: CertificateError("\(directory): missing tls.crt, tls.key or ca.crt")) {
            try CertificateDirectoryReport(directory: directory, dnsName: nil, now: UnixTime.now())
        }
    }
}
