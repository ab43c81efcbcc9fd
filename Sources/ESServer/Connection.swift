import ESHTTP
import ESTLS
import Logging
import Synchronization
import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// One client connection, owned by one event loop thread.
///
/// Requests are parsed as bytes arrive and handled one at a time in arrival order (pipelined requests
/// wait in the parser's buffer, whose growth is capped while a request is in flight). The handler runs
/// as a task; its response comes back through the loop's mailbox.
final class Connection {
    let id: ConnectionID
    private var transport: Transport
    private let remoteAddress: String
    private unowned let loop: EventLoop
    private let shared: ServerShared

    private var parser: HTTPRequestParser
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var readable = true
    private var writable = true
    private var peerClosed = false
    private var closed = false
    private var closeAfterWrite = false
    /// Immediate answers wait here until the loop has read every ready connection (see `flushHeldOutput`).
    private var holdingOutput = false
    /// The poller reported a hang-up or error: reads go on until end of stream or EAGAIN.
    private var peerMayHaveClosed = false
    /// Where the TLS handshake stands with the loop's `HandshakeGate`.
    private var handshakeTurn: HandshakeTurn

    private enum HandshakeTurn {
        /// Not asked yet (a new TLS connection).
        case notAsked
        /// Queued: nothing is read until the loop starts it.
        case waiting
        /// Handshaking with a slot.
        case running
        /// No gate applies (plain connection, or the handshake is over).
        case done
    }

    // The request being handled.
    private var inFlight = false
    private var currentIsHead = false
    private var currentVersion: HTTPVersion = .http11
    private var currentKeepAlive = true
    private var streaming = false
    private var streamFraming: HTTPResponseFraming = .chunked
    private var handlerTask: Task<Void, Never>?

    // Timers (monotonic nanoseconds).
    private let acceptedAt: UInt64
    private var lastActivity: UInt64
    private var partialRequestSince: UInt64?
    /// Since when unsent output has waited without progress (the stalled-write timer).
    private var lastWriteProgress: UInt64
    private var outputPending = false

    /// Bytes buffered beyond the request in flight before reading pauses (pipelining backpressure).
    private static let pipelineBufferCap = 64 * 1024
    /// Unsent response bytes beyond which no further request is read or started (pipelining backpressure).
    private static let pipelineOutputCap = 256 * 1024
    /// A streamed response whose unsent output exceeds this is cut (slow consumer).
    private static let streamOutputCap = 8 * 1024 * 1024

    init(id: ConnectionID, transport: Transport, remoteAddress: String, loop: EventLoop, shared: ServerShared, now: UInt64) {
        self.id = id
        self.transport = transport
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.shared = shared
        self.parser = HTTPRequestParser(limits: shared.parserLimits)
        if case .awaitingTLS = transport { handshakeTurn = .notAsked } else { handshakeTurn = .done }
        self.acceptedAt = now
        self.lastActivity = now
        self.lastWriteProgress = now
    }

    // MARK: Events

    func handle(events: UInt32) {
        // A hang-up already reported: read on to the end of stream rather than trusting a short read.
        if events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { peerMayHaveClosed = true }
        if events & EPOLLOUT.rawValue != 0 { writable = true }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readable = true }
        switch handshakeTurn {
        case .done:
            drive()
        case .running:
            drive()
            noteHandshakeProgress()
        case .waiting:
            return  // the loop starts it when a slot frees up
        case .notAsked:
            guard readable else { return }  // nothing sent yet: no slot needed
            guard loop.admitHandshake(self) else {
                handshakeTurn = .waiting
                return
            }
            handshakeTurn = .running
            guard beginTLS() else { return }
            drive()
            noteHandshakeProgress()
        }
    }

    /// Called by the loop when this connection's turn to handshake has come.
    func startHandshake() {
        guard !closed, handshakeTurn == .waiting else { return }
        handshakeTurn = .running
        guard beginTLS() else { return }
        drive()
        noteHandshakeProgress()
    }

    /// Creates the TLS session, with the certificate being served now; closes the connection if it cannot.
    private func beginTLS() -> Bool {
        guard case .awaitingTLS(let fd) = transport else { return true }
        guard let context = shared.tls?.current, let session = TLSSession(context: context, fileDescriptor: fd) else {
            close()
            return false
        }
        transport = .tls(session)
        return true
    }

    var isClosed: Bool { closed }

    /// Gives the handshake slot back once the handshake is over (or the connection closed).
    private func noteHandshakeProgress() {
        guard handshakeTurn == .running, closed || transport.isHandshakeComplete else { return }
        handshakeTurn = .done
        loop.handshakeEnded(self)
    }

    /// Writes what it can, reads what it may, and starts the next request when idle.
    private func drive() {
        // Again while pipelined answers filled the output past its cap and the flush then drained it
        // (no EPOLLOUT edge would follow to resume the requests still buffered).
        while driveOnce() {}
    }

    private func driveOnce() -> Bool {
        flush()
        while !closed && !closeAfterWrite {
            if !inFlight {
                parseNext()
                if closed || closeAfterWrite { break }
            }
            guard readable, !peerClosed else { break }
            if output.count &- outputOffset > Self.pipelineOutputCap { break }  // resumed by EPOLLOUT
            if inFlight && parser.bufferedByteCount >= Self.pipelineBufferCap { break }
            switch transport.read(into: loop.readBuffer) {
            case .transferred(let count):
                parser.append(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<count]))
                lastActivity = monotonicNanos()
                // Emptied: the next data brings a new edge-triggered event, so skip the read(2) that
                // would only return EAGAIN.
                if !peerMayHaveClosed && transport.drainedBy(readOf: count, into: loop.readBuffer) { readable = false }
            case .wantRead:
                readable = false
            case .wantWrite:
                readable = false
                writable = false
            case .closed:
                peerClosed = true
            case .failed:
                close()
                return false
            }
        }
        guard !closed else { return false }
        if peerClosed {
            if streaming { handlerTask?.cancel() }
            // Requests still buffered behind a full output are answered once it drains.
            if !inFlight && output.count &- outputOffset <= Self.pipelineOutputCap {
                if output.count == outputOffset { close() } else { closeAfterWrite = true }
                return false
            }
        }
        if !inFlight && !parser.isIdle {
            if partialRequestSince == nil { partialRequestSince = monotonicNanos() }
        } else {
            partialRequestSince = nil
        }
        let overCap = output.count &- outputOffset > Self.pipelineOutputCap
        flush()
        return overCap && !closed && !closeAfterWrite && !inFlight && output.count &- outputOffset <= Self.pipelineOutputCap
    }

    private func parseNext() {
        do {
            while true {
                switch try parser.next() {
                case .request(var request):
                    request.remoteAddress = remoteAddress
                    start(request)
                    // Answered immediately: go on with the next pipelined request, unless the client
                    // is not reading what it already has.
                    if inFlight || closeAfterWrite || output.count &- outputOffset > Self.pipelineOutputCap { return }
                case .continueExpected:
                    output.append(contentsOf: HTTPResponseSerializer.continueResponse)
                case .needMoreData:
                    return
                }
            }
        } catch {
            output.append(contentsOf: HTTPResponseSerializer.errorResponse(status: error.status, date: loop.date))
            closeAfterWrite = true
            shared.logger.debug("rejected request", metadata: [
                "remote": "\(remoteAddress)", "status": "\(error.status)", "reason": "\(error.message)",
            ])
        }
    }

    private func start(_ request: HTTPRequest) {
        inFlight = true
        partialRequestSince = nil
        currentIsHead = request.method == "HEAD"
        currentVersion = request.version
        currentKeepAlive = request.keepAlive && !loop.isDraining
        if let immediate = shared.immediateHandler, let response = immediate.respondImmediately(request) {
            completeImmediately(response)
            return
        }
        let handler = shared.handler
        let loop = self.loop
        let id = self.id
        handlerTask = Task(executorPreference: loop) {
            let response = await handler.handle(request)
            loop.post(.response(id, response))
        }
    }

    // MARK: Responses (loop thread)

    /// A response produced synchronously while `drive()` is parsing: queued for the flush at the end
    /// of `drive()`, whose loop then parses the next pipelined request (no recursion into `drive`).
    private func completeImmediately(_ response: HTTPResponse) {
        guard case .bytes(let bytes) = response.body else {
            loop.post(.response(id, response))  // not immediate after all: delivered from the loop's queue
            return
        }
        HTTPResponseSerializer.appendResponse(response, bytes: bytes, isHead: currentIsHead, keepAlive: currentKeepAlive,
                                              version: currentVersion, date: loop.date, into: &output)
        inFlight = false
        if !currentKeepAlive { closeAfterWrite = true }
        // Written after the loop has gone through all of this wake-up's ready connections, as the
        // task path does: the client then gets its answers in bursts, and on a machine it shares with
        // its clients that saves a wake-up and a context switch per request.
        if !holdingOutput {
            holdingOutput = true
            loop.flushLater(self)
        }
    }

    /// Called by the loop once per wake-up for connections holding immediate answers.
    func flushHeldOutput() {
        guard holdingOutput else { return }
        holdingOutput = false
        guard !closed else { return }
        drive()
    }

    func deliver(_ response: HTTPResponse) {
        guard inFlight, !closed else { return }
        if loop.isDraining { currentKeepAlive = false }
        let date = loop.date
        switch response.body {
        case .bytes(let bytes):
            HTTPResponseSerializer.appendResponse(response, bytes: bytes, isHead: currentIsHead, keepAlive: currentKeepAlive,
                                                  version: currentVersion, date: date, into: &output)
            finishResponse()
        case .stream(let stream):
            var framing = HTTPResponseSerializer.framing(for: response, version: currentVersion)
            if currentIsHead { framing = .none }
            HTTPResponseSerializer.appendHead(status: response.status, headers: response.headers, framing: framing,
                                              keepAlive: currentKeepAlive, version: currentVersion, date: date, into: &output)
            if framing == .none {
                finishResponse()
                return
            }
            if framing == .untilClose { currentKeepAlive = false }
            streaming = true
            streamFraming = framing
            let loop = self.loop
            let id = self.id
            handlerTask = Task(executorPreference: loop) {
                for await chunk in stream {
                    loop.post(.streamChunk(id, chunk))
                }
                loop.post(.streamEnd(id))
            }
            flush()
        }
    }

    func deliverStreamChunk(_ chunk: [UInt8]) {
        guard streaming, !closed else { return }
        if streamFraming == .chunked {
            HTTPResponseSerializer.appendChunk(chunk, into: &output)
        } else {
            output.append(contentsOf: chunk)
        }
        if output.count - outputOffset > Self.streamOutputCap {
            shared.logger.warning("closing slow streaming client", metadata: ["remote": "\(remoteAddress)"])
            close()
            return
        }
        flush()
    }

    func deliverStreamEnd() {
        guard streaming, !closed else { return }
        streaming = false
        if streamFraming == .chunked { HTTPResponseSerializer.appendLastChunk(into: &output) }
        finishResponse()
    }

    private func finishResponse() {
        inFlight = false
        handlerTask = nil
        if !currentKeepAlive { closeAfterWrite = true }
        drive()
    }

    // MARK: Output

    private func flush() {
        if holdingOutput { return }
        if !outputPending && outputOffset < output.count {
            outputPending = true
            lastWriteProgress = monotonicNanos()
        }
        while writable && outputOffset < output.count && !closed {
            let result = output.withUnsafeBytes { transport.write(UnsafeRawBufferPointer(rebasing: $0[outputOffset...])) }
            switch result {
            case .transferred(let count):
                outputOffset += count
                lastWriteProgress = monotonicNanos()
            case .wantWrite, .wantRead:
                writable = false
            case .closed, .failed:
                close()
                return
            }
        }
        guard !closed else { return }
        if outputOffset == output.count { outputPending = false }
        if outputOffset == output.count && outputOffset > 0 {
            if output.capacity > 64 * 1024 { output = [] } else { output.removeAll(keepingCapacity: true) }
            outputOffset = 0
        }
        if closeAfterWrite && output.isEmpty && !holdingOutput { close() }
    }

    // MARK: Lifecycle

    /// Graceful shutdown: idle connections close now; busy ones after their response; streams end.
    func beginDraining() {
        guard !closed else { return }
        if streaming {
            handlerTask?.cancel()
            currentKeepAlive = false
        } else if !inFlight {
            if parser.isIdle || !transport.isHandshakeComplete {
                if output.count == outputOffset { close() } else { closeAfterWrite = true }
            }
        } else {
            currentKeepAlive = false
        }
    }

    func checkTimeouts(now: UInt64) {
        guard !closed else { return }
        if !transport.isHandshakeComplete {
            if now &- acceptedAt > shared.readTimeoutNanos { close() }
            return
        }
        if output.count > outputOffset, now &- lastWriteProgress > max(shared.readTimeoutNanos, shared.idleTimeoutNanos) {
            close()   // the client stopped reading
            return
        }
        if inFlight { return }
        if let since = partialRequestSince, now &- since > shared.readTimeoutNanos {
            shared.logger.debug("request read timeout", metadata: ["remote": "\(remoteAddress)"])
            output.append(contentsOf: HTTPResponseSerializer.errorResponse(status: 408, date: loop.date))
            closeAfterWrite = true
            flush()
            if !closed && now &- since > 2 * shared.readTimeoutNanos { close() }
            return
        }
        if parser.isIdle && output.count == outputOffset {
            if loop.isDraining || now &- lastActivity > shared.idleTimeoutNanos { close() }
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        if handshakeTurn == .running {
            handshakeTurn = .done
            loop.handshakeEnded(self)
        }
        handlerTask?.cancel()
        handlerTask = nil
        transport.shutdown()
        loop.forget(self)
        Glibc.close(id.fd)
        shared.openConnections.wrappingSubtract(1, ordering: .relaxed)
    }
}
