/// Retries for throttling, 5xx and transport failures: exponential backoff with full jitter, or the fixed
/// delay of a store's `retrySettings.retryInterval`.
public struct AWSRetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// When set, every retry waits exactly this long (upstream `retrySettings.retryInterval`).
    public var fixedDelay: Duration?

    public init(maxRetries: Int = 3, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5),
                fixedDelay: Duration? = nil) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.fixedDelay = fixedDelay
    }

    public static let standard = AWSRetryPolicy()

    /// The wait before retry number `retry` (1-based): uniform in [0, min(maxDelay, base * 2^(retry-1))].
    public func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        if let fixedDelay { return fixedDelay }
        let exponent = min(max(retry - 1, 0), 20)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * random
    }

    static func isRetryable(_ kind: AWSError.Kind) -> Bool {
        kind == .throttled || kind == .transient
    }
}
