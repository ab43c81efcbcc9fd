internal import COpenSSL

/// ESO's own functions for PKCS#12, PEM, certificate chains, JWK and RSA (runtime/template/v2).
enum ESOCrypto {
    typealias F = GoFunction

    static func bytes(_ s: String) -> [UInt8] {
        RawBytes.bytes(of: s)
    }

    static func pkcs12Key(_ input: String, _ pass: String) throws -> String {
        let c: PKCS12Support.Contents
        do { c = try PKCS12Support.parse(bytes(input), password: pass) }
        catch { throw FunctionError("unable to decode pkcs12 with password: \(error)") }
        guard let key = c.keyPKCS8 else { throw FunctionError("unable to decode pkcs12 with password: pkcs12: private key missing") }
        return GoPEM.encode(type: "PRIVATE KEY", der: key)
    }

    static func pkcs12Cert(_ input: String, _ pass: String) throws -> String {
        let c: PKCS12Support.Contents
        do { c = try PKCS12Support.parse(bytes(input), password: pass) }
        catch { throw FunctionError("unable to decode pkcs12 certificate with password: \(error)") }
        var certs = c.caCertificates
        if let leaf = c.certificate { certs.insert(leaf, at: 0) }
        return Certificate.orderChain(certs).map(\.pem).joined()
    }

    static func certsToPkcs12(_ certs: [Certificate], _ keyPEM: String, _ pass: String) throws -> String {
        guard !certs.isEmpty else { throw FunctionError("x509: malformed certificate") }
        let key = try PKCS12Support.privateKey(pem: keyPEM)
        defer { EVP_PKEY_free(key) }
        return try PKCS12Support.create(key: key, certificates: certs, password: pass)
    }

    static func firstCertificate(_ pem: String) throws -> Certificate {
        guard let block = GoPEM.decode(Array(pem.utf8)[...]).0, let c = Certificate(der: block.bytes) else {
            throw FunctionError("x509: malformed certificate")
        }
        return c
    }

    static func filterPEM(_ type: String, _ input: String) throws -> String {
        let (blocks, rest) = GoPEM.decodeAll(input)
        let matching = blocks.filter { $0.type.lowercased() == type.lowercased() }
        if matching.isEmpty && !rest.isEmpty { throw FunctionError("error filtering pem: found junk") }
        return matching.map(GoPEM.encode).joined()
    }

    static func filterCertChain(_ certType: String, _ input: String) throws -> String {
        let certs = try Certificate.parseAll(pem: input)
        guard !certs.isEmpty else { throw FunctionError("no certificates found") }
        let ordered = Certificate.orderChain(certs)
        switch certType {
        case "leaf":
            let c = ordered[0]
            if let akid = c.authorityKeyID, akid != c.subjectKeyID { return c.pem }
        case "intermediate":
            guard ordered.count >= 2 else { return "" }
            var out = ""
            for c in ordered.dropFirst() {
                if c.isRoot { break }
                out += c.pem
            }
            return out
        case "root":
            let c = ordered[ordered.count - 1]
            if c.isRoot { return c.pem }
        default:
            throw FunctionError("unknown certificate type \(certType)")
        }
        return ""
    }

    static let functions: [String: GoFunction] = [
        "pkcs12key": F([.string]) { a in .string(try pkcs12Key(a[0].asString, "")) },
        "pkcs12keyPass": F([.string, .string]) { a in .string(try pkcs12Key(a[1].asString, a[0].asString)) },
        "pkcs12cert": F([.string]) { a in .string(try pkcs12Cert(a[0].asString, "")) },
        "pkcs12certPass": F([.string, .string]) { a in .string(try pkcs12Cert(a[1].asString, a[0].asString)) },
        "pemToPkcs12": F([.string, .string]) { a in
            .string(try certsToPkcs12([try firstCertificate(a[0].asString)], a[1].asString, ""))
        },
        "pemToPkcs12Pass": F([.string, .string, .string]) { a in
            .string(try certsToPkcs12([try firstCertificate(a[0].asString)], a[1].asString, a[2].asString))
        },
        "fullPemToPkcs12": F([.string, .string]) { a in
            .string(try certsToPkcs12(try Certificate.parseAll(pem: a[0].asString), a[1].asString, ""))
        },
        "fullPemToPkcs12Pass": F([.string, .string, .string]) { a in
            .string(try certsToPkcs12(try Certificate.parseAll(pem: a[0].asString), a[1].asString, a[2].asString))
        },
        "pemTruststoreToPKCS12": F([.string]) { a in
            .string(try PKCS12Support.create(key: nil, certificates: try Certificate.parseAll(pem: a[0].asString), password: ""))
        },
        "pemTruststoreToPKCS12Pass": F([.string, .string]) { a in
            .string(try PKCS12Support.create(key: nil, certificates: try Certificate.parseAll(pem: a[0].asString), password: a[1].asString))
        },
        "filterPEM": F([.string, .string]) { a in .string(try filterPEM(a[0].asString, a[1].asString)) },
        "filterCertChain": F([.string, .string]) { a in .string(try filterCertChain(a[0].asString, a[1].asString)) },
        "certSANs": F([.string]) { a in .stringList(try firstCertificate(a[0].asString).subjectAlternativeNames) },
        "jwkPublicKeyPem": F([.string]) { a in .string(try JWK.publicKeyPEM(a[0].asString)) },
        "jwkPrivateKeyPem": F([.string]) { a in .string(try JWK.privateKeyPEM(a[0].asString)) },
        "rsaDecrypt": F([.string, .string, .string, .string]) { a in
            .string(try PKCS12Support.rsaDecrypt(scheme: a[0].asString, hash: a[1].asString,
                                                 ciphertext: bytes(a[2].asString), keyPEM: a[3].asString))
        },
    ]
}
