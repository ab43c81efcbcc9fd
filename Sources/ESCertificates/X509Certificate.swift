// An owned OpenSSL certificate (X509).
import COpenSSL

/// A parsed certificate. Never mutated after construction, so it may be shared across threads.
final class X509Certificate: @unchecked Sendable {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Every `CERTIFICATE` block in `pem`, in order. Throws when there is none or one is malformed.
    static func parseAll(pem: String) throws(CertificateError) -> [X509Certificate] {
        let blockCount = pem.ranges(of: "-----BEGIN CERTIFICATE-----").count
        var certificates: [X509Certificate] = []
        try withReadBIO(pem) { bio throws(CertificateError) in
            while certificates.count < blockCount, let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
                certificates.append(X509Certificate(owning: x509))
            }
        }
        OpenSSLErrorQueue.clear()
        guard blockCount > 0 else { throw CertificateError("no certificate found in PEM data") }
        guard certificates.count == blockCount else {
            throw CertificateError("malformed certificate in PEM data (block \(certificates.count + 1) of \(blockCount))")
        }
        return certificates
    }

    /// The first certificate in `pem`.
    static func parseFirst(pem: String) throws(CertificateError) -> X509Certificate {
        try parseAll(pem: pem)[0]
    }

    /// `-----BEGIN CERTIFICATE-----` PEM text.
    func pem() throws(CertificateError) -> String {
        try writeToString("PEM_write_bio_X509") { bio in PEM_write_bio_X509(bio, pointer) }
    }

    /// Whether `key` is the private half of this certificate's public key.
    func matches(_ key: PrivateKey) -> Bool {
        let ok = X509_check_private_key(pointer, key.pointer) == 1
        OpenSSLErrorQueue.clear()
        return ok
    }
}
