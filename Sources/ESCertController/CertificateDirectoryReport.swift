// `certs inspect`: what a certificate directory holds and whether it is valid.
import ESCertificates

/// The human-readable inspection of a certificate directory, with the problems found.
public struct CertificateDirectoryReport: Sendable {
    /// The report, one fact per line.
    public private(set) var text = ""
    /// Everything that makes the directory invalid (empty: valid).
    public private(set) var problems: [String] = []

    /// Reads `directory` and checks it at `now`; `dnsName` defaults to the serving certificate's first DNS name.
    public init(directory: String, dnsName: String?, now: Int64) throws(CertificateError) {
        let files = try CertificateFiles.read(fromDirectory: directory)
        let bundle = try CertificateInspector.inspect(pem: files.caCertificatePEM)
        line("CA bundle (ca.crt): \(bundle.count) certificate\(bundle.count == 1 ? "" : "s")")
        for (index, ca) in bundle.enumerated() {
            describe(ca, label: "[\(index + 1)]", now: now)
            if !ca.isCA { problems.append("ca.crt entry \(index + 1) is not a CA certificate") }
        }
        if let caKey = files.caKeyPEM {
            let blocks = (try? CertificateInspector.certificateBlocks(pem: files.caCertificatePEM)) ?? []
            if let index = blocks.firstIndex(where: { CertificateVerifier.keyMatches(certificatePEM: $0, keyPEM: caKey) }) {
                line("ca.key: matches CA [\(index + 1)]")
            } else {
                line("ca.key: matches no CA in ca.crt")
                problems.append("ca.key matches no CA in ca.crt")
            }
        } else {
            line("ca.key: absent")
        }

        let chain = try CertificateInspector.inspect(pem: files.certificatePEM)
        line("serving certificate (tls.crt):")
        describe(chain[0], label: "   ", now: now)
        if chain.count > 1 { line("    plus \(chain.count - 1) intermediate certificate(s)") }
        if CertificateVerifier.keyMatches(certificatePEM: files.certificatePEM, keyPEM: files.keyPEM) {
            line("tls.key: matches tls.crt")
        } else {
            line("tls.key: does NOT match tls.crt")
            problems.append("tls.key does not match tls.crt")
        }
        let name = dnsName ?? chain[0].dnsNames.first
        do {
            try CertificateVerifier.verify(leafPEM: files.certificatePEM, bundlePEM: files.caCertificatePEM,
                                           dnsName: name, at: now)
            line("chain: OK\(name.map { " for \($0)" } ?? "")")
        } catch {
            line("chain: FAILED: \(error.message)")
            problems.append(error.message)
        }
    }

    private mutating func describe(_ info: CertificateInfo, label: String, now: Int64) {
        line("  \(label) subject: \(info.subject)")
        line("      issuer:  \(info.issuer)")
        if !info.dnsNames.isEmpty { line("      DNS names: \(info.dnsNames.joined(separator: ", "))") }
        if !info.ipAddresses.isEmpty { line("      IP addresses: \(info.ipAddresses.joined(separator: ", "))") }
        line("      serial:  \(info.serialHex)")
        line("      key:     \(info.publicKeyAlgorithm)\(info.isCA ? ", CA" : "")")
        let remaining = info.secondsRemaining(at: now)
        let state = remaining < 0 ? "EXPIRED" : now < info.notBefore ? "not yet valid"
            : "expires in \(CertDuration.approximate(seconds: remaining))"
        line("      valid:   \(UnixTime.format(info.notBefore)) to \(UnixTime.format(info.notAfter)) (\(state))")
    }

    private mutating func line(_ text: String) {
        self.text += text + "\n"
    }
}
