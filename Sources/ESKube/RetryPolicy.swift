import ESHTTPClient

/// When and how long to wait before retrying a request: 429 and 5xx responses and transport
/// failures, exponential backoff with jitter, `Retry-After` honoured.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxRetries: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(10)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(maxRetries: 0)

    /// Whether a response status is worth retrying. Non-idempotent POSTs are retried only when the
    /// server said it did not process the request (429, or 503 with Retry-After).
    func shouldRetry(status: Int, method: String, hasRetryAfter: Bool) -> Bool {
        if status == 429 { return true }
        guard [500, 502, 503, 504].contains(status) else { return false }
        if method == "POST" { return status == 503 && hasRetryAfter }
        return true
    }

    /// Transport failures: connect errors are always safe to retry (nothing was sent); others only
    /// for idempotent methods.
    func shouldRetry(_ error: HTTPClientError, method: String) -> Bool {
        switch error.kind {
        case .connect: return true
        case .timeout, .transport: return method != "POST"
        default: return false
        }
    }

    /// The delay before retry number `attempt` (0-based): Retry-After when given (capped at
    /// `maxDelay`), else `baseDelay * 2^attempt` capped, with jitter in [50%, 100%].
    func delay(attempt: Int, retryAfterSeconds: Int?) -> Duration {
        if let retryAfterSeconds { return min(.seconds(max(0, retryAfterSeconds)), maxDelay) }
        let exponent = min(attempt, 20)
        let raw = baseDelay * (1 << exponent)
        let capped = min(raw, maxDelay)
        let jitter = Double.random(in: 0.5...1.0)
        return capped * jitter
    }
}
