import ESHTTP
import ESTLS
import Logging
import Synchronization
import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// One thread with its own epoll instance. It accepts from the shared listener (EPOLLEXCLUSIVE),
/// owns its connections outright (no locks on the hot path) and receives handler results through a
/// mailbox woken by an eventfd.
///
/// The loop is also the preferred task executor of the handler tasks it starts: a handler that does
/// not hop elsewhere runs on the loop thread right after the request is parsed, and its response is
/// written in the same iteration, with no thread switch, lock or wake-up on the way.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    let index: Int
    private let shared: ServerShared
    private let epollFD: Int32
    private let wakeFD: Int32
    private let listenFD: Int32
    private let mailbox = Mutex<Mailbox>(Mailbox())

    private struct Mailbox {
        var messages: [LoopMessage] = []
        /// Set when the loop thread has exited; jobs then run on the global executor instead.
        var closed = false
    }
    private let wakePending = Atomic<Bool>(false)
    /// Set when the thread has left its loop.
    let exited = Atomic<Bool>(false)
    let stoppedAccepting = Atomic<Bool>(false)

    /// Connections this loop owns or has been handed (read by the other loops to balance accepts).
    let load = Atomic<Int>(0)
    /// Every loop of the server, this one included; set before the threads start, then read-only.
    nonisolated(unsafe) var siblings: [EventLoop] = []

    /// The loop thread's id (`pthread_t`), set when `run()` starts; 0 before and after.
    private let loopThreadID = Atomic<UInt>(0)

    // Loop-thread state below.
    /// Messages posted from the loop thread itself: handled before the next epoll_wait.
    private var local: [LoopMessage] = []
    /// Connections with immediate answers to write once this wake-up's events are handled.
    private var heldOutput: [Connection] = []
    private var connections: [Int32: Connection] = [:]
    private var nextSerial: UInt64 = 0
    private var draining = false
    private var running = true
    let readBuffer: UnsafeMutableRawBufferPointer
    private var cachedDateSecond: Int = -1
    private var cachedDate: String = ""
    private var lastSweep: UInt64 = 0
    private let sweepInterval: UInt64
    /// TLS handshakes in progress on this loop, and the new connections waiting to start theirs.
    private var handshakeGate: HandshakeGate
    /// TLS handshakes one loop runs at once, and how long a slot is held at most.
    static let concurrentHandshakes = 4
    static let handshakeSlotLimitNanos: UInt64 = 20_000_000

    private static let wakeToken: UInt64 = UInt64.max
    private static let listenToken: UInt64 = UInt64.max - 1

    init(index: Int, shared: ServerShared, listenFD: Int32) throws(ServerError) {
        self.index = index
        self.shared = shared
        self.listenFD = listenFD
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw ServerError(Sockets.errnoMessage("epoll_create1")) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            close(epollFD)
            throw ServerError(Sockets.errnoMessage("eventfd"))
        }
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        let smallest = min(shared.readTimeoutNanos, shared.idleTimeoutNanos)
        sweepInterval = min(max(smallest / 4, 5_000_000), 500_000_000)
        handshakeGate = HandshakeGate(capacity: Self.concurrentHandshakes, slotLimitNanos: Self.handshakeSlotLimitNanos)
        guard register(wakeFD, events: EPOLLIN.rawValue, token: Self.wakeToken),
              register(listenFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, token: Self.listenToken) else {
            let message = Sockets.errnoMessage("epoll_ctl")
            close(wakeFD)
            close(epollFD)
            readBuffer.deallocate()
            throw ServerError(message)
        }
    }

    deinit {
        close(wakeFD)
        close(epollFD)
        readBuffer.deallocate()
    }

    private func register(_ fd: Int32, events: UInt32, token: UInt64) -> Bool {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        return epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0
    }

    // MARK: Cross-thread

    /// Queues a message. From the loop thread it goes to a local queue; from elsewhere into the
    /// mailbox, waking the loop (one eventfd write per batch).
    func post(_ message: LoopMessage) {
        if isLoopThread {
            local.append(message)
            return
        }
        let accepted = mailbox.withLock { box -> Bool in
            guard !box.closed else { return false }
            box.messages.append(message)
            return true
        }
        guard accepted else {
            switch message {
            case .job(let job): globalConcurrentExecutor.enqueue(ExecutorJob(job))
            case .adopt(let fd, _): dropAdopted(fd)  // this loop has ended: nobody will serve it
            default: break
            }
            return
        }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    /// True when called on this loop's thread.
    @inline(__always)
    var isLoopThread: Bool {
        loopThreadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    // MARK: TaskExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        post(.job(UnownedJob(job)))
    }

    // MARK: Loop thread

    func run() {
        loopThreadID.store(UInt(pthread_self()), ordering: .relaxed)
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        lastSweep = monotonicNanos()
        while running {
            var timeoutMillis = local.isEmpty && heldOutput.isEmpty ? max(1, Int32(clamping: sweepInterval / 1_000_000)) : 0
            // Waiting handshakes: wake up in time to expire a stalled slot.
            if handshakeGate.hasWaiting { timeoutMillis = min(timeoutMillis, Int32(Self.handshakeSlotLimitNanos / 1_000_000)) }
            let count = epoll_wait(epollFD, events, Int32(capacity), timeoutMillis)
            if count < 0 && errno != EINTR { break }
            if count > 0 {
                for i in 0..<Int(count) {
                    let event = events[i]
                    switch event.data.u64 {
                    case Self.wakeToken: drainMailbox()
                    case Self.listenToken: acceptConnections()
                    default:
                        if let connection = connections[Int32(truncatingIfNeeded: event.data.u64)] {
                            connection.handle(events: event.events)
                        }
                    }
                }
            }
            flushHeldOutput()
            runLocalMessages()
            startWaitingHandshakes()
            let now = monotonicNanos()
            if now &- lastSweep >= sweepInterval {
                lastSweep = now
                sweep(now: now)
            }
        }
        handshakeGate.removeAll()
        for connection in connections.values { connection.close() }
        heldOutput.removeAll()
        connections.removeAll()
        closeMailbox()
        exited.store(true, ordering: .releasing)
    }

    private func drainMailbox() {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
        wakePending.store(false, ordering: .releasing)
        let messages = mailbox.withLock { box -> [LoopMessage] in
            let taken = box.messages
            box.messages.removeAll(keepingCapacity: true)
            return taken
        }
        for message in messages { handle(message) }
    }

    /// After the loop ends: close the mailbox and hand pending task jobs to the global executor, so
    /// tasks that preferred this loop still run to completion.
    private func closeMailbox() {
        let leftovers = mailbox.withLock { box -> [LoopMessage] in
            box.closed = true
            let taken = box.messages
            box.messages = []
            return taken
        } + local
        local = []
        loopThreadID.store(0, ordering: .relaxed)
        for message in leftovers {
            switch message {
            case .job(let job): globalConcurrentExecutor.enqueue(ExecutorJob(job))
            case .adopt(let fd, _): dropAdopted(fd)
            default: break
            }
        }
    }

    /// Runs what the loop posted to itself (task jobs, responses), including what those post in turn,
    /// up to a bound so sockets are not starved.
    func flushLater(_ connection: Connection) {
        heldOutput.append(connection)
    }

    /// Writes the immediate answers of this wake-up (a connection may queue more while writing: those
    /// wait for the next pass).
    private func flushHeldOutput() {
        guard !heldOutput.isEmpty else { return }
        let batch = heldOutput
        heldOutput.removeAll(keepingCapacity: true)
        for connection in batch { connection.flushHeldOutput() }
    }

    private func runLocalMessages() {
        var rounds = 0
        while !local.isEmpty && rounds < 16 {
            let batch = local
            local.removeAll(keepingCapacity: true)
            for message in batch { handle(message) }
            rounds += 1
        }
    }

    private func handle(_ message: LoopMessage) {
        switch message {
        case .job(let job):
            job.runSynchronously(on: asUnownedTaskExecutor())
        case .adopt(let fd, let remoteAddress):
            adopt(fd: fd, remoteAddress: remoteAddress)
        case .response(let id, let response):
            connection(id)?.deliver(response)
        case .streamChunk(let id, let chunk):
            connection(id)?.deliverStreamChunk(chunk)
        case .streamEnd(let id):
            connection(id)?.deliverStreamEnd()
        case .stopAccepting:
            if !draining {
                draining = true
                var event = epoll_event()
                epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, &event)
                stoppedAccepting.store(true, ordering: .releasing)
                for connection in Array(connections.values) { connection.beginDraining() }
            }
        case .closeAll:
            for connection in Array(connections.values) { connection.close() }
        case .exit:
            running = false
        }
    }

    private func connection(_ id: ConnectionID) -> Connection? {
        guard let connection = connections[id.fd], connection.id.serial == id.serial else { return nil }
        return connection
    }

    private func acceptConnections() {
        guard !draining else { return }
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                es_accept4(listenFD, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    shared.logger.error("accept failed: out of file descriptors")
                }
                return
            }
            let open = shared.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            if open > shared.limits.maxConnections {
                shared.openConnections.wrappingSubtract(1, ordering: .relaxed)
                close(fd)
                continue
            }
            // Whoever wins the wake-up accepts; the connection goes to the loop with the fewest, so
            // a burst of connects does not pile onto one thread while the others idle.
            let remoteAddress = Sockets.describe(storage)
            let target = leastLoadedLoop()
            target.load.wrappingAdd(1, ordering: .relaxed)
            if target === self {
                adopt(fd: fd, remoteAddress: remoteAddress)
            } else {
                target.post(.adopt(fd: fd, remoteAddress: remoteAddress))
            }
        }
    }

    private func leastLoadedLoop() -> EventLoop {
        var best = self
        var bestLoad = load.load(ordering: .relaxed)
        for loop in siblings where loop !== self {
            let candidate = loop.load.load(ordering: .relaxed)
            if candidate < bestLoad, !loop.exited.load(ordering: .relaxed) {
                best = loop
                bestLoad = candidate
            }
        }
        return best
    }

    /// Takes ownership of an accepted socket (counted in `load` by the loop that accepted it).
    private func adopt(fd: Int32, remoteAddress: String) {
        guard !draining else {
            dropAdopted(fd)
            return
        }
        // A TLS connection gets its OpenSSL state (and the certificate current then) when its handshake
        // starts, which the handshake gate may put off.
        let transport: Transport = shared.tls == nil ? .plain(fd) : .awaitingTLS(fd)
        Sockets.setNoDelay(fd)
        nextSerial &+= 1
        let connection = Connection(id: ConnectionID(fd: fd, serial: nextSerial), transport: transport,
                                    remoteAddress: remoteAddress, loop: self, shared: shared, now: monotonicNanos())
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.u64 = UInt64(UInt32(bitPattern: fd))
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            dropAdopted(fd)
            return
        }
        connections[fd] = connection
    }

    private func dropAdopted(_ fd: Int32) {
        load.wrappingSubtract(1, ordering: .relaxed)
        shared.openConnections.wrappingSubtract(1, ordering: .relaxed)
        close(fd)
    }

    // MARK: Handshake gate (loop thread)

    /// Whether `connection` may run its TLS handshake now; if not, it is started later by the loop.
    func admitHandshake(_ connection: Connection) -> Bool {
        handshakeGate.admit(connection, now: monotonicNanos())
    }

    /// `connection`'s handshake finished or failed (waiting ones start at the end of this iteration).
    func handshakeEnded(_ connection: Connection) {
        handshakeGate.release(connection)
    }

    private func startWaitingHandshakes() {
        guard handshakeGate.hasWaiting, !draining else { return }
        let now = monotonicNanos()
        handshakeGate.expire(now: now)
        while let next = handshakeGate.nextToStart(now: now) { next.startHandshake() }
    }

    /// Called by a connection once its socket is closed.
    func forget(_ connection: Connection) {
        if connections[connection.id.fd] === connection {
            var event = epoll_event()
            epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.id.fd, &event)
            connections[connection.id.fd] = nil
            load.wrappingSubtract(1, ordering: .relaxed)
        }
    }

    var isDraining: Bool { draining }

    /// `Date` header value, recomputed once per second.
    var date: String {
        let now = Int(time(nil))
        if now != cachedDateSecond {
            cachedDateSecond = now
            cachedDate = HTTPDate.format(secondsSince1970: Int64(now))
        }
        return cachedDate
    }

    private func sweep(now: UInt64) {
        for connection in Array(connections.values) { connection.checkTimeouts(now: now) }
    }
}
