import ArgumentParser
import ESCertController
import ESCertificates

/// `external-secrets certs inspect`: what a certificate directory holds and whether it is valid.
public struct CertsInspectCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the certificates in a directory and check the serving certificate's chain.",
        discussion: "Exits non-zero when the serving certificate does not verify against ca.crt or tls.key does not match."
    )

    @Option(name: .long, help: "Directory holding ca.crt, tls.crt, tls.key (and optionally ca.key).")
    var dir: String

    @Option(name: .customLong("dns-name"), help: "Name to verify the serving certificate for (default: its first DNS name).")
    var dnsName: String?

    public init() {}

    public func run() throws {
        let report: CertificateDirectoryReport
        do {
            report = try CertificateDirectoryReport(directory: dir, dnsName: dnsName, now: UnixTime.now())
        } catch {
            throw CertsCommandFailure(message: error.message)
        }
        print(report.text, terminator: "")
        if !report.problems.isEmpty {
            throw ExitCode(1)
        }
    }
}

/// The human-readable inspection of a certificate directory, with the problems found.
struct CertificateDirectoryReport {
    var text = ""
    var problems: [String] = []

    init(directory: String, dnsName: String?, now: Int64) throws(CertificateError) {
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
