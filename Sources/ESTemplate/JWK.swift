import ESJSON

/// ESO's `jwkPublicKeyPem` / `jwkPrivateKeyPem`: a JWK (RSA, EC P-256/384/521, OKP Ed25519) as a PKIX
/// `PUBLIC KEY` or PKCS#8 `PRIVATE KEY` PEM block.
enum JWK {
    static let rsaOID = "1.2.840.113549.1.1.1"
    static let ecOID = "1.2.840.10045.2.1"
    static let ed25519OID = "1.3.101.112"
    static let curves: [String: (oid: String, size: Int)] = [
        "P-256": ("1.2.840.10045.3.1.7", 32), "P-384": ("1.3.132.0.34", 48), "P-521": ("1.3.132.0.35", 66),
    ]

    static func parse(_ text: String) throws -> JSONObject {
        guard case .object(let o) = (try? JSON.parse(text)) ?? .null else {
            throw FunctionError("failed to unmarshal JSON into key hint: invalid character looking for beginning of value")
        }
        return o
    }

    static func field(_ o: JSONObject, _ name: String, required: Bool = true) throws -> [UInt8]? {
        guard let s = o[name]?.stringValue else {
            if required { throw FunctionError("required field \(name) is missing") }
            return nil
        }
        var t = s.replacingAll("-", with: "+").replacingAll("_", with: "/")
        t = t.replacingAll("=", with: "")
        while t.utf8.count % 4 != 0 { t += "=" }
        guard let b = try? Base64.decode(t) else { throw FunctionError("failed to decode field \(name): illegal base64 data") }
        return b
    }

    static func publicKeyPEM(_ text: String) throws -> String {
        let o = try parse(text)
        return GoPEM.encode(type: "PUBLIC KEY", der: try publicKeyInfo(o))
    }

    static func privateKeyPEM(_ text: String) throws -> String {
        let o = try parse(text)
        let kty = o["kty"]?.stringValue ?? ""
        let der: [UInt8]
        switch kty {
        case "RSA":
            guard let d = try field(o, "d", required: false) else { throw FunctionError("x509: unknown key type while marshaling PKCS#8: *rsa.PublicKey") }
            let n = try field(o, "n")!, e = try field(o, "e")!
            let p = try field(o, "p")!, q = try field(o, "q")!
            let dp = try field(o, "dp")!, dq = try field(o, "dq")!, qi = try field(o, "qi")!
            let pkcs1 = DER.sequence([DER.integer(0)] + [n, e, d, p, q, dp, dq, qi].map(DER.unsignedInteger))
            der = DER.sequence([DER.integer(0), DER.sequence([DER.oid(rsaOID), DER.null]), DER.octetString(pkcs1)])
        case "EC":
            let (curveOID, size) = try curve(o)
            guard let d = try field(o, "d", required: false) else { throw FunctionError("x509: unknown key type while marshaling PKCS#8: *ecdsa.PublicKey") }
            let pub = try ecPoint(o, size)
            let padded = [UInt8](repeating: 0, count: max(0, size - d.count)) + d
            let inner = DER.sequence([DER.integer(1), DER.octetString(padded), DER.contextConstructed(1, DER.bitString(pub))])
            der = DER.sequence([DER.integer(0), DER.sequence([DER.oid(ecOID), DER.oid(curveOID)]), DER.octetString(inner)])
        case "OKP":
            guard o["crv"]?.stringValue == "Ed25519" else { throw FunctionError("invalid curve algorithm \(o["crv"]?.stringValue ?? "")") }
            guard let d = try field(o, "d", required: false) else { throw FunctionError("x509: unknown key type while marshaling PKCS#8: ed25519.PublicKey") }
            der = DER.sequence([DER.integer(0), DER.sequence([DER.oid(ed25519OID)]), DER.octetString(DER.octetString(d))])
        default:
            throw FunctionError("invalid key type from JSON (\(kty))")
        }
        return GoPEM.encode(type: "PRIVATE KEY", der: der)
    }

    static func curve(_ o: JSONObject) throws -> (String, Int) {
        let crv = o["crv"]?.stringValue ?? ""
        guard let c = curves[crv] else { throw FunctionError("invalid curve algorithm \(crv)") }
        return c
    }

    static func ecPoint(_ o: JSONObject, _ size: Int) throws -> [UInt8] {
        let x = try field(o, "x")!, y = try field(o, "y")!
        func pad(_ b: [UInt8]) -> [UInt8] { [UInt8](repeating: 0, count: max(0, size - b.count)) + b }
        return [0x04] + pad(x) + pad(y)
    }

    static func publicKeyInfo(_ o: JSONObject) throws -> [UInt8] {
        let kty = o["kty"]?.stringValue ?? ""
        switch kty {
        case "RSA":
            let n = try field(o, "n")!, e = try field(o, "e")!
            let pkcs1 = DER.sequence([DER.unsignedInteger(n), DER.unsignedInteger(e)])
            return DER.sequence([DER.sequence([DER.oid(rsaOID), DER.null]), DER.bitString(pkcs1)])
        case "EC":
            let (curveOID, size) = try curve(o)
            return DER.sequence([DER.sequence([DER.oid(ecOID), DER.oid(curveOID)]), DER.bitString(try ecPoint(o, size))])
        case "OKP":
            guard o["crv"]?.stringValue == "Ed25519" else { throw FunctionError("invalid curve algorithm \(o["crv"]?.stringValue ?? "")") }
            let x = try field(o, "x")!
            return DER.sequence([DER.sequence([DER.oid(ed25519OID)]), DER.bitString(x)])
        default:
            throw FunctionError("invalid key type from JSON (\(kty))")
        }
    }
}
