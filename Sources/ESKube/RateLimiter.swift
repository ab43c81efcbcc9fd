/// Client-side token bucket (client-go's `flowcontrol.NewTokenBucketRateLimiter`): up to `burst`
/// requests at once, refilled at `qps` per second. Callers that find it empty reserve a future
/// token and sleep until it is due, so waiters are served in arrival order.
public actor TokenBucketRateLimiter {
    public nonisolated let qps: Double
    public nonisolated let burst: Int
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private let clock = ContinuousClock()

    public init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = max(1, burst)
        self.tokens = Double(max(1, burst))
        self.last = ContinuousClock.now
    }

    /// Waits until a request may be sent. `qps <= 0` means unlimited.
    public func acquire() async throws {
        guard qps > 0 else { return }
        let now = clock.now
        let elapsed = now - last
        let (seconds, attoseconds) = elapsed.components
        tokens = min(Double(burst), tokens + (Double(seconds) + Double(attoseconds) / 1e18) * qps)
        last = now
        tokens -= 1
        if tokens >= 0 { return }
        let wait = -tokens / qps
        try await Task.sleep(for: .nanoseconds(Int64(wait * 1e9)))
    }
}
