import ESHTTP
import ESMetrics
import Prometheus

/// Serves the Prometheus text exposition on `/metrics`.
public struct MetricsHandler: HTTPHandler {
    private let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = MetricsSetup.registry) {
        self.registry = registry
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.path == "/metrics" else { return .text(404, "404 page not found\n") }
        guard request.method == "GET" || request.method == "HEAD" else { return .text(405, "method not allowed\n") }
        return HTTPResponse(status: 200, headers: ["Content-Type": MetricsSetup.contentType],
                            body: .bytes(MetricsSetup.exposition(of: registry)))
    }
}
