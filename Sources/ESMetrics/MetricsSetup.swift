import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The process's Prometheus registry, with swift-metrics bootstrapped to write into it.
public enum MetricsSetup {
    /// Every metric of the process ends up here; `/metrics` renders it.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex<Bool>(false)

    /// Bootstraps swift-metrics with `PrometheusMetricsFactory` once per process.
    public static func bootstrapOnce() {
        let first = bootstrapped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The Prometheus text exposition of `registry`.
    public static func exposition(of registry: PrometheusCollectorRegistry = registry) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        registry.emit(into: &buffer)
        return buffer
    }

    /// Content type of the text exposition format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
