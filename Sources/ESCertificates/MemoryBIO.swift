// In-memory OpenSSL BIOs for PEM encoding and decoding.
import COpenSSL

/// Runs `body` with a read-only memory BIO over `text`'s bytes; the BIO is freed afterwards.
func withReadBIO<T>(_ text: String, _ body: (OpaquePointer) throws(CertificateError) -> T) throws(CertificateError) -> T {
    let bytes = Array(text.utf8)
    guard bytes.count < Int(Int32.max) else { throw CertificateError("PEM input too large") }
    let result: Result<T, CertificateError> = bytes.withUnsafeBytes { raw in
        guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
            return .failure(.openSSL("BIO_new_mem_buf"))
        }
        defer { BIO_free(bio) }
        return Result { () throws(CertificateError) -> T in try body(bio) }
    }
    return try result.get()
}

/// Runs `write` against a fresh memory BIO and returns what it wrote as a string.
func writeToString(_ operation: String, _ write: (OpaquePointer) -> Int32) throws(CertificateError) -> String {
    guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
    defer { BIO_free(bio) }
    guard write(bio) == 1 else { throw .openSSL(operation) }
    var pointer: UnsafeMutablePointer<CChar>? = nil
    let length = es_BIO_get_mem_data(bio, &pointer)
    guard length > 0, let pointer else { return "" }
    let buffer = UnsafeRawBufferPointer(start: pointer, count: Int(length))
    return String(decoding: buffer, as: UTF8.self)
}
