import ArgumentParser
import ESCertController
import ESCertificates

/// `external-secrets certs generate`: a new CA and serving certificate written to a directory.
public struct CertsGenerateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a new self-signed CA and a serving certificate for the webhook Service to a directory.",
        discussion: """
            Writes ca.crt, ca.key, tls.crt and tls.key (keys mode 0600) atomically. The serving certificate is valid \
            for SERVICE.NAMESPACE.svc, SERVICE.NAMESPACE.svc.cluster.local and every --dns-name / --ip-address.
            """
    )

    @Option(name: .long, help: "Directory to write ca.crt, ca.key, tls.crt and tls.key to.")
    var dir: String

    @Option(name: .long, help: "Name of the webhook Service.")
    var serviceName: String = "external-secrets-webhook"

    @Option(name: .long, help: "Namespace of the webhook Service.")
    var serviceNamespace: String = "default"

    @Option(name: .customLong("dns-name"), help: "Additional DNS name for the serving certificate (repeatable).")
    var dnsNames: [String] = []

    @Option(name: .customLong("ip-address"), help: "IP address for the serving certificate (repeatable).")
    var ipAddresses: [String] = []

    @Option(name: .long, help: "Key algorithm: ecdsa-p256 or rsa2048.", transform: CertsOptionParsing.keyAlgorithm)
    var keyAlgorithm: KeyAlgorithm = .ecdsaP256

    @Option(name: .long, help: "Lifetime of the CA (e.g. 1y, 8760h).", transform: CertsOptionParsing.duration)
    var caValidity: Duration = .seconds(365 * 86400)

    @Option(name: .long, help: "Lifetime of the serving certificate (e.g. 30d, 720h).", transform: CertsOptionParsing.duration)
    var certValidity: Duration = .seconds(30 * 86400)

    public init() {}

    public func validate() throws {
        guard certValidity <= caValidity else {
            throw ValidationError("--cert-validity must not exceed --ca-validity")
        }
    }

    public func run() throws {
        let names = ServingNames.dnsNames(serviceName: serviceName, serviceNamespace: serviceNamespace, extra: dnsNames)
        let files: CertificateFiles
        do {
            files = try CertificateIssuer.issue(
                dnsNames: names, ipAddresses: ipAddresses, keyAlgorithm: keyAlgorithm,
                caValidity: caValidity, certificateValidity: certValidity)
            try files.write(toDirectory: dir)
        } catch {
            throw CertsCommandFailure(message: error.message)
        }
        let leaf = try? CertificateInspector.inspect(pem: files.certificatePEM).first
        print("wrote ca.crt, ca.key, tls.crt, tls.key to \(dir)")
        print("serving certificate for \((names + ipAddresses).joined(separator: ", "))")
        if let leaf {
            print("valid until \(UnixTime.format(leaf.notAfter))")
        }
    }
}

/// Option transforms shared by the certificate commands.
enum CertsOptionParsing {
    static func keyAlgorithm(_ text: String) throws -> KeyAlgorithm {
        guard let algorithm = KeyAlgorithm(rawValue: text) else {
            throw ValidationError("unknown key algorithm \"\(text)\" (use ecdsa-p256 or rsa2048)")
        }
        return algorithm
    }

    static func duration(_ text: String) throws -> Duration {
        do {
            return try CertDuration.parse(text)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
