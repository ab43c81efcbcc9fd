import ESHTTP
import ESTLS
import Logging
import Synchronization
import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// What every event loop of one server shares (immutable, or atomic).
final class ServerShared: Sendable {
    let handler: any HTTPHandler
    /// `handler`, when it can answer synchronously (see `ImmediateHTTPHandler`).
    let immediateHandler: (any ImmediateHTTPHandler)?
    let limits: HTTPServerLimits
    let parserLimits: HTTPParserLimits
    let tls: TLSContextProvider?
    let logger: Logger
    let openConnections = Atomic<Int>(0)
    let readTimeoutNanos: UInt64
    let idleTimeoutNanos: UInt64

    init(handler: any HTTPHandler, limits: HTTPServerLimits, tls: TLSContextProvider?, logger: Logger) {
        self.handler = handler
        self.immediateHandler = handler as? any ImmediateHTTPHandler
        self.limits = limits
        self.parserLimits = HTTPParserLimits(maxHeaderBytes: limits.maxHeaderBytes, maxBodyBytes: limits.maxBodyBytes)
        self.tls = tls
        self.logger = logger
        self.readTimeoutNanos = max(1_000_000, limits.readTimeout.nanoseconds)
        self.idleTimeoutNanos = max(1_000_000, limits.idleTimeout.nanoseconds)
    }
}

/// Identifies a connection across threads: a file descriptor plus a serial, since descriptors are reused.
struct ConnectionID: Sendable, Hashable {
    var fd: Int32
    var serial: UInt64
}

/// Messages posted to an event loop from other threads.
enum LoopMessage: Sendable {
    /// A task job scheduled on the loop (the loop is the handlers' preferred task executor).
    case job(UnownedJob)
    /// A connection another loop accepted and hands over (this loop had the fewest connections).
    case adopt(fd: Int32, remoteAddress: String)
    case response(ConnectionID, HTTPResponse)
    case streamChunk(ConnectionID, [UInt8])
    case streamEnd(ConnectionID)
    case stopAccepting
    case closeAll
    case exit
}

/// Monotonic clock in nanoseconds.
@inline(__always)
func monotonicNanos() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}
