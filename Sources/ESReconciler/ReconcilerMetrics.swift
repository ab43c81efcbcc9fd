import Metrics

/// Upstream's metric names and labels (§5), recorded through swift-metrics so whatever backend the
/// process bootstrapped (Prometheus in `serve`/`controller`) exports them.
///
/// The per-ExternalSecret families live in `ObjectMetrics` (see there); `/metrics` must append
/// `ObjectMetrics.shared.exposition()` to the registry output.
public struct ReconcilerMetrics: Sendable {
    let objects: ObjectMetrics

    public init(objects: ObjectMetrics = .shared) { self.objects = objects }

    public func syncCall(name: String, namespace: String) {
        objects.syncCall(.init(name: name, namespace: namespace))
    }

    public func syncError(name: String, namespace: String) {
        objects.syncError(.init(name: name, namespace: namespace))
    }

    /// Gauge in nanoseconds, as upstream.
    public func reconcileDuration(name: String, namespace: String, seconds: Double) {
        objects.duration(.init(name: name, namespace: namespace), nanoseconds: seconds * 1e9)
    }

    /// Ready=<status> gets 1, the opposite status 0.
    public func statusCondition(name: String, namespace: String, ready: Bool) {
        objects.ready(.init(name: name, namespace: namespace), ready)
    }

    public func clearStatusCondition(name: String, namespace: String) {
        objects.clearCondition(.init(name: name, namespace: namespace))
    }

    public func storeStatusCondition(kind: String, name: String, namespace: String, ready: Bool) {
        let label = kind == "ClusterSecretStore" ? "clustersecretstore_status_condition" : "secretstore_status_condition"
        for status in [true, false] {
            Gauge(label: label, dimensions: [("name", name), ("namespace", namespace), ("condition", "Ready"),
                                             ("status", status ? "True" : "False")])
                .record(status == ready ? 1 : 0)
        }
    }

    public func storeReconcileDuration(kind: String, name: String, namespace: String, seconds: Double) {
        let label = kind == "ClusterSecretStore" ? "clustersecretstore_reconcile_duration" : "secretstore_reconcile_duration"
        Gauge(label: label, dimensions: [("name", name), ("namespace", namespace)]).record(seconds * 1e9)
    }

    /// `result`: success, error, requeue, requeue_after (controller-runtime's values).
    public func reconcileResult(controller: String, result: String, seconds: Double) {
        Counter(label: "controller_runtime_reconcile_total", dimensions: [("controller", controller), ("result", result)])
            .increment()
        if result == "error" {
            Counter(label: "controller_runtime_reconcile_errors_total", dimensions: [("controller", controller)]).increment()
        }
        Timer(label: "controller_runtime_reconcile_time_seconds", dimensions: [("controller", controller)],
              preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    public func queueDepth(controller: String, depth: Int) {
        Gauge(label: "workqueue_depth", dimensions: [("controller", controller), ("name", controller)]).record(depth)
    }

    public func providerCall(provider: String, call: String, success: Bool) {
        Counter(label: "externalsecret_provider_api_calls_count",
                dimensions: [("provider", provider), ("call", call), ("status", success ? "success" : "error")])
            .increment()
    }
}
