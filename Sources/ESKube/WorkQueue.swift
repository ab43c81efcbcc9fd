/// client-go's rate-limited work queue: a key is queued at most once, never handed to two workers
/// at the same time (re-added while processing, it is queued again once `done`), failed keys come
/// back after a per-key exponential backoff, and keys can be added after a delay.
public actor WorkQueue<Key: Hashable & Sendable> {
    public nonisolated let baseDelay: Duration
    public nonisolated let maxDelay: Duration
    private var queue: [Key] = []
    private var head = 0
    private var dirty = Set<Key>()
    private var processing = Set<Key>()
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var failures: [Key: Int] = [:]
    private var delayed: [Key: ContinuousClock.Instant] = [:]
    private var timers: [Key: Task<Void, Never>] = [:]
    private var shuttingDown = false

    public init(baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(1000)) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Keys waiting to be handed out (not counting delayed or in-process ones).
    public var count: Int { queue.count - head }
    public var isShuttingDown: Bool { shuttingDown }

    public func add(_ key: Key) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        dirty.insert(key)
        if processing.contains(key) { return }
        if !waiters.isEmpty {
            dirty.remove(key)
            processing.insert(key)
            waiters.removeFirst().resume(returning: key)
            return
        }
        queue.append(key)
    }

    /// Adds `key` once `delay` has passed; an earlier pending delayed add for the key wins.
    public func addAfter(_ key: Key, _ delay: Duration) {
        guard !shuttingDown else { return }
        if delay <= .zero { add(key); return }
        let readyAt = ContinuousClock.now + delay
        if let pending = delayed[key], pending <= readyAt { return }
        delayed[key] = readyAt
        timers[key]?.cancel()
        timers[key] = Task { [weak self] in
            try? await Task.sleep(until: readyAt, clock: .continuous)
            guard !Task.isCancelled else { return }
            await self?.fireDelayed(key, readyAt)
        }
    }

    private func fireDelayed(_ key: Key, _ readyAt: ContinuousClock.Instant) {
        guard delayed[key] == readyAt else { return }
        delayed[key] = nil
        timers[key] = nil
        add(key)
    }

    /// Re-adds a failed key after `baseDelay * 2^(failures)` (capped at `maxDelay`).
    public func addRateLimited(_ key: Key) {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        addAfter(key, backoff(failures: count))
    }

    public func backoff(failures count: Int) -> Duration {
        let exponent = min(count, 40)
        let (seconds, attoseconds) = baseDelay.components
        let base = Double(seconds) + Double(attoseconds) / 1e18
        let (maxSeconds, maxAtto) = maxDelay.components
        let limit = Double(maxSeconds) + Double(maxAtto) / 1e18
        return .nanoseconds(Int64(min(base * pow2(exponent), limit) * 1e9))
    }

    private func pow2(_ n: Int) -> Double {
        var value = 1.0
        for _ in 0..<n { value *= 2 }
        return value
    }

    /// Clears the failure count (call after a successful reconcile).
    public func forget(_ key: Key) { failures[key] = nil }
    public func requeues(_ key: Key) -> Int { failures[key, default: 0] }

    /// The next key to process; waits while empty; nil once shut down.
    public func get() async -> Key? {
        if head < queue.count {
            let key = queue[head]
            head += 1
            if head > 1024, head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            dirty.remove(key)
            processing.insert(key)
            return key
        }
        if shuttingDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks a key finished; if it was re-added meanwhile it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.contains(key) {
            if !waiters.isEmpty {
                dirty.remove(key)
                processing.insert(key)
                waiters.removeFirst().resume(returning: key)
            } else {
                queue.append(key)
            }
        }
    }

    /// Stops handing out keys: waiting `get()` calls return nil, delayed adds are dropped.
    public func shutDown() {
        shuttingDown = true
        for timer in timers.values { timer.cancel() }
        timers.removeAll()
        delayed.removeAll()
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.resume(returning: nil) }
    }
}
