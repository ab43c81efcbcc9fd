import ESJSON
internal import COpenSSL
import Glibc

/// An X.509 certificate parsed by OpenSSL, with what ESO's PEM functions look at.
final class Certificate {
    let x509: OpaquePointer
    let der: [UInt8]

    init?(der: [UInt8]) {
        var parsed: OpaquePointer?
        der.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            parsed = d2i_X509(nil, &p, buf.count)
        }
        guard let parsed else { return nil }
        self.x509 = parsed
        self.der = der
    }

    /// Takes ownership of an X509 reference.
    init?(owning x: OpaquePointer) {
        var out: UnsafeMutablePointer<UInt8>?
        let n = i2d_X509(x, &out)
        guard n > 0, let out else { X509_free(x); return nil }
        der = Array(UnsafeBufferPointer(start: out, count: Int(n)))
        es_OPENSSL_free(out)
        x509 = x
    }

    deinit { X509_free(x509) }

    private static func bytes(_ s: UnsafePointer<ASN1_OCTET_STRING>?) -> [UInt8]? {
        guard let s, let data = ASN1_STRING_get0_data(s) else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(s))))
    }

    var subjectKeyID: [UInt8]? { Certificate.bytes(X509_get0_subject_key_id(x509)) }
    var authorityKeyID: [UInt8]? { Certificate.bytes(X509_get0_authority_key_id(x509)) }
    var subjectDER: [UInt8] { name(X509_get_subject_name(x509)) }
    var issuerDER: [UInt8] { name(X509_get_issuer_name(x509)) }

    private func name(_ n: OpaquePointer?) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        let len = i2d_X509_NAME(n, &out)
        guard len > 0, let out else { return [] }
        defer { es_OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(len)))
    }

    /// Go's rule in ESO's pem_chain.go: no authority key ID, or one equal to the subject key ID.
    var isRoot: Bool {
        guard let akid = authorityKeyID else { return true }
        return akid == subjectKeyID
    }

    var pem: String { GoPEM.encode(type: "CERTIFICATE", der: der) }

    /// Subject alternative names in Go's order: DNS names, IP addresses, emails, URIs.
    var subjectAlternativeNames: [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { es_GENERAL_NAMES_free(names) }
        var dns: [String] = [], ips: [String] = [], emails: [String] = [], uris: [String] = []
        for i in 0..<es_sk_GENERAL_NAME_num(names) {
            guard let gn = es_sk_GENERAL_NAME_value(names, i) else { continue }
            let type = gn.pointee.type
            switch type {
            case GEN_DNS: dns.append(Certificate.text(gn.pointee.d.dNSName))
            case GEN_EMAIL: emails.append(Certificate.text(gn.pointee.d.rfc822Name))
            case GEN_URI: uris.append(Certificate.text(gn.pointee.d.uniformResourceIdentifier))
            case GEN_IPADD:
                if let b = Certificate.bytes(UnsafePointer(gn.pointee.d.iPAddress)) { ips.append(Certificate.ipString(b)) }
            default: break
            }
        }
        return dns + ips + emails + uris
    }

    private static func text(_ s: UnsafeMutablePointer<ASN1_IA5STRING>?) -> String {
        guard let s, let data = ASN1_STRING_get0_data(s) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(s))), as: UTF8.self)
    }

    /// Go's `net.IP.String()`.
    static func ipString(_ b: [UInt8]) -> String {
        if b.count == 4 || (b.count == 16 && b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xFF && b[11] == 0xFF) {
            return b.suffix(4).map(String.init).joined(separator: ".")
        }
        guard b.count == 16 else { return "?" + HexEncoding.lowercase(b) }
        var buf = [CChar](repeating: 0, count: 64)
        var addr = in6_addr()
        withUnsafeMutableBytes(of: &addr) { $0.copyBytes(from: b) }
        guard inet_ntop(AF_INET6, &addr, &buf, socklen_t(buf.count)) != nil else { return "?" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// All CERTIFICATE blocks of a PEM text.
    static func parseAll(pem: String) throws -> [Certificate] {
        var certs: [Certificate] = []
        for block in GoPEM.decodeAll(pem).0 where block.type == "CERTIFICATE" {
            guard let c = Certificate(der: block.bytes) else { throw FunctionError("x509: malformed certificate") }
            certs.append(c)
        }
        return certs
    }

    /// Orders certificates leaf → root by following authority/subject key IDs (issuer names as fallback).
    static func orderChain(_ certs: [Certificate]) -> [Certificate] {
        guard certs.count > 1 else { return certs }
        func parent(of c: Certificate) -> Int? {
            if c.isRoot && c.authorityKeyID != nil { return nil }
            return certs.firstIndex { p in
                p !== c && ((c.authorityKeyID != nil && c.authorityKeyID == p.subjectKeyID)
                    || (c.authorityKeyID == nil && c.issuerDER == p.subjectDER && c.issuerDER != c.subjectDER))
            }
        }
        let parents = certs.map(parent)
        let referenced = Set(parents.compactMap { $0 })
        var start = (0..<certs.count).first { !referenced.contains($0) } ?? 0
        var ordered: [Certificate] = []
        var seen = Set<Int>()
        while !seen.contains(start) {
            seen.insert(start)
            ordered.append(certs[start])
            guard let p = parents[start] else { break }
            start = p
        }
        for (i, c) in certs.enumerated() where !seen.contains(i) { ordered.append(c) }
        return ordered
    }
}

/// OpenSSL's last error as text (for messages; never includes key material).
func openSSLError(_ fallback: String) -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return fallback }
    var buf = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buf, buf.count)
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
