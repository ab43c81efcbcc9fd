import Foundation
import Metrics

/// client-go's REST client metrics, as controller-runtime exposes them.
enum ClientMetrics {
    /// `rest_client_requests_total{code, host, method}`; code is "<error>" for transport failures.
    static func request(code: String, host: String, method: String) {
        Counter(label: "rest_client_requests_total", dimensions: [("code", code), ("host", host), ("method", method)])
            .increment()
    }

    /// `rest_client_request_duration_seconds{verb, host}`.
    static func latency(_ duration: Duration, host: String, verb: String) {
        Timer(label: "rest_client_request_duration_seconds", dimensions: [("verb", verb), ("host", host)],
              preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    static func host(of server: String) -> String {
        var rest = Substring(server)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }
}
