import ESTLS
import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Limits that keep one client from holding unbounded memory or a connection forever.
public struct HTTPServerLimits: Sendable {
    /// Request line plus header fields; over it: 431 and close.
    public var maxHeaderBytes: Int
    /// Decoded request body; over it: 413 and close.
    public var maxBodyBytes: Int
    /// A keep-alive connection with no request in progress is closed after this long.
    public var idleTimeout: Duration
    /// A request (or TLS handshake) must arrive completely within this long of its first byte;
    /// otherwise 408 and close (slow-loris protection). Also bounds a stalled write.
    public var readTimeout: Duration
    /// Connections beyond this are closed right after accept.
    public var maxConnections: Int

    public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 8 * 1024 * 1024,
                idleTimeout: Duration = .seconds(120), readTimeout: Duration = .seconds(30),
                maxConnections: Int = 4096) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.maxConnections = maxConnections
    }
}

/// Where and how an `HTTPServer` listens.
public struct HTTPServerConfiguration: Sendable {
    /// Host or address to bind; empty binds `::` dual-stack (IPv6 and IPv4).
    public var host: String
    /// 0 picks a free port; read `HTTPServer.port` after `start()`.
    public var port: Int
    /// HTTPS when set, plain HTTP otherwise.
    public var tls: TLSConfiguration?
    public var limits: HTTPServerLimits
    /// Event-loop threads, each with its own epoll instance; defaults to the number of cores.
    public var eventLoopCount: Int
    /// Used in log lines, e.g. "webhook", "health".
    public var name: String

    public init(host: String = "", port: Int = 0, tls: TLSConfiguration? = nil, limits: HTTPServerLimits = HTTPServerLimits(),
                eventLoopCount: Int? = nil, name: String = "http") {
        self.host = host
        self.port = port
        self.tls = tls
        self.limits = limits
        self.eventLoopCount = max(1, eventLoopCount ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        self.name = name
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
