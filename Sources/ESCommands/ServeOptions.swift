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
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { throw InvalidDuration(text: text) }
        if rest == "0" { return .zero }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { throw InvalidDuration(text: text) }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isNumber && $0 != "." }
            guard let unit = units.first(where: { $0.0 == unitText }) else { throw InvalidDuration(text: text) }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total.isFinite, total < 1e9 else { throw InvalidDuration(text: text) }
        return .nanoseconds(Int64((total * 1e9).rounded()))
    }
}
