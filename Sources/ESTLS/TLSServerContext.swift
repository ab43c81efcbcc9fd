import COpenSSL

/// One immutable OpenSSL server context (`SSL_CTX`) with a loaded certificate chain and key.
/// Connections made from it hold their own reference, so replacing the context never disturbs them.
public final class TLSServerContext: @unchecked Sendable {
    /// ECDHE key exchange with AEAD ciphers only (TLS 1.2); TLS 1.3 suites are all AEAD.
    static let tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
    static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    let pointer: OpaquePointer
    /// Serial number of the leaf certificate, hex.
    public let serialHex: String
    /// Leaf `notAfter` as seconds since 1970.
    public let notAfter: Int64

    /// Builds a context from PEM files on disk.
    public init(certificatePath: String, privateKeyPath: String, minimumVersion: TLSMinimumVersion) throws(TLSError) {
        _ = es_OPENSSL_init_ssl()
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw TLSError("SSL_CTX_new failed: \(OpenSSLErrors.drain())") }
        var ok = false
        defer { if !ok { SSL_CTX_free(ctx) } }

        let floor = minimumVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard es_SSL_CTX_set_min_proto_version(ctx, floor) == 1 else { throw TLSError("cannot set minimum TLS version") }
        guard SSL_CTX_set_cipher_list(ctx, Self.tls12Ciphers) == 1,
              SSL_CTX_set_ciphersuites(ctx, Self.tls13Suites) == 1 else {
            throw TLSError("cannot set cipher suites: \(OpenSSLErrors.drain())")
        }
        _ = es_SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384")
        let noCompression: UInt64 = 1 << 17, serverPreference: UInt64 = 1 << 22, noRenegotiation: UInt64 = 1 << 30
        _ = es_SSL_CTX_set_options(ctx, noCompression | serverPreference | noRenegotiation)
        // RELEASE_BUFFERS: an idle keep-alive connection holds no 16 KiB record buffers.
        _ = es_SSL_CTX_set_mode(ctx, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
        // Read whole socket buffers instead of a record header and then its body: one read(2) per
        // request instead of two. The connection reads until EAGAIN, so no buffered record is left behind.
        _ = es_SSL_CTX_set_read_ahead(ctx, 1)
        SSL_CTX_set_alpn_select_cb(ctx, selectHTTP11, nil)

        guard SSL_CTX_use_certificate_chain_file(ctx, certificatePath) == 1 else {
            throw TLSError("cannot load certificate \(certificatePath): \(OpenSSLErrors.drain())")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError("cannot load private key \(privateKeyPath): \(OpenSSLErrors.drain())")
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            ERR_clear_error()
            throw TLSError("private key \(privateKeyPath) does not match certificate \(certificatePath)")
        }
        guard let leaf = SSL_CTX_get0_certificate(ctx) else { throw TLSError("no certificate in \(certificatePath)") }
        serialHex = Self.serialHex(of: leaf)
        notAfter = Self.notAfter(of: leaf)
        pointer = ctx
        ok = true
    }

    deinit { SSL_CTX_free(pointer) }

    /// Whether the leaf certificate is still valid at `now` (seconds since 1970).
    public func isValid(now: Int64) -> Bool { now < notAfter }

    private static func serialHex(of certificate: OpaquePointer) -> String {
        guard let serial = X509_get_serialNumber(certificate), let bn = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return "" }
        defer { es_OPENSSL_free(hex) }
        return String(cString: hex)
    }

    private static func notAfter(of certificate: OpaquePointer) -> Int64 {
        guard let time = X509_get0_notAfter(certificate) else { return 0 }
        var tm = tm()
        guard ASN1_TIME_to_tm(time, &tm) == 1 else { return 0 }
        return Int64(timegm(&tm))
    }
}

/// ALPN: choose `http/1.1` when the client offers it; otherwise continue without ALPN.
private func selectHTTP11(_ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                          _ outLength: UnsafeMutablePointer<UInt8>?, _ input: UnsafePointer<UInt8>?,
                          _ inputLength: UInt32, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let input, let out, let outLength else { return SSL_TLSEXT_ERR_NOACK }
    let wanted: [UInt8] = Array("http/1.1".utf8)
    var index = 0
    let total = Int(inputLength)
    while index < total {
        let length = Int(input[index])
        let begin = index + 1
        guard begin + length <= total else { break }
        if length == wanted.count, (0..<length).allSatisfy({ input[begin + $0] == wanted[$0] }) {
            out.pointee = input + begin
            outLength.pointee = UInt8(length)
            return SSL_TLSEXT_ERR_OK
        }
        index = begin + length
    }
    return SSL_TLSEXT_ERR_NOACK
}
