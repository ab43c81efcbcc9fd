import ESHTTP
import ESMetrics

/// Wraps a webhook handler with controller-runtime's webhook metrics, labelled by request path.
public struct InstrumentedHandler: ImmediateHTTPHandler {
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

    public func respondImmediately(_ request: HTTPRequest) -> HTTPResponse? {
        guard let immediate = inner as? any ImmediateHTTPHandler else { return nil }
        let webhook = request.path
        let started = ContinuousClock.now
        guard let response = immediate.respondImmediately(request) else { return nil }
        metrics.begin(webhook: webhook)
        metrics.end(webhook: webhook, code: response.status, duration: ContinuousClock.now - started)
        return response
    }
}
