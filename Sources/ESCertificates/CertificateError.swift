// The one error type of this module; messages never contain key material.
import COpenSSL

/// A failure to generate, parse, store or verify certificate material.
public struct CertificateError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// An error for a failed OpenSSL call, with OpenSSL's queued reasons appended (the queue is drained).
    static func openSSL(_ operation: String) -> CertificateError {
        let reasons = OpenSSLErrorQueue.drain()
        if reasons.isEmpty {
            return CertificateError("\(operation) failed")
        }
        return CertificateError("\(operation) failed: \(reasons.joined(separator: "; "))")
    }
}

/// OpenSSL's thread-local error queue.
enum OpenSSLErrorQueue {
    /// Removes and returns the queued error strings (oldest first).
    static func drain() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if reasons.count < 8 { reasons.append(text) }
        }
        return reasons
    }

    static func clear() {
        ERR_clear_error()
    }
}
