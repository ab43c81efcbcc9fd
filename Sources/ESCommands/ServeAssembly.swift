import ESCertificates
import ESHTTP
import ESMetrics
import ESServer
import ESTLS
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Wires the `serve` process together: certificates, the HTTPS webhook listener with its router and
/// metrics, and the plain-HTTP health and metrics listeners. Later parts (reconciler, cert-controller)
/// hook in through `health` (readiness checks) and by wrapping `admissionHandler`.
public final class ServerAssembly: Sendable {
    public let options: ServeOptions
    public let health = HealthHandler()
    public let admissionHandler: any HTTPHandler
    private let logger: Logger
    private let servers = Mutex<[HTTPServer]>([])
    private let webhookServer = Mutex<HTTPServer?>(nil)

    /// Generated CA and serving certificate lifetimes for the embedded default.
    public static let generatedCAValidity: Duration = .seconds(10 * 365 * 86_400)
    public static let generatedCertificateValidity: Duration = .seconds(365 * 86_400)

    public init(options: ServeOptions, admissionHandler: any HTTPHandler = PlaceholderAdmissionHandler(), logger: Logger) {
        self.options = options
        self.admissionHandler = admissionHandler
        self.logger = logger
    }

    /// Writes a self-signed CA and serving certificate into the cert dir when it holds neither
    /// `tls.crt` nor `tls.key`. Returns whether it generated them.
    @discardableResult
    public func ensureCertificates() throws -> Bool {
        let directory = options.certDirectory
        let hasCertificate = access(directory + "/" + CertificateFiles.certificateFileName, F_OK) == 0
        let hasKey = access(directory + "/" + CertificateFiles.keyFileName, F_OK) == 0
        if hasCertificate || hasKey { return false }
        let dnsNames = ["localhost"] + options.dnsNames.filter { $0 != "localhost" }
        let files = try CertificateIssuer.issue(dnsNames: dnsNames, ipAddresses: ["127.0.0.1", "::1"],
                                               caValidity: Self.generatedCAValidity,
                                               certificateValidity: Self.generatedCertificateValidity)
        try files.write(toDirectory: directory)
        logger.info("generated a self-signed CA and serving certificate", metadata: [
            "certDir": "\(directory)", "dnsNames": "\(dnsNames.joined(separator: ","))",
        ])
        return true
    }

    /// Generates certificates if needed and starts the three listeners.
    public func start() throws {
        try ensureCertificates()
        let webhookMetrics = WebhookMetrics(registry: MetricsSetup.registry)
        let router = ServeRouter(admission: InstrumentedHandler(admissionHandler, metrics: webhookMetrics))
        let tls = TLSConfiguration(certDirectory: options.certDirectory, minimumVersion: options.tlsMinimumVersion,
                                   reloadInterval: options.certificateReloadInterval)
        let webhook = HTTPServer(configuration: HTTPServerConfiguration(host: options.host, port: options.port, tls: tls,
                                                                        limits: options.limits,
                                                                        eventLoopCount: options.eventLoopCount, name: "webhook"),
                                 handler: router, logger: logger)
        let plainLimits = HTTPServerLimits(maxHeaderBytes: options.limits.maxHeaderBytes, maxBodyBytes: 64 * 1024,
                                           idleTimeout: options.limits.idleTimeout, readTimeout: options.limits.readTimeout,
                                           maxConnections: 256)
        let healthServer = HTTPServer(configuration: HTTPServerConfiguration(host: options.host, port: options.healthPort,
                                                                             limits: plainLimits, eventLoopCount: 1, name: "health"),
                                      handler: health, logger: logger)
        let metricsServer = HTTPServer(configuration: HTTPServerConfiguration(host: options.host, port: options.metricsPort,
                                                                              limits: plainLimits, eventLoopCount: 1, name: "metrics"),
                                       handler: ProcessMetricsHandler(), logger: logger)
        health.addLivenessCheck(name: "ping") { true }
        health.addReadinessCheck(name: "webhook-certificate") { webhook.isReady }

        var started: [HTTPServer] = []
        do {
            for server in [webhook, healthServer, metricsServer] {
                try server.start()
                started.append(server)
            }
        } catch {
            let toStop = started
            Task { for server in toStop { await server.shutdown(gracePeriod: .zero) } }
            throw error
        }
        servers.withLock { $0 = started }
        webhookServer.withLock { $0 = webhook }
    }

    /// The listening ports after `start()` (useful with port 0).
    public var ports: (webhook: Int, health: Int, metrics: Int) {
        let list = servers.withLock { $0 }
        guard list.count == 3 else { return (0, 0, 0) }
        return (list[0].port, list[1].port, list[2].port)
    }

    /// True once the webhook serves a valid certificate.
    public var isReady: Bool { webhookServer.withLock { $0 }?.isReady ?? false }

    /// Stops accepting everywhere, lets in-flight webhook requests finish within the grace period.
    public func shutdown() async {
        let list = servers.withLock { servers in
            let taken = servers
            servers = []
            return taken
        }
        await withTaskGroup(of: Void.self) { group in
            for server in list {
                group.addTask { [grace = options.shutdownGracePeriod] in await server.shutdown(gracePeriod: grace) }
            }
        }
    }
}
