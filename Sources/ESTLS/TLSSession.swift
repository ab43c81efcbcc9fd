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
    /// Set by the socket BIO's callback: the last read(2) OpenSSL made returned less than it asked for
    /// (or nothing yet), i.e. the socket was empty then.
    private let lastSocketReadWasShort: UnsafeMutablePointer<Bool>

    public init?(context: TLSServerContext, fileDescriptor: Int32) {
        guard let ssl = SSL_new(context.pointer) else { ERR_clear_error(); return nil }
        guard SSL_set_fd(ssl, fileDescriptor) == 1 else { SSL_free(ssl); ERR_clear_error(); return nil }
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.context = context
        lastSocketReadWasShort = .allocate(capacity: 1)
        lastSocketReadWasShort.initialize(to: false)
        if let bio = SSL_get_rbio(ssl) {
            BIO_set_callback_arg(bio, UnsafeMutableRawPointer(lastSocketReadWasShort).assumingMemoryBound(to: CChar.self))
            BIO_set_callback_ex(bio, recordShortSocketReads)
        }
    }

    deinit {
        SSL_free(ssl)
        lastSocketReadWasShort.deallocate()
    }

    /// After a `read` that returned data: whether the socket is known to have been drained by it (no
    /// record left inside OpenSSL and OpenSSL's last socket read came back short). An edge-triggered
    /// poller may then wait for the next readiness event instead of reading once more to see EAGAIN;
    /// `false` means "unknown, read again".
    public private(set) var socketDrained = false

    public var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Reads decrypted bytes (running the handshake first if needed).
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .transferred(0) }
        lastSocketReadWasShort.pointee = false
        let count = SSL_read(ssl, base, Int32(clamping: buffer.count))
        if count > 0 {
            socketDrained = Int(count) < buffer.count && lastSocketReadWasShort.pointee && SSL_has_pending(ssl) == 0
            return .transferred(Int(count))
        }
        socketDrained = false
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

/// The socket BIO's callback: after each read(2) OpenSSL makes, notes whether it returned less than
/// asked (including EAGAIN). Leaves the result untouched.
private let recordShortSocketReads: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, Int, Int32, Int, Int32, UnsafeMutablePointer<Int>?) -> Int = {
    bio, operation, _, length, _, _, result, processed in
    if operation == Int32(BIO_CB_READ | BIO_CB_RETURN), let arg = BIO_get_callback_arg(bio) {
        let short = result <= 0 || (processed?.pointee ?? 0) < length
        UnsafeMutableRawPointer(arg).assumingMemoryBound(to: Bool.self).pointee = short
    }
    return Int(result)
}
