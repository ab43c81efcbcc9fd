// An owned OpenSSL private key (EVP_PKEY).
import COpenSSL

/// A private key. Immutable after creation, so it may be shared across threads.
final class PrivateKey: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Generates a fresh key.
    static func generate(_ algorithm: KeyAlgorithm) throws(CertificateError) -> PrivateKey {
        let type: Int32 = algorithm == .ecdsaP256 ? EVP_PKEY_EC : EVP_PKEY_RSA
        guard let context = EVP_PKEY_CTX_new_id(type, nil) else { throw .openSSL("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .openSSL("EVP_PKEY_keygen_init") }
        switch algorithm {
        case .ecdsaP256:
            guard es_EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) > 0 else {
                throw .openSSL("set EC curve P-256")
            }
        case .rsa2048:
            guard es_EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048) > 0 else {
                throw .openSSL("set RSA key size 2048")
            }
        }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen(context, &key) == 1, let key else { throw .openSSL("EVP_PKEY_keygen") }
        return PrivateKey(owning: key)
    }

    /// Parses the first private key in PEM text (PKCS#8, PKCS#1 RSA or SEC1 EC; unencrypted).
    static func parse(pem: String) throws(CertificateError) -> PrivateKey {
        let key: OpaquePointer? = try withReadBIO(pem) { bio throws(CertificateError) in
            PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else {
            OpenSSLErrorQueue.clear()
            throw CertificateError("no valid private key found in PEM data")
        }
        return PrivateKey(owning: key)
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    func pem() throws(CertificateError) -> String {
        try writeToString("PEM_write_bio_PrivateKey") { bio in
            PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil)
        }
    }
}
