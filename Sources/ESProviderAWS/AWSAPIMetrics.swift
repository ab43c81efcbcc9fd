import Metrics

/// Upstream's `externalsecret_provider_api_calls_count{provider,call,status}` counter.
public enum AWSAPIMetrics {
    public static let counterName = "externalsecret_provider_api_calls_count"

    public static func record(_ service: AWSService, _ call: String, _ success: Bool) {
        Counter(label: counterName, dimensions: [
            ("provider", service.metricsProviderLabel),
            ("call", call),
            ("status", success ? "success" : "error"),
        ]).increment()
    }
}
