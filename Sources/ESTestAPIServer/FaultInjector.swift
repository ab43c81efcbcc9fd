import Synchronization

/// Test hooks that make the server misbehave on purpose: fail the next N requests, slow every
/// request down. (Dropping watches and compacting history live on `ObjectStore`.)
public final class FaultInjector: Sendable {
    struct Failure {
        var remaining: Int
        var status: Int
        var method: String?
        var targetContains: String?
        var retryAfterSeconds: Int?
    }

    struct State {
        var failures: [Failure] = []
        var delay: Duration = .zero
    }

    private let state = Mutex(State())

    /// The next `count` requests (optionally only those with `method` and a request target — path
    /// and query — containing `targetContains`, e.g. "watch=true") get `status` with a Status body;
    /// `retryAfterSeconds` adds `Retry-After`.
    public func failNext(_ count: Int, status: Int = 500, method: String? = nil, targetContains: String? = nil,
                         retryAfterSeconds: Int? = nil) {
        state.withLock {
            $0.failures.append(Failure(remaining: count, status: status, method: method, targetContains: targetContains,
                                       retryAfterSeconds: retryAfterSeconds))
        }
    }

    /// Every request waits this long before it is handled.
    public func setDelay(_ delay: Duration) { state.withLock { $0.delay = delay } }

    public func reset() { state.withLock { $0 = State() } }

    var delay: Duration { state.withLock { $0.delay } }

    /// Consumes one injected failure matching this request, if any.
    func takeFailure(method: String, target: String) -> (status: Int, retryAfter: Int?)? {
        state.withLock { s in
            for i in s.failures.indices where s.failures[i].remaining > 0 {
                let f = s.failures[i]
                if let m = f.method, m != method { continue }
                if let p = f.targetContains, !target.contains(p) { continue }
                s.failures[i].remaining -= 1
                if s.failures[i].remaining == 0 { s.failures.remove(at: i) }
                return (f.status, f.retryAfterSeconds)
            }
            return nil
        }
    }
}
