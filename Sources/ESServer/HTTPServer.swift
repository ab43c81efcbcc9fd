import ESHTTP
import ESTLS
import Logging
import Synchronization
import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server (HTTPS when configured) on non-blocking sockets with one epoll loop per thread.
///
/// `start()` binds and serves in background threads; `shutdown(gracePeriod:)` stops accepting, lets
/// in-flight requests finish within the grace period, then closes everything.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var listenFD: Int32 = -1
        var port = 0
        var loops: [EventLoop] = []
        var threads: [LoopThread] = []
        var shared: ServerShared?
        var tls: TLSContextProvider?
        var stopped = false
    }

    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    /// The bound port (after `start()`).
    public var port: Int { state.withLock { $0.port } }

    /// The certificate source when serving HTTPS (for readiness and diagnostics).
    public var tlsProvider: TLSContextProvider? { state.withLock { $0.tls } }

    /// Ready to serve: started, not shut down, and (for HTTPS) a valid certificate is loaded.
    public var isReady: Bool {
        let (started, stopped, tls) = state.withLock { ($0.listenFD >= 0, $0.stopped, $0.tls) }
        guard started, !stopped else { return false }
        return tls?.isReady ?? true
    }

    /// Connections currently open.
    /// Connections owned by each event loop (for tests of the balancing).
    var connectionsPerLoop: [Int] { state.withLock { $0.loops }.map { $0.load.load(ordering: .relaxed) } }

    public var openConnections: Int { state.withLock { $0.shared }?.openConnections.load(ordering: .relaxed) ?? 0 }

    public func start() throws {
        let fresh = state.withLock { $0.listenFD < 0 && !$0.stopped }
        guard fresh else { throw ServerError("server \(configuration.name) was already started") }
        signal(SIGPIPE, SIG_IGN)
        var provider: TLSContextProvider?
        if let tls = configuration.tls {
            let tlsProvider = TLSContextProvider(configuration: tls, logger: logger)
            try tlsProvider.reload()
            provider = tlsProvider
        }
        let listenFD = try Sockets.listen(host: configuration.host, port: configuration.port)
        let shared = ServerShared(handler: handler, limits: configuration.limits, tls: provider, logger: logger)
        var loops: [EventLoop] = []
        do {
            for index in 0..<configuration.eventLoopCount {
                loops.append(try EventLoop(index: index, shared: shared, listenFD: listenFD))
            }
        } catch {
            close(listenFD)
            throw error
        }
        for loop in loops { loop.siblings = loops }
        var threads: [LoopThread] = []
        for loop in loops {
            guard let thread = LoopThread.start({ loop.run() }) else {
                for started in loops.prefix(threads.count) { started.post(.exit) }
                for thread in threads { thread.join() }
                close(listenFD)
                throw ServerError("cannot start event loop thread")
            }
            threads.append(thread)
        }
        provider?.startWatching()
        let port = Sockets.localPort(listenFD)
        state.withLock { state in
            state.listenFD = listenFD
            state.port = port
            state.loops = loops
            state.threads = threads
            state.shared = shared
            state.tls = provider
        }
        logger.info("server listening", metadata: [
            "server": "\(configuration.name)", "host": "\(configuration.host.isEmpty ? "::" : configuration.host)",
            "port": "\(port)", "tls": "\(configuration.tls != nil)", "eventLoops": "\(loops.count)",
        ])
    }

    /// Stops accepting, waits up to `gracePeriod` for open requests to finish, then closes all
    /// connections and stops the event loops. Streaming responses are ended at once.
    public func shutdown(gracePeriod: Duration) async {
        let (loops, threads, shared, listenFD, tls) = state.withLock { state in
            let taken = (state.loops, state.threads, state.shared, state.listenFD, state.tls)
            state.stopped = true
            state.loops = []
            state.threads = []
            state.listenFD = -1
            return taken
        }
        guard listenFD >= 0, let shared else { return }
        tls?.stopWatching()
        for loop in loops { loop.post(.stopAccepting) }
        while !loops.allSatisfy({ $0.stoppedAccepting.load(ordering: .acquiring) }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        close(listenFD)
        let deadline = ContinuousClock.now + gracePeriod
        while shared.openConnections.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let remaining = shared.openConnections.load(ordering: .relaxed)
        if remaining > 0 {
            logger.warning("grace period over; closing connections",
                           metadata: ["server": "\(configuration.name)", "connections": "\(remaining)"])
        }
        for loop in loops { loop.post(.closeAll) }
        for loop in loops { loop.post(.exit) }
        while !loops.allSatisfy({ $0.exited.load(ordering: .acquiring) }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        for thread in threads { thread.join() }
        logger.info("server stopped", metadata: ["server": "\(configuration.name)"])
    }
}
