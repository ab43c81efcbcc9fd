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
