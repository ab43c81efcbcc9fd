#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A work queue with client-go semantics: a key is queued at most once, a key being processed is
/// not handed to a second worker (an add while processing re-queues it when `done` is called),
/// delayed adds (one timer for all of them), and per-key exponential backoff for failures
/// (1 s doubling up to 7 min, as ESO's rate limiter).
public actor ReconcileQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var head = 0
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var delayed = DeadlineHeap<Key>()
    private var timer: Task<Void, Never>?
    private var timerDeadline: Double = .infinity
    private var shuttingDown = false
    private let onDepthChange: @Sendable (Int) -> Void

    public let baseBackoff: Double
    public let maxBackoff: Double

    public init(baseBackoff: Double = 1, maxBackoff: Double = 420, onDepthChange: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.onDepthChange = onDepthChange
    }

    public var depth: Int { queue.count - head }

    public func add(_ key: Key) {
        guard !shuttingDown else { return }
        if processing.contains(key) { dirty.insert(key); return }
        guard queued.insert(key).inserted else { return }
        if let waiter = waiters.first {
            waiters.removeFirst()
            queued.remove(key)
            processing.insert(key)
            waiter.resume(returning: key)
            return
        }
        queue.append(key)
        onDepthChange(depth)
    }

    /// Adds `key` after `seconds` (immediately when ≤ 0). An earlier pending deadline for the same key wins.
    public func add(_ key: Key, after seconds: Double) {
        guard seconds > 0 else { add(key); return }
        let deadline = Self.monotonicNow() + seconds
        delayed.insert(key, deadline: deadline)
        scheduleTimer()
    }

    /// Adds after the key's next backoff interval.
    public func addRateLimited(_ key: Key) {
        let n = failures[key, default: 0]
        failures[key] = n + 1
        add(key, after: backoff(forFailures: n))
    }

    public func backoff(forFailures n: Int) -> Double {
        min(maxBackoff, baseBackoff * pow(2, Double(min(n, 30))))
    }

    public func forget(_ key: Key) { failures.removeValue(forKey: key) }
    public func failureCount(_ key: Key) -> Int { failures[key, default: 0] }

    /// The next key to process; nil once the queue is shut down.
    public func next() async -> Key? {
        if let key = popFront() { return key }
        if shuttingDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    public func shutDown() {
        shuttingDown = true
        timer?.cancel()
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    private func popFront() -> Key? {
        guard head < queue.count else { return nil }
        let key = queue[head]
        head += 1
        if head == queue.count {
            // Drained: let go of the storage a burst grew (ten thousand adds leave ~1 MiB behind).
            if queue.capacity > 1024 { queue = [] } else { queue.removeAll(keepingCapacity: true) }
            head = 0
        } else if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        queued.remove(key)
        if queued.isEmpty, queued.capacity > 1024 { queued = [] }
        processing.insert(key)
        onDepthChange(depth)
        return key
    }

    private func scheduleTimer() {
        guard let earliest = delayed.peekDeadline(), earliest < timerDeadline else { return }
        timer?.cancel()
        timerDeadline = earliest
        let wait = max(0, earliest - Self.monotonicNow())
        timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            guard !Task.isCancelled else { return }
            await self?.fireTimer()
        }
    }

    private func fireTimer() {
        timerDeadline = .infinity
        timer = nil
        let now = Self.monotonicNow()
        while let deadline = delayed.peekDeadline(), deadline <= now, let key = delayed.popMin() {
            add(key)
        }
        scheduleTimer()
    }

    /// Seconds on a monotonic clock (no libc types: they would need the C shims' module imports).
    static func monotonicNow() -> Double {
        let elapsed = ContinuousClock.now - monotonicEpoch
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

private let monotonicEpoch = ContinuousClock.now

/// A binary min-heap of keys by deadline; a key appears at most once (earliest deadline kept).
struct DeadlineHeap<Key: Hashable> {
    private var items: [(deadline: Double, key: Key)] = []
    private var positions: [Key: Int] = [:]

    var count: Int { items.count }

    func peekDeadline() -> Double? { items.first?.deadline }

    mutating func insert(_ key: Key, deadline: Double) {
        if let i = positions[key] {
            guard deadline < items[i].deadline else { return }
            items[i].deadline = deadline
            siftUp(i)
            return
        }
        items.append((deadline, key))
        positions[key] = items.count - 1
        siftUp(items.count - 1)
    }

    mutating func popMin() -> Key? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        positions.removeValue(forKey: first.key)
        if !items.isEmpty {
            items[0] = last
            positions[last.key] = 0
            siftDown(0)
        }
        return first.key
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        items.swapAt(a, b)
        positions[items[a].key] = a
        positions[items[b].key] = b
    }

    private mutating func siftUp(_ index: Int) {
        var i = index
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].deadline < items[parent].deadline else { return }
            swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var i = index
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count, items[l].deadline < items[smallest].deadline { smallest = l }
            if r < items.count, items[r].deadline < items[smallest].deadline { smallest = r }
            guard smallest != i else { return }
            swapAt(i, smallest)
            i = smallest
        }
    }
}
