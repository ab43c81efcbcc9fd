import ESHTTP
import ESMetrics

/// Wraps a webhook handler with controller-runtime's webhook metrics, labelled by request path.
public struct InstrumentedHandler: ImmediateHTTPHandler {
    private let inner: any HTTPHandler
    /// `inner` when it can answer on the spot (looked up once, not per request).
    private let immediate: (any ImmediateHTTPHandler)?
    private let metrics: WebhookMetrics

    public init(_ inner: any HTTPHandler, metrics: WebhookMetrics) {
        self.inner = inner
        self.immediate = inner as? any ImmediateHTTPHandler
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
        guard let immediate else { return nil }
        let started = ContinuousClock.now
        guard let response = immediate.respondImmediately(request) else { return nil }
        metrics.completedImmediately(webhook: request.path, code: response.status, duration: ContinuousClock.now - started)
        return response
    }
}
