import COpenSSL

/// Outcome of one non-blocking TLS read or write.
public enum TLSIOResult: Sendable, Equatable {
    case transferred(Int)
    case wantRead
    case wantWrite
    /// The peer closed the TLS session cleanly (close_notify) or the socket reached EOF.
    case closed
    case failed(String)
}

/// The server side of one TLS connection over a non-blocking socket. Use from one thread at a time.
public final class TLSSession {
    private let ssl: OpaquePointer
    /// The context this connection was accepted with (kept alive for the connection's lifetime).
    public let context: TLSServerContext

    public init?(context: TLSServerContext, fileDescriptor: Int32) {
        guard let ssl = SSL_new(context.pointer) else { ERR_clear_error(); return nil }
        guard SSL_set_fd(ssl, fileDescriptor) == 1 else { SSL_free(ssl); ERR_clear_error(); return nil }
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.context = context
    }

    deinit { SSL_free(ssl) }

    public var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Reads decrypted bytes (running the handshake first if needed).
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .transferred(0) }
        let count = SSL_read(ssl, base, Int32(clamping: buffer.count))
        if count > 0 { return .transferred(Int(count)) }
        return classify(count)
    }

    /// Encrypts and sends bytes; partial writes are possible.
    public func write(_ bytes: UnsafeRawBufferPointer) -> TLSIOResult {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .transferred(0) }
        let count = SSL_write(ssl, base, Int32(clamping: bytes.count))
        if count > 0 { return .transferred(Int(count)) }
        return classify(count)
    }

    /// Sends close_notify (best effort, non-blocking).
    public func shutdown() {
        if isHandshakeComplete { _ = SSL_shutdown(ssl) }
        ERR_clear_error()
    }

    /// Negotiated protocol, e.g. "TLSv1.3".
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    private func classify(_ returnCode: Int32) -> TLSIOResult {
        switch SSL_get_error(ssl, returnCode) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let message = OpenSSLErrors.drain()
            return message.isEmpty ? .closed : .failed(message)
        default:
            let message = OpenSSLErrors.drain()
            return .failed(message.isEmpty ? "TLS error" : message)
        }
    }
}
