import ArgumentParser
import ESCertController
import ESKube
import ESLogging
import ESServer
import Logging

/// `external-secrets certcontroller`: the cert-controller on its own (upstream's subcommand name), with
/// `/healthz` and `/readyz`. `serve` runs the same controller in-process; this is for split deployments.
public struct CertsControllerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "certcontroller",
        abstract: "Issue, rotate and inject the webhook certificates (without serving the webhook).",
        discussion: """
            With a cluster (kubeconfig or in-cluster), the Secret --secret-namespace/--secret-name holds the material, \
            the named webhook configurations get the CA bundle, and --cert-dir receives ca.crt, tls.crt, tls.key. With \
            --standalone, --cert-dir itself is rotated. /readyz is ok only while the served certificate stays valid \
            for one more --check-interval and chains to every injected bundle.
            """)

    @OptionGroup public var certs: CertsControllerOptions

    @Option(help: "Directory to write ca.crt, tls.crt and tls.key to (the webhook server's --cert-dir).")
    var certDir: String = "/tmp/k8s-webhook-server/serving-certs"

    @Option(name: .customLong("dns-name"), help: "Additional DNS name for the serving certificate (repeatable).")
    var dnsNames: [String] = []

    @Flag(help: "No cluster: rotate the files in --cert-dir (which then also holds ca.key).")
    var standalone = false

    @Option(help: "Path to a kubeconfig (default: KUBECONFIG, ~/.kube/config, then in-cluster).")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context to use.")
    var context: String?

    @Option(help: "Port for /healthz and /readyz.")
    var healthPort: Int = 8081

    @Option(help: "Log format: json or text.")
    var logFormat: String = "json"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    public init() {}

    public func run() async throws {
        guard let level = LoggingSetup.level(named: logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard let format = LogFormat(rawValue: logFormat) else { throw ValidationError("unknown --log-format \(logFormat)") }
        LoggingSetup.bootstrapOnce(format: format, level: level)
        let logger = Logger(label: "cert-controller")
        var kube: KubeClient?
        if !standalone {
            do {
                kube = KubeClient(config: try KubeConfig.load(kubeconfigPath: kubeconfig, context: context))
            } catch {
                throw CertsCommandFailure(message: "cannot load a kubeconfig (use --standalone without a cluster): \(error)")
            }
        }
        let controller = try certs.makeController(certDirectory: certDir, extraDNSNames: dnsNames, kube: kube, logger: logger)
        let configuration = controller.configuration

        let health = HealthHandler()
        health.addLivenessCheck(name: "ping") { true }
        health.addReadinessCheck(name: "certificates") { controller.readiness.isReady }
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: healthPort, eventLoopCount: 1, name: "health"),
                                handler: health, logger: logger)
        do {
            try server.start()
        } catch {
            throw CertsCommandFailure(message: "cannot listen on health port \(healthPort): \(error)")
        }
        logger.info("cert-controller started", metadata: [
            "mode": "\(standalone ? "standalone" : "cluster")", "certDir": "\(certDir)",
            "dnsNames": "\(configuration.dnsNames.joined(separator: ","))",
        ])
        let loop = Task { await controller.run() }
        let signal = await ServeSignals.waitForTermination()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        loop.cancel()
        await loop.value
        await server.shutdown(gracePeriod: .seconds(5))
    }
}
