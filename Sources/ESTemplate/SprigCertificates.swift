internal import COpenSSL

/// sprig's certificate generators (`genCA`, `genSelfSignedCert`, `genSignedCert`, their `WithKey`
/// variants and `buildCustomCert`). A certificate value is a map with `Cert` and `Key` PEM strings,
/// so `$ca.Cert` / `$ca.Key` work as with sprig's struct.
enum SprigCertificates {
    typealias F = GoFunction

    static func certificateValue(cert: String, key: String) -> GoValue { .dict(["Cert": .string(cert), "Key": .string(key)]) }

    static func rsaKey() throws -> OpaquePointer {
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else { throw FunctionError("error generating RSA private key") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, es_EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1,
            EVP_PKEY_keygen(ctx, &pkey) == 1, let pkey
        else { throw FunctionError("error generating RSA private key: \(openSSLError("keygen"))") }
        return pkey
    }

    static func keyPEM(_ pkey: OpaquePointer) throws -> String {
        var out: UnsafeMutablePointer<UInt8>?
        let n = i2d_PrivateKey(pkey, &out)
        guard n > 0, let out else { throw FunctionError("unable to encode private key") }
        defer { es_OPENSSL_free(out) }
        let der = Array(UnsafeBufferPointer(start: out, count: Int(n)))
        let type: String
        switch EVP_PKEY_get_base_id(pkey) {
        case EVP_PKEY_RSA: type = "RSA PRIVATE KEY"
        case EVP_PKEY_EC: type = "EC PRIVATE KEY"
        default: return GoPEM.encode(type: "PRIVATE KEY", der: try PKCS12Support.pkcs8(pkey))
        }
        return GoPEM.encode(type: type, der: der)
    }

    static func addExtension(_ x: OpaquePointer, _ issuer: OpaquePointer, _ nid: Int32, _ value: String) throws {
        var ctx = X509V3_CTX()
        X509V3_set_ctx(&ctx, issuer, x, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &ctx, nid, value) else {
            throw FunctionError("error creating certificate extension: \(openSSLError(value))")
        }
        defer { X509_EXTENSION_free(ext) }
        X509_add_ext(x, ext, -1)
    }

    /// Builds and signs a certificate; `signer` nil means self-signed.
    static func generate(cn: String, ips: [GoValue], dns: [GoValue], days: Int, isCA: Bool, key: OpaquePointer,
                         signer: (cert: Certificate, key: OpaquePointer)?) throws -> String {
        guard let x = X509_new() else { throw FunctionError("error creating certificate") }
        defer { X509_free(x) }
        X509_set_version(x, 2)
        var serialBytes = SecureRandom.bytes(16)
        serialBytes[0] &= 0x7F
        let bn = BN_bin2bn(serialBytes, Int32(serialBytes.count), nil)
        defer { BN_free(bn) }
        let serial = BN_to_ASN1_INTEGER(bn, nil)
        defer { ASN1_INTEGER_free(serial) }
        X509_set_serialNumber(x, serial)
        X509_gmtime_adj(X509_getm_notBefore(x), 0)
        X509_gmtime_adj(X509_getm_notAfter(x), Int(days) * 86400)
        X509_set_pubkey(x, key)
        let name = X509_get_subject_name(x)
        _ = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0)
        let issuerCert = signer?.cert.x509 ?? x
        X509_set_issuer_name(x, X509_get_subject_name(issuerCert))
        if isCA {
            try addExtension(x, issuerCert, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign")
            try addExtension(x, issuerCert, NID_basic_constraints, "critical,CA:TRUE")
        } else {
            try addExtension(x, issuerCert, NID_key_usage, "critical,digitalSignature,keyEncipherment")
            try addExtension(x, issuerCert, NID_basic_constraints, "critical,CA:FALSE")
        }
        try addExtension(x, issuerCert, NID_ext_key_usage, "serverAuth,clientAuth")
        // Go generates a subject key ID for CAs and copies the parent's as authority key ID.
        if isCA { try addExtension(x, issuerCert, NID_subject_key_identifier, "hash") }
        if let signer, signer.cert.subjectKeyID != nil {
            try addExtension(x, signer.cert.x509, NID_authority_key_identifier, "keyid:always")
        }
        var sans: [String] = []
        for d in dns {
            guard case .string(let s) = d else { throw FunctionError("error processing alternate dns name: \(GoFormat.sprint(d)) is not a string") }
            sans.append("DNS:" + s)
        }
        for ip in ips {
            guard case .string(let s) = ip else { throw FunctionError("error processing ip address: \(GoFormat.sprint(ip)) is not a string") }
            sans.append("IP:" + s)
        }
        if !sans.isEmpty { try addExtension(x, issuerCert, NID_subject_alt_name, sans.joined(separator: ",")) }
        guard X509_sign(x, signer?.key ?? key, EVP_sha256()) > 0 else {
            throw FunctionError("error signing certificate: \(openSSLError("sign"))")
        }
        X509_up_ref(x)
        guard let cert = Certificate(owning: x) else { throw FunctionError("error encoding certificate") }
        return cert.pem
    }

    static func loadKey(_ pem: String) throws -> OpaquePointer {
        do { return try PKCS12Support.privateKey(pem: pem) } catch {
            throw FunctionError("error parsing private key: \(error)")
        }
    }

    static func signer(_ ca: GoValue) throws -> (Certificate, OpaquePointer) {
        guard case .map(let m, _) = ca, let certPEM = m["Cert"].map(Sprig.strval), let keyPEM = m["Key"].map(Sprig.strval) else {
            throw FunctionError("error parsing CA: not a certificate")
        }
        guard let block = GoPEM.decode(Array(certPEM.utf8)[...]).0, let cert = Certificate(der: block.bytes) else {
            throw FunctionError("unable to decode CA certificate")
        }
        return (cert, try loadKey(keyPEM))
    }

    static func make(cn: String, ips: [GoValue], dns: [GoValue], days: Int, isCA: Bool, keyPEM: String?, ca: GoValue?) throws -> GoValue {
        let key = try keyPEM.map(loadKey) ?? rsaKey()
        defer { EVP_PKEY_free(key) }
        var signerPair: (cert: Certificate, key: OpaquePointer)?
        if let ca { signerPair = try signer(ca) }
        defer { if let k = signerPair?.key { EVP_PKEY_free(k) } }
        let cert = try generate(cn: cn, ips: ips, dns: dns, days: days, isCA: isCA, key: key, signer: signerPair)
        return certificateValue(cert: cert, key: try keyPEM ?? Self.keyPEM(key))
    }

    static let functions: [String: GoFunction] = [
        "genCA": F([.string, .int]) { a in try make(cn: a[0].asString, ips: [], dns: [], days: a[1].asInt, isCA: true, keyPEM: nil, ca: nil) },
        "genCAWithKey": F([.string, .int, .string]) { a in
            try make(cn: a[0].asString, ips: [], dns: [], days: a[1].asInt, isCA: true, keyPEM: a[2].asString, ca: nil)
        },
        "genSelfSignedCert": F([.string, .list, .list, .int]) { a in
            try make(cn: a[0].asString, ips: a[1].asList, dns: a[2].asList, days: a[3].asInt, isCA: false, keyPEM: nil, ca: nil)
        },
        "genSelfSignedCertWithKey": F([.string, .list, .list, .int, .string]) { a in
            try make(cn: a[0].asString, ips: a[1].asList, dns: a[2].asList, days: a[3].asInt, isCA: false, keyPEM: a[4].asString, ca: nil)
        },
        "genSignedCert": F([.string, .list, .list, .int, .any]) { a in
            try make(cn: a[0].asString, ips: a[1].asList, dns: a[2].asList, days: a[3].asInt, isCA: false, keyPEM: nil, ca: a[4])
        },
        "genSignedCertWithKey": F([.string, .list, .list, .int, .any, .string]) { a in
            try make(cn: a[0].asString, ips: a[1].asList, dns: a[2].asList, days: a[3].asInt, isCA: false, keyPEM: a[5].asString, ca: a[4])
        },
        "buildCustomCert": F([.string, .string]) { a in
            guard let certPEM = try? Base64.decode(a[0].asString) else { throw FunctionError("unable to decode base64 certificate") }
            guard let keyPEM = try? Base64.decode(a[1].asString) else { throw FunctionError("unable to decode base64 private key") }
            let certText = String(decoding: certPEM, as: UTF8.self), keyText = String(decoding: keyPEM, as: UTF8.self)
            guard let block = GoPEM.decode(Array(certText.utf8)[...]).0, Certificate(der: block.bytes) != nil else {
                throw FunctionError("error parsing certificate: decoded pem is not a valid certificate")
            }
            let key = try loadKey(keyText)
            EVP_PKEY_free(key)
            return certificateValue(cert: certText, key: keyText)
        },
    ]
}
