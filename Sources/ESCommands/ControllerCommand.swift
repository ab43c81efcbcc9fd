import ArgumentParser
import Dispatch
import Foundation
import ESHTTP
import ESKube
import ESLogging
import ESMetrics
import ESReconciler
import ESServer
import Logging
import Synchronization

/// `external-secrets controller`: the ExternalSecret and SecretStore reconcilers alone (no webhook),
/// with `/metrics` and `/healthz` `/readyz` listeners. Flags follow upstream's controller flags.
public struct ControllerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the ExternalSecret and SecretStore controllers against a cluster.",
        discussion: """
            The cluster comes from --kubeconfig/--context, then $KUBECONFIG, ~/.kube/config, and finally the \
            in-cluster service account. SIGTERM or SIGINT stops the controllers (releasing the leader lease).
            """
    )

    @OptionGroup public var cluster: ClusterFlags
    @OptionGroup public var controller: ControllerFlags
    @Flag(help: "Elect a leader through a Lease so only one replica reconciles.") var enableLeaderElection = false
    @Option(help: "Name of the leader election Lease.") var leaderElectionId: String = "external-secrets-controller"
    @Option(help: "Prometheus metrics address (host:port, ':8080' for all interfaces).") var metricsAddr: String = ":8080"
    @Option(help: "Health probe address (/healthz, /readyz).") var liveAddr: String = ":8082"
    @Option(help: "Log format: json or text.") var logFormat: String = "json"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"

    public init() {}

    public func validate() throws { _ = try makeOptions() }

    public func makeOptions() throws -> ControllerOptions {
        try controller.makeOptions(enableLeaderElection: enableLeaderElection, leaderElectionID: leaderElectionId)
    }

    public func run() throws {
        let options = try makeOptions()
        guard let format = LogFormat(rawValue: logFormat) else { throw ValidationError("--log-format must be json or text") }
        guard let level = LoggingSetup.level(named: logLevel) else { throw ValidationError("--log-level is not a log level") }
        let metrics = try ControllerAddress.parse(metricsAddr, flag: "--metrics-addr")
        let live = try ControllerAddress.parse(liveAddr, flag: "--live-addr")
        guard let config = try cluster.resolve(.required, environment: ProcessInfo.processInfo.environment) else {
            throw ValidationError("no cluster configuration")
        }
        let kube = cluster.makeClient(config)
        let ok = Mutex<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            let result = await Self.runController(options: options, kube: kube,
                                                  format: format, level: level, metrics: metrics, live: live)
            ok.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        guard ok.withLock({ $0 }) else { throw ExitCode.failure }
    }

    static func runController(options: ControllerOptions, kube: KubeClient, format: LogFormat, level: Logger.Level,
                              metrics: (host: String, port: Int), live: (host: String, port: Int)) async -> Bool {
        LoggingSetup.bootstrapOnce(format: format, level: level)
        MetricsSetup.bootstrapOnce()
        let logger = LoggingSetup.makeLogger(label: "external-secrets.controller", format: format, level: level)
        let health = HealthHandler()
        health.addLivenessCheck(name: "ping") { true }
        health.addReadinessCheck(name: "ping") { true }
        let limits = HTTPServerLimits(maxHeaderBytes: 16 * 1024, maxBodyBytes: 64 * 1024, maxConnections: 256)
        let servers = [
            HTTPServer(configuration: HTTPServerConfiguration(host: metrics.host, port: metrics.port, limits: limits,
                                                              eventLoopCount: 1, name: "metrics"),
                       handler: ProcessMetricsHandler(), logger: logger),
            HTTPServer(configuration: HTTPServerConfiguration(host: live.host, port: live.port, limits: limits,
                                                              eventLoopCount: 1, name: "health"),
                       handler: health, logger: logger),
        ]
        do {
            for server in servers { try server.start() }
        } catch {
            logger.error("cannot start listeners", metadata: ["error": "\(error)"])
            return false
        }
        let controller = EmbeddedController(kube: kube, options: options, logger: logger)
        let running = Task { await controller.run() }
        logger.info("controller started", metadata: ["namespace": "\(options.configuration.namespace ?? "")",
                                                     "concurrent": "\(options.configuration.concurrency)",
                                                     "leaderElection": "\(options.enableLeaderElection)"])
        let signalNumber = await ServeSignals.waitForTermination()
        logger.info("shutting down", metadata: ["signal": "\(signalNumber)"])
        running.cancel()
        await running.value
        for server in servers { await server.shutdown(gracePeriod: .seconds(5)) }
        return true
    }
}

/// `host:port` flags (`:8080` listens on every address).
enum ControllerAddress {
    static func parse(_ text: String, flag: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw ValidationError("\(flag) must be host:port, got \"\(text)\"") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}
