internal import COpenSSL

/// PKCS#12 reading and writing (OpenSSL), private key parsing and RSA decryption for ESO's functions.
enum PKCS12Support {
    struct Contents {
        var keyPKCS8: [UInt8]?
        var certificate: Certificate?
        var caCertificates: [Certificate]
    }

    static func parse(_ data: [UInt8], password: String) throws -> Contents {
        var p12: OpaquePointer?
        data.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            p12 = d2i_PKCS12(nil, &p, buf.count)
        }
        guard let p12 else { ERR_clear_error(); throw FunctionError("pkcs12: error reading P12 data") }
        defer { PKCS12_free(p12) }
        if PKCS12_verify_mac(p12, password, Int32(password.utf8.count)) != 1
            && !(password.isEmpty && PKCS12_verify_mac(p12, nil, 0) == 1)
        {
            ERR_clear_error()
            throw FunctionError("pkcs12: decryption password incorrect")
        }
        var pkey: OpaquePointer?
        var cert: OpaquePointer?
        var ca: OpaquePointer?
        guard PKCS12_parse(p12, password, &pkey, &cert, &ca) == 1 else {
            throw FunctionError("pkcs12: \(openSSLError("error decoding P12 data"))")
        }
        defer {
            if let pkey { EVP_PKEY_free(pkey) }
            if let ca { es_sk_X509_pop_free(ca) }
        }
        var contents = Contents(keyPKCS8: nil, certificate: nil, caCertificates: [])
        if let pkey { contents.keyPKCS8 = try pkcs8(pkey) }
        if let cert { contents.certificate = Certificate(owning: cert) }
        if let ca {
            for i in 0..<es_sk_X509_num(ca) {
                guard let x = es_sk_X509_value(ca, i) else { continue }
                X509_up_ref(x)
                if let c = Certificate(owning: x) { contents.caCertificates.append(c) }
            }
        }
        return contents
    }

    static func pkcs8(_ pkey: OpaquePointer) throws -> [UInt8] {
        guard let info = EVP_PKEY2PKCS8(pkey) else { throw FunctionError(openSSLError("x509: unknown key type")) }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        var out: UnsafeMutablePointer<UInt8>?
        let n = i2d_PKCS8_PRIV_KEY_INFO(info, &out)
        guard n > 0, let out else { throw FunctionError(openSSLError("x509: failed to marshal private key")) }
        defer { es_OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(n)))
    }

    /// Parses a DER private key (PKCS#8, PKCS#1 or SEC 1), like ESO's `parsePrivateKey`.
    static func privateKey(der: [UInt8]) throws -> OpaquePointer {
        var key: OpaquePointer?
        der.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            key = d2i_AutoPrivateKey(nil, &p, buf.count)
        }
        guard let key else {
            ERR_clear_error()
            throw FunctionError("x509: failed to parse private key")
        }
        return key
    }

    static func privateKey(pem: String) throws -> OpaquePointer {
        guard let block = GoPEM.decode(Array(pem.utf8)[...]).0 else { throw FunctionError("failed to decode PEM block containing private key") }
        return try privateKey(der: block.bytes)
    }

    /// A PKCS#12 archive (AES-256-CBC/PBKDF2, SHA-256 MAC) as base64.
    static func create(key: OpaquePointer?, certificates: [Certificate], password: String) throws -> String {
        let ca = es_sk_X509_new_null()
        defer { es_sk_X509_free(ca) }
        for c in certificates.dropFirst() { _ = es_sk_X509_push(ca, c.x509) }
        let leaf = key == nil ? nil : certificates.first?.x509
        if key == nil { for c in certificates.prefix(1) { _ = es_sk_X509_push(ca, c.x509) } }
        guard let p12 = PKCS12_create(password, nil, key, leaf, ca, 0, 0, 0, 0, 0) else {
            throw FunctionError("pkcs12: \(openSSLError("failed to create PKCS#12"))")
        }
        defer { PKCS12_free(p12) }
        var out: UnsafeMutablePointer<UInt8>?
        let n = i2d_PKCS12(p12, &out)
        guard n > 0, let out else { throw FunctionError(openSSLError("pkcs12: failed to encode")) }
        defer { es_OPENSSL_free(out) }
        return Base64.encode(Array(UnsafeBufferPointer(start: out, count: Int(n))))
    }

    /// `rsaDecrypt`: "RSA-OAEP" (OAEP with the given hash for label digest and MGF1) or "None" (PKCS#1 v1.5).
    static func rsaDecrypt(scheme: String, hash: String, ciphertext: [UInt8], keyPEM: String) throws -> String {
        let md: OpaquePointer?
        switch hash {
        case "SHA1": md = EVP_sha1()
        case "SHA256": md = EVP_sha256()
        default: throw FunctionError("unsupported hash algorithm: \(hash)")
        }
        let padding: Int32
        switch scheme {
        case "RSA-OAEP": padding = RSA_PKCS1_OAEP_PADDING
        case "None": padding = RSA_PKCS1_PADDING
        default: throw FunctionError("unsupported decryption scheme: \(scheme)")
        }
        let key = try privateKey(pem: keyPEM)
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_PKEY_CTX_new(key, nil) else { throw FunctionError("failed to create decryption context") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_decrypt_init(ctx) == 1, es_EVP_PKEY_CTX_set_rsa_padding(ctx, padding) == 1 else {
            throw FunctionError("key is not an RSA private key")
        }
        if padding == RSA_PKCS1_OAEP_PADDING {
            guard es_EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) == 1, es_EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 else {
                throw FunctionError("failed to set OAEP hash")
            }
        }
        var outLen = 0
        guard EVP_PKEY_decrypt(ctx, nil, &outLen, ciphertext, ciphertext.count) == 1 else {
            ERR_clear_error()
            throw FunctionError("crypto/rsa: decryption error")
        }
        var out = [UInt8](repeating: 0, count: outLen)
        guard EVP_PKEY_decrypt(ctx, &out, &outLen, ciphertext, ciphertext.count) == 1 else {
            ERR_clear_error()
            throw FunctionError("crypto/rsa: decryption error")
        }
        return RawBytes.string(from: Array(out.prefix(outLen)))
    }
}
