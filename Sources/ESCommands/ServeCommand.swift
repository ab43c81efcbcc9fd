import ArgumentParser
import Dispatch
import ESAdmission
import ESAPI
import ESCertController
import ESKube
import ESLogging
import ESMetrics
import ESServer
import ESReconciler
import ESTLS
import Foundation
import Logging
import Synchronization

/// `external-secrets serve`: the admission webhooks over HTTPS, health and metrics listeners, the
/// cert-controller and, when a cluster is configured, the embedded reconciler.
/// A synchronous command that blocks on the async server, so it runs the same whether the root command's
/// `main()` is the synchronous or the asynchronous one.
public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the admission webhooks over HTTPS, with health and metrics endpoints.",
        discussion: """
            Certificates come from --cert-dir (tls.crt, tls.key, optional ca.crt) and are reloaded when they change. \
            SIGTERM or SIGINT stops accepting connections, lets in-flight requests finish within \
            --shutdown-grace-period, and exits 0.

            Standalone (the default), the cert-controller keeps the files in --cert-dir: an empty directory gets a \
            self-signed CA and a serving certificate for localhost, 127.0.0.1, ::1, the Service names and every \
            --dns-name / --ip-address, renewed before they expire (--no-cert-controller serves the files as they are).

            With a cluster (--kubeconfig/--context, or the in-cluster service account when running in a pod; \
            $KUBECONFIG alone is not used) the reconciler runs in the same process and starts syncing an \
            ExternalSecret as soon as the webhook admits it, and the cert-controller keeps the certificates in \
            --secret-name and injects the CA bundle into the webhook configurations. The serving certificate then \
            names SERVICE.NAMESPACE.svc(.cluster.local) plus --dns-name / --ip-address (add `--dns-name localhost \
            --ip-address 127.0.0.1` when the API server reaches the webhook by URL on this machine).
            """
    )

    @Option(help: "Webhook HTTPS port.") var port: Int = 10250
    @Option(help: "Health probe port (/healthz, /readyz).") var healthPort: Int = 8081
    @Option(help: "Prometheus metrics port (/metrics).") var metricsPort: Int = 8080
    @Option(help: "Address to listen on; empty listens on all IPv6 and IPv4 addresses.") var host: String = ""
    @Option(help: "Directory with tls.crt, tls.key and optional ca.crt.") var certDir: String = "certs"
    @Option(name: .customLong("dns-name"), help: "Extra DNS name for a generated serving certificate (repeatable).")
    var dnsNames: [String] = []
    @Option(help: "Minimum TLS version: 1.2 or 1.3.") var tlsMinVersion: String = "1.2"
    @Option(help: "Log format: json or text.") var logFormat: String = "json"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"
    @Option(help: "Maximum bytes of request line and headers.") var maxHeaderBytes: Int = 16 * 1024
    @Option(help: "Maximum bytes of a request body.") var maxBodyBytes: Int = 8 * 1024 * 1024
    @Option(help: "Close keep-alive connections idle this long (e.g. 120s).") var idleTimeout: String = "120s"
    @Option(help: "A request (or TLS handshake) must arrive within this long of its first byte.") var readTimeout: String = "30s"
    @Option(help: "Maximum simultaneous webhook connections.") var maxConnections: Int = 4096
    @Option(help: "Webhook event-loop threads (default: one per core).") var eventLoops: Int?
    @Option(help: "How long in-flight requests may run after SIGTERM.") var shutdownGracePeriod: String = "30s"
    @Flag(help: "Serve the certificates in --cert-dir as they are: no cert-controller issuing or rotating them.")
    var noCertController = false
    @Flag(help: ArgumentHelp("Keep start-up code resident: do not advise the kernel to map only the code pages the server executes.",
                             visibility: .hidden))
    var keepStartupCode = false
    @Option(help: "Name of the reconciler's leader election Lease.") var leaderElectionId: String = "external-secrets-controller"
    @OptionGroup public var cluster: ClusterFlags
    @OptionGroup public var controller: ControllerFlags
    @OptionGroup public var certs: CertsControllerOptions

    public init() {}

    public func validate() throws {
        _ = try makeOptions()
    }

    /// The flags as `ServeOptions` (throws a ValidationError naming the bad flag).
    public func makeOptions() throws -> ServeOptions {
        var options = ServeOptions()
        options.host = host
        options.port = try Self.checkPort(port, flag: "--port")
        options.healthPort = try Self.checkPort(healthPort, flag: "--health-port")
        options.metricsPort = try Self.checkPort(metricsPort, flag: "--metrics-port")
        guard !certDir.isEmpty else { throw ValidationError("--cert-dir must not be empty") }
        options.certDirectory = certDir
        options.dnsNames = dnsNames
        guard let version = TLSMinimumVersion(rawValue: tlsMinVersion) else {
            throw ValidationError("--tls-min-version must be 1.2 or 1.3, got \"\(tlsMinVersion)\"")
        }
        options.tlsMinimumVersion = version
        guard let format = LogFormat(rawValue: logFormat) else {
            throw ValidationError("--log-format must be json or text, got \"\(logFormat)\"")
        }
        options.logFormat = format
        guard let level = LoggingSetup.level(named: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        options.logLevel = level
        options.trimResidentCode = !keepStartupCode
        guard maxHeaderBytes >= 1024 else { throw ValidationError("--max-header-bytes must be at least 1024") }
        guard maxBodyBytes >= 0 else { throw ValidationError("--max-body-bytes must not be negative") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        if let eventLoops {
            guard (1...256).contains(eventLoops) else { throw ValidationError("--event-loops must be between 1 and 256") }
            options.eventLoopCount = eventLoops
        }
        options.limits = HTTPServerLimits(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes,
                                          idleTimeout: try Self.duration(idleTimeout, flag: "--idle-timeout"),
                                          readTimeout: try Self.duration(readTimeout, flag: "--read-timeout"),
                                          maxConnections: maxConnections)
        options.shutdownGracePeriod = try Self.duration(shutdownGracePeriod, flag: "--shutdown-grace-period")
        options.cluster = try cluster.resolve(.optional, environment: ProcessInfo.processInfo.environment)
        options.clientQPS = cluster.clientQps
        options.clientBurst = cluster.clientBurst
        options.controller = try controller.makeOptions(enableLeaderElection: certs.enableLeaderElection,
                                                        leaderElectionID: leaderElectionId)
        if !noCertController {
            // Standalone, the serving certificate also names localhost and the loopback addresses.
            let standalone = options.cluster == nil
            var configuration = try certs.configuration(certDirectory: certDir,
                                                        extraDNSNames: (standalone ? ["localhost"] : []) + dnsNames)
            if standalone {
                configuration.ipAddresses = Array(Set(configuration.ipAddresses + ["127.0.0.1", "::1"])).sorted()
            }
            options.certController = configuration
        }
        return options
    }

    public func run() throws {
        let options = try makeOptions()
        let outcome = Mutex<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            let ok = await Self.serve(options: options)
            outcome.withLock { $0 = ok }
            finished.signal()
        }
        finished.wait()
        guard outcome.withLock({ $0 }) else { throw ExitCode.failure }
    }

    /// Runs the server (and, per `options`, the cert-controller and the reconciler) until SIGTERM/SIGINT,
    /// then shuts down gracefully. False when it could not start.
    public static func serve(options: ServeOptions) async -> Bool {
        // Before start-up faults in code: from here on only pages that run are mapped, one by one.
        if options.trimResidentCode { ResidentCode.trimAfterStartup() }
        LoggingSetup.bootstrapOnce(format: options.logFormat, level: options.logLevel)
        MetricsSetup.bootstrapOnce()
        let logger = LoggingSetup.makeLogger(label: "external-secrets.serve", format: options.logFormat, level: options.logLevel)
        let kube = options.cluster.map { KubeClient(config: $0, qps: options.clientQPS, burst: options.clientBurst) }
        let reconciler = kube.map { EmbeddedController(kube: $0, options: options.controller, logger: logger) }
        var certController: CertController? = nil
        if let configuration = options.certController {
            if let kube {
                certController = CertController(configuration: configuration, kube: kube, logger: logger)
            } else {
                certController = CertController.standalone(configuration: configuration, logger: logger)
            }
        }
        // Sync on admission: the reconciler hears of an admitted ExternalSecret before the apiserver stores it.
        var onAdmitted: AdmissionReviewer.AdmittedHook? = nil
        if let reconciler {
            onAdmitted = { externalSecret, _, dryRun in
                if !dryRun { reconciler.notifyAdmitted(externalSecret.json) }
            }
        }
        let admission = AdmissionHandler(onAdmitted: onAdmitted)
        if let certController {
            // One pass before listening, so the first handshake already has the right certificate.
            do { _ = try await certController.reconcile() } catch {
                logger.warning("first certificate check failed; retrying in the background", metadata: ["error": "\(error)"])
            }
        }
        // Certificate issuing (key generation, signing) ran once; its code need not stay resident.
        if options.trimResidentCode { ResidentCode.trimAfterStartup() }
        let assembly = ServerAssembly(options: options, admissionHandler: admission, logger: logger)
        if let certController {
            assembly.health.addReadinessCheck(name: "certificates") { certController.readiness.isReady }
        }
        do {
            try assembly.start()
        } catch {
            logger.error("cannot start the server", metadata: ["error": "\(error)"])
            return false
        }
        // Start-up code (argument parsing, certificate issuing, TLS set-up) has run: let only the code
        // the request path executes stay resident.
        if options.trimResidentCode { ResidentCode.trimAfterStartup() }
        logger.info("serving", metadata: [
            "webhookPort": "\(assembly.ports.webhook)", "healthPort": "\(assembly.ports.health)",
            "metricsPort": "\(assembly.ports.metrics)", "cluster": "\(kube != nil)",
        ])
        let background = Task { [certController] in
            await withTaskGroup(of: Void.self) { group in
                if let certController { group.addTask { await certController.run() } }
                if let reconciler { group.addTask { await reconciler.run() } }
            }
        }
        let signalNumber = await ServeSignals.waitForTermination()
        let grace = options.shutdownGracePeriod.components
        logger.info("shutting down", metadata: [
            "signal": "\(signalNumber)", "gracePeriodSeconds": "\(Double(grace.seconds) + Double(grace.attoseconds) / 1e18)",
        ])
        await assembly.shutdown()
        background.cancel()
        await background.value
        return true
    }

    private static func checkPort(_ port: Int, flag: String) throws -> Int {
        guard (0...65535).contains(port) else { throw ValidationError("\(flag) must be between 0 and 65535") }
        return port
    }

    private static func duration(_ text: String, flag: String) throws -> Duration {
        do { return try ServeDurationParsing.parse(text) } catch { throw ValidationError("\(flag): \(error)") }
    }
}
