import ESTLS
import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The byte pipe under one connection: the socket itself, or TLS over it.
enum Transport {
    case plain(Int32)
    case tls(TLSSession)
    /// A TLS connection whose handshake has not started (see `HandshakeGate`): no OpenSSL state yet.
    case awaitingTLS(Int32)

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        switch self {
        case .tls(let session):
            return session.read(into: buffer)
        case .awaitingTLS:
            return .wantRead
        case .plain(let fd):
            while true {
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count > 0 { return .transferred(count) }
                if count == 0 { return .closed }
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: return .wantRead
                case ECONNRESET: return .closed
                default: return .failed(String(cString: strerror(errno)))
                }
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> TLSIOResult {
        switch self {
        case .tls(let session):
            return session.write(bytes)
        case .awaitingTLS:
            return .wantWrite
        case .plain(let fd):
            while true {
                let count = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
                if count >= 0 { return .transferred(count) }
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: return .wantWrite
                case EPIPE, ECONNRESET: return .closed
                default: return .failed(String(cString: strerror(errno)))
                }
            }
        }
    }

    /// Whether the last read that returned data emptied the socket (see `TLSSession.socketDrained`);
    /// for a plain socket, a read shorter than the buffer.
    func drainedBy(readOf count: Int, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        switch self {
        case .tls(let session): return session.socketDrained
        case .awaitingTLS: return false
        case .plain: return count < buffer.count
        }
    }

    var isHandshakeComplete: Bool {
        switch self {
        case .plain: return true
        case .tls(let session): return session.isHandshakeComplete
        case .awaitingTLS: return false
        }
    }

    func shutdown() {
        if case .tls(let session) = self { session.shutdown() }
    }
}
