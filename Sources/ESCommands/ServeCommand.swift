import ArgumentParser
import Dispatch
import ESLogging
import ESMetrics
import ESServer
import ESTLS
import Logging
import Synchronization

/// `external-secrets serve`: the admission webhook over HTTPS plus health and metrics listeners.
/// A synchronous command that blocks on the async server, so it runs the same whether the root command's
/// `main()` is the synchronous or the asynchronous one.
public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the admission webhooks over HTTPS, with health and metrics endpoints.",
        discussion: """
            Certificates come from --cert-dir (tls.crt, tls.key, optional ca.crt) and are reloaded when they change. \
            When the directory holds no certificate, a self-signed CA and serving certificate for localhost, \
            127.0.0.1, ::1 and every --dns-name are written there first. SIGTERM or SIGINT stops accepting \
            connections, lets in-flight requests finish within --shutdown-grace-period, and exits 0.
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
    @Option(help: "How long in-flight requests may run after SIGTERM.") var shutdownGracePeriod: String = "30s"

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
        guard maxHeaderBytes >= 1024 else { throw ValidationError("--max-header-bytes must be at least 1024") }
        guard maxBodyBytes >= 0 else { throw ValidationError("--max-body-bytes must not be negative") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        options.limits = HTTPServerLimits(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes,
                                          idleTimeout: try Self.duration(idleTimeout, flag: "--idle-timeout"),
                                          readTimeout: try Self.duration(readTimeout, flag: "--read-timeout"),
                                          maxConnections: maxConnections)
        options.shutdownGracePeriod = try Self.duration(shutdownGracePeriod, flag: "--shutdown-grace-period")
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

    /// Runs the server until SIGTERM/SIGINT, then shuts down gracefully. False when it could not start.
    public static func serve(options: ServeOptions) async -> Bool {
        LoggingSetup.bootstrapOnce(format: options.logFormat, level: options.logLevel)
        MetricsSetup.bootstrapOnce()
        let logger = LoggingSetup.makeLogger(label: "external-secrets.serve", format: options.logFormat, level: options.logLevel)
        let assembly = ServerAssembly(options: options, logger: logger)
        do {
            try assembly.start()
        } catch {
            logger.error("cannot start the server", metadata: ["error": "\(error)"])
            return false
        }
        let signalNumber = await ServeSignals.waitForTermination()
        let grace = options.shutdownGracePeriod.components
        logger.info("shutting down", metadata: [
            "signal": "\(signalNumber)", "gracePeriodSeconds": "\(Double(grace.seconds) + Double(grace.attoseconds) / 1e18)",
        ])
        await assembly.shutdown()
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
