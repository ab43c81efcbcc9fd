import ESHTTP
import ESMetrics

/// Wraps a webhook handler with controller-runtime's webhook metrics, labelled by request path.
public struct InstrumentedHandler: HTTPHandler {
    private let inner: any HTTPHandler
    private let metrics: WebhookMetrics

    public init(_ inner: any HTTPHandler, metrics: WebhookMetrics) {
        self.inner = inner
        self.metrics = metrics
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let webhook = request.path
        let started = ContinuousClock.now
        metrics.begin(webhook: webhook)
        let response = await inner.handle(request)
        metrics.end(webhook: webhook, code: response.status, duration: ContinuousClock.now - started)
        return response
    }
}
