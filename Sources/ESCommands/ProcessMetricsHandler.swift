import ESHTTP
import ESMetrics
import ESReconciler

/// `/metrics`: the process registry plus the per-ExternalSecret families of `ObjectMetrics`.
struct ProcessMetricsHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.path == "/metrics" else { return .text(404, "404 page not found\n") }
        guard request.method == "GET" || request.method == "HEAD" else { return .text(405, "method not allowed\n") }
        // One buffer for both parts: at 10,000 ExternalSecrets the body is megabytes.
        var body = MetricsSetup.exposition()
        ObjectMetrics.shared.exposition(appendingTo: &body)
        return HTTPResponse(status: 200, headers: ["Content-Type": MetricsSetup.contentType], body: .bytes(body))
    }
}
