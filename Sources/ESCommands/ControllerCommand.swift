import ArgumentParser
import Dispatch
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

    @Option(help: "Path to a kubeconfig file.") var kubeconfig: String?
    @Option(help: "The kubeconfig context to use.") var context: String?
    @Option(help: "Watch ExternalSecrets and SecretStores of this namespace only (empty: all).") var namespace: String = ""
    @Option(help: "Parallel reconciles per controller.") var concurrent: Int = 8
    @Option(help: "Only handle stores whose spec.controller is empty or equals this class.") var controllerClass: String = "default"
    @Option(help: "Client-side requests per second to the API server.") var clientQps: Double = 50
    @Option(help: "Client-side request burst to the API server.") var clientBurst: Int = 100
    @Flag(help: "Elect a leader through a Lease so only one replica reconciles.") var enableLeaderElection = false
    @Option(help: "Name of the leader election Lease.") var leaderElectionId: String = "external-secrets-controller"
    @Option(help: "Re-validation interval of stores that set no refreshInterval (Go duration).") var storeRequeueInterval: String = "5m"
    @Option(help: "Refuse stores that are not Ready (true/false).") var enableFloodGate: Bool = true
    @Option(help: "Reconcile ClusterSecretStores (true/false).") var enableClusterStoreReconciler: Bool = true
    @Option(help: "Reconcile SecretStores (true/false).") var enableSecretStoreReconciler: Bool = true
    @Option(help: "Prometheus metrics address (host:port, ':8080' for all interfaces).") var metricsAddr: String = ":8080"
    @Option(help: "Health probe address (/healthz, /readyz).") var liveAddr: String = ":8082"
    @Option(help: "Left delimiter of templates.") var templateLeftDelimiter: String = "{{"
    @Option(help: "Right delimiter of templates.") var templateRightDelimiter: String = "}}"
    @Option(help: "Log format: json or text.") var logFormat: String = "json"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"

    public init() {}

    public func validate() throws { _ = try makeOptions() }

    public func makeOptions() throws -> ControllerOptions {
        var options = ControllerOptions()
        guard concurrent > 0 else { throw ValidationError("--concurrent must be positive") }
        guard clientQps > 0, clientBurst > 0 else { throw ValidationError("--client-qps and --client-burst must be positive") }
        options.configuration.concurrency = concurrent
        options.configuration.namespace = namespace.isEmpty ? nil : namespace
        options.configuration.controllerClass = controllerClass
        options.configuration.enableFloodGate = enableFloodGate
        options.configuration.enableClusterStoreReconciler = enableClusterStoreReconciler
        options.configuration.enableSecretStoreReconciler = enableSecretStoreReconciler
        guard let interval = ControllerDuration.seconds(storeRequeueInterval), interval > 0 else {
            throw ValidationError("--store-requeue-interval: invalid duration \"\(storeRequeueInterval)\"")
        }
        options.configuration.storeRequeueInterval = interval
        options.enableLeaderElection = enableLeaderElection
        options.leaderElectionID = leaderElectionId
        options.templateLeftDelimiter = templateLeftDelimiter
        options.templateRightDelimiter = templateRightDelimiter
        return options
    }

    public func run() throws {
        let options = try makeOptions()
        guard let format = LogFormat(rawValue: logFormat) else { throw ValidationError("--log-format must be json or text") }
        guard let level = LoggingSetup.level(named: logLevel) else { throw ValidationError("--log-level is not a log level") }
        let metrics = try ControllerAddress.parse(metricsAddr, flag: "--metrics-addr")
        let live = try ControllerAddress.parse(liveAddr, flag: "--live-addr")
        let config: KubeConfig
        do {
            if kubeconfig != nil || context != nil {
                config = try KubeConfig.load(kubeconfigPath: kubeconfig, context: context)
            } else {
                if let local = try? KubeConfig.load(kubeconfigPath: nil, context: nil) {
                    config = local
                } else {
                    config = try KubeConfig.inCluster()
                }
            }
        } catch {
            throw ValidationError("no cluster configuration: \(error)")
        }
        let qps = clientQps, burst = clientBurst
        let ok = Mutex<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            let result = await Self.runController(options: options, kube: KubeClient(config: config, qps: qps, burst: burst),
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
                       handler: ControllerMetricsHandler(), logger: logger),
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

/// Go durations for controller flags (`5m`, `30s`, `1h30m`), in seconds.
enum ControllerDuration {
    static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        if rest == "0" { return 0 }
        var total = 0.0
        while !rest.isEmpty {
            let end = rest.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? rest.endIndex
            guard end != rest.startIndex, let value = Double(rest[..<end]) else { return nil }
            rest = rest[end...]
            let unitEnd = rest.firstIndex(where: { $0.isNumber || $0 == "." }) ?? rest.endIndex
            switch rest[..<unitEnd] {
            case "ms": total += value / 1000
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            rest = rest[unitEnd...]
        }
        return total
    }
}

/// `/metrics`: the process registry plus the per-ExternalSecret families of `ObjectMetrics`.
struct ControllerMetricsHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.path == "/metrics" else { return .text(404, "404 page not found\n") }
        guard request.method == "GET" || request.method == "HEAD" else { return .text(405, "method not allowed\n") }
        return HTTPResponse(status: 200, headers: ["Content-Type": MetricsSetup.contentType],
                            body: .bytes(MetricsSetup.exposition() + ObjectMetrics.shared.exposition()))
    }
}
