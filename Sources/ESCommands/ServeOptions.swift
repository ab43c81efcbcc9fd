import ESCertController
import ESKube
import ESLogging
import ESReconciler
import ESServer
import ESTLS
import Logging

/// Everything `serve` needs, with the command's defaults (ESO's ports: webhook 10250, health 8081, metrics 8080).
public struct ServeOptions: Sendable {
    public var host: String = ""
    public var port: Int = 10250
    public var healthPort: Int = 8081
    public var metricsPort: Int = 8080
    public var certDirectory: String = "certs"
    /// Extra DNS names for a generated serving certificate (besides `localhost`).
    public var dnsNames: [String] = []
    public var tlsMinimumVersion: TLSMinimumVersion = .tls12
    public var limits = HTTPServerLimits()
    public var shutdownGracePeriod: Duration = .seconds(30)
    public var certificateReloadInterval: Duration = .seconds(1)
    public var eventLoopCount: Int? = nil
    public var logFormat: LogFormat = .json
    public var logLevel: Logger.Level = .info
    /// After start-up, keep only the code pages the server executes resident (see `ResidentCode`).
    public var trimResidentCode = true
    /// The cluster, when one is configured: then the reconciler runs and the cert-controller keeps its
    /// certificates in a Secret and injects the CA bundle. Without one, `serve` runs standalone.
    public var cluster: KubeConfig? = nil
    public var clientQPS: Double = 50
    public var clientBurst: Int = 100
    public var controller = ControllerOptions()
    /// The cert-controller's settings; `nil` serves whatever is in the cert directory without rotating it.
    public var certController: CertControllerConfiguration? = nil

    public init() {}
}

/// Go-style durations for flags: `500ms`, `30s`, `2m`, `1h30m`, `1.5s`.
enum ServeDurationParsing {
    struct InvalidDuration: Error, CustomStringConvertible {
        var text: String
        var description: String { "invalid duration \"\(text)\" (examples: 500ms, 30s, 2m)" }
    }

    static func parse(_ text: String) throws -> Duration {
        try FlagDuration.parse(text, below: .seconds(1_000_000_000), orThrow: InvalidDuration(text: text))
    }
}

