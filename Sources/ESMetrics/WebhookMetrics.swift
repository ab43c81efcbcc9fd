import Prometheus
import Synchronization

/// controller-runtime's webhook metrics under their upstream names:
/// `controller_runtime_webhook_requests_total{code,webhook}`,
/// `controller_runtime_webhook_latency_seconds{webhook}` (histogram, Prometheus default buckets),
/// `controller_runtime_webhook_requests_in_flight{webhook}`.
public final class WebhookMetrics: Sendable {
    /// prometheus.DefBuckets, which controller-runtime uses for the latency histogram.
    public static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    private let registry: PrometheusCollectorRegistry
    private let perWebhook = Mutex<[String: Instruments]>([:])
    private let counters = Mutex<[CounterKey: Counter]>([:])

    private struct Instruments: Sendable {
        var latency: DurationHistogram
        var inFlight: Gauge
        /// `requests_total` by status code, filled as codes occur (a webhook answers with a handful).
        var byCode: [(code: Int, counter: Counter)] = []
    }

    private struct CounterKey: Hashable, Sendable {
        var webhook: String
        var code: Int
    }

    public init(registry: PrometheusCollectorRegistry = MetricsSetup.registry) {
        self.registry = registry
    }

    /// Marks a request to `webhook` (its path) as started.
    public func begin(webhook: String) {
        instruments(webhook).inFlight.increment()
    }

    /// Marks a request as finished with `code` after `duration`.
    public func end(webhook: String, code: Int, duration: Duration) {
        let instruments = instruments(webhook)
        instruments.inFlight.decrement()
        instruments.latency.record(duration)
        counter(webhook: webhook, code: code).increment()
    }

    /// Records a request that was answered without ever waiting (no in-flight interval anyone could
    /// observe): its latency and its count by code, with one lookup.
    public func completedImmediately(webhook: String, code: Int, duration: Duration) {
        let found = perWebhook.withLock { cache -> (DurationHistogram, Counter?)? in
            guard let instruments = cache[webhook] else { return nil }
            return (instruments.latency, instruments.byCode.first(where: { $0.code == code })?.counter)
        }
        guard let (latency, known) = found else {
            begin(webhook: webhook)
            end(webhook: webhook, code: code, duration: duration)
            return
        }
        latency.record(duration)
        if let known {
            known.increment()
            return
        }
        let counter = counter(webhook: webhook, code: code)
        perWebhook.withLock { cache in
            if cache[webhook]?.byCode.contains(where: { $0.code == code }) == false {
                cache[webhook]?.byCode.append((code, counter))
            }
        }
        counter.increment()
    }

    private func instruments(_ webhook: String) -> Instruments {
        if let existing = perWebhook.withLock({ $0[webhook] }) { return existing }
        let labels = [("webhook", webhook)]
        let created = Instruments(
            latency: registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(metricName: "controller_runtime_webhook_latency_seconds", unitName: "",
                                                 helpText: "Histogram of the latency of processing admission requests"),
                labels: labels, buckets: Self.latencyBuckets),
            inFlight: registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: "controller_runtime_webhook_requests_in_flight", unitName: "",
                                                 helpText: "Current number of admission requests being served."),
                labels: labels))
        return perWebhook.withLock { cache in
            if let raced = cache[webhook] { return raced }
            cache[webhook] = created
            return created
        }
    }

    private func counter(webhook: String, code: Int) -> Counter {
        let key = CounterKey(webhook: webhook, code: code)
        if let existing = counters.withLock({ $0[key] }) { return existing }
        let created = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "controller_runtime_webhook_requests_total", unitName: "",
                                             helpText: "Total number of admission requests by HTTP status code."),
            labels: [("code", String(code)), ("webhook", webhook)])
        return counters.withLock { cache in
            if let raced = cache[key] { return raced }
            cache[key] = created
            return created
        }
    }
}
