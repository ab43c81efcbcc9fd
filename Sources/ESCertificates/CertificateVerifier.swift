// Chain and key-pair checks with X509_verify_cert.
import COpenSSL

/// Checks that a serving certificate chains to a CA bundle and matches its key.
public enum CertificateVerifier {
    /// Verifies `leafPEM` (first block; further blocks are untrusted intermediates) against the trust anchors in
    /// `bundlePEM` (one or more CA certificates) at `time` (Unix seconds), for TLS server use, and for `dnsName`
    /// when given. Throws a `CertificateError` naming OpenSSL's reason otherwise.
    public static func verify(
        leafPEM: String, bundlePEM: String, dnsName: String?, at time: Int64
    ) throws(CertificateError) {
        let chain = try X509Certificate.parseAll(pem: leafPEM)
        let anchors: [X509Certificate]
        do {
            anchors = try X509Certificate.parseAll(pem: bundlePEM)
        } catch {
            throw CertificateError("CA bundle: \(error.message)")
        }
        // OpenSSL holds raw pointers into these until the context and store are freed (the defers below, which
        // run before this one); keep the owning Swift objects alive until then, also in optimized builds.
        defer { withExtendedLifetime((chain, anchors)) {} }
        guard let store = X509_STORE_new() else { throw .openSSL("X509_STORE_new") }
        defer { X509_STORE_free(store) }
        for anchor in anchors {
            guard X509_STORE_add_cert(store, anchor.pointer) == 1 else { throw .openSSL("X509_STORE_add_cert") }
        }
        guard let untrusted = es_sk_X509_new_null() else { throw .openSSL("sk_X509_new_null") }
        defer { es_sk_X509_free(untrusted) }  // does not free the certificates (owned by `chain`)
        for intermediate in chain.dropFirst() {
            guard es_sk_X509_push(untrusted, intermediate.pointer) > 0 else { throw .openSSL("sk_X509_push") }
        }
        guard let context = X509_STORE_CTX_new() else { throw .openSSL("X509_STORE_CTX_new") }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, chain[0].pointer, untrusted) == 1 else {
            throw .openSSL("X509_STORE_CTX_init")
        }
        guard let parameters = X509_STORE_CTX_get0_param(context) else { throw .openSSL("X509_STORE_CTX_get0_param") }
        X509_VERIFY_PARAM_set_time(parameters, time_t(time))
        guard X509_VERIFY_PARAM_set_purpose(parameters, X509_PURPOSE_SSL_SERVER) == 1 else {
            throw .openSSL("X509_VERIFY_PARAM_set_purpose")
        }
        if let dnsName {
            guard X509_VERIFY_PARAM_set1_host(parameters, dnsName, dnsName.utf8.count) == 1 else {
                throw .openSSL("X509_VERIFY_PARAM_set1_host")
            }
        }
        let verified = X509_verify_cert(context) == 1
        let code = X509_STORE_CTX_get_error(context)
        OpenSSLErrorQueue.clear()
        guard verified else {
            let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
            throw CertificateError("certificate verification failed: \(reason)")
        }
    }

    /// `verify` as a boolean.
    public static func isValid(leafPEM: String, bundlePEM: String, dnsName: String?, at time: Int64) -> Bool {
        do {
            try verify(leafPEM: leafPEM, bundlePEM: bundlePEM, dnsName: dnsName, at: time)
            return true
        } catch {
            return false
        }
    }

    /// Whether `keyPEM` is the private key of the first certificate in `certificatePEM`.
    public static func keyMatches(certificatePEM: String, keyPEM: String) -> Bool {
        guard let certificate = try? X509Certificate.parseFirst(pem: certificatePEM),
              let key = try? PrivateKey.parse(pem: keyPEM)
        else { return false }
        return certificate.matches(key)
    }

    /// Upstream's `ValidCert` for a whole set: all PEMs present, the serving key matches the serving certificate
    /// (and the CA key the CA certificate, when present), and the serving certificate chains to `ca.crt` for
    /// `dnsName` at `time`.
    public static func verify(_ files: CertificateFiles, dnsName: String?, at time: Int64) throws(CertificateError) {
        guard !files.caCertificatePEM.isEmpty, !files.certificatePEM.isEmpty, !files.keyPEM.isEmpty else {
            throw CertificateError("certificate material is incomplete")
        }
        guard keyMatches(certificatePEM: files.certificatePEM, keyPEM: files.keyPEM) else {
            throw CertificateError("tls.key does not match tls.crt")
        }
        if let caKeyPEM = files.caKeyPEM {
            guard keyMatches(certificatePEM: files.caCertificatePEM, keyPEM: caKeyPEM) else {
                throw CertificateError("ca.key does not match ca.crt")
            }
        }
        try verify(leafPEM: files.certificatePEM, bundlePEM: files.caCertificatePEM, dnsName: dnsName, at: time)
    }
}
