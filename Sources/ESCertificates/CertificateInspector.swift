// Decodes certificates into `CertificateInfo`.
import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads subject, issuer, SANs, validity, serial and CA flag out of PEM certificates.
public enum CertificateInspector {
    /// One `CertificateInfo` per `CERTIFICATE` block in `pem`, in order.
    public static func inspect(pem: String) throws(CertificateError) -> [CertificateInfo] {
        var result: [CertificateInfo] = []
        for certificate in try X509Certificate.parseAll(pem: pem) {
            result.append(try info(of: certificate))
        }
        return result
    }

    static func info(of certificate: X509Certificate) throws(CertificateError) -> CertificateInfo {
        let x509 = certificate.pointer
        guard let notBefore = X509_get0_notBefore(x509).flatMap(unixTime),
              let notAfter = X509_get0_notAfter(x509).flatMap(unixTime)
        else { throw CertificateError("certificate has an unreadable validity period") }
        let (dnsNames, ipAddresses) = subjectAlternativeNames(x509)
        return CertificateInfo(
            subject: X509_get_subject_name(x509).map(distinguishedName) ?? "",
            issuer: X509_get_issuer_name(x509).map(distinguishedName) ?? "",
            dnsNames: dnsNames, ipAddresses: ipAddresses,
            notBefore: notBefore, notAfter: notAfter,
            serialHex: serialHex(x509),
            isCA: X509_check_ca(x509) == 1,
            subjectKeyIdentifier: optionalHex(X509_get0_subject_key_id(x509)),
            authorityKeyIdentifier: optionalHex(X509_get0_authority_key_id(x509)),
            publicKeyAlgorithm: publicKeyAlgorithm(x509))
    }

    private static func unixTime(_ time: UnsafePointer<ASN1_TIME>) -> Int64? {
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Int64(timegm(&parts))
    }

    /// RFC 2253 order (most specific first), e.g. `CN=a,O=b`.
    private static func distinguishedName(_ name: OpaquePointer) -> String {
        var parts: [String] = []
        let count = X509_NAME_entry_count(name)
        for index in 0..<count {
            guard let entry = X509_NAME_get_entry(name, index),
                  let object = X509_NAME_ENTRY_get_object(entry),
                  let data = X509_NAME_ENTRY_get_data(entry)
            else { continue }
            let nid = OBJ_obj2nid(object)
            let field = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "OID.\(nid)"
            parts.append("\(field)=\(escapeDNValue(asn1StringUTF8(UnsafePointer(data))))")
        }
        return parts.reversed().joined(separator: ",")
    }

    private static func escapeDNValue(_ value: String) -> String {
        var escaped = ""
        for character in value {
            if ",+\"\\<>;=".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private static func asn1StringUTF8(_ string: UnsafePointer<ASN1_STRING>) -> String {
        var output: UnsafeMutablePointer<UInt8>? = nil
        let length = ASN1_STRING_to_UTF8(&output, string)
        guard length >= 0, let output else { return "" }
        defer { es_OPENSSL_free(output) }
        return String(decoding: UnsafeBufferPointer(start: output, count: Int(length)), as: UTF8.self)
    }

    private static func asn1Bytes(_ string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        let length = Int(ASN1_STRING_length(string))
        guard length > 0, let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    private static func optionalHex(_ string: UnsafePointer<ASN1_STRING>?) -> String? {
        string.map(hex)
    }

    private static func hex(_ string: UnsafePointer<ASN1_STRING>) -> String {
        asn1Bytes(string).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    private static func subjectAlternativeNames(_ x509: OpaquePointer) -> ([String], [String]) {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else {
            OpenSSLErrorQueue.clear()
            return ([], [])
        }
        let names = OpaquePointer(raw)
        defer { es_GENERAL_NAMES_free(names) }
        var dnsNames: [String] = []
        var ipAddresses: [String] = []
        for index in 0..<es_sk_GENERAL_NAME_num(names) {
            guard let name = es_sk_GENERAL_NAME_value(names, index) else { continue }
            switch name.pointee.type {
            case GEN_DNS:
                if let value = name.pointee.d.dNSName { dnsNames.append(asn1StringUTF8(UnsafePointer(value))) }
            case GEN_IPADD:
                if let value = name.pointee.d.iPAddress, let text = ipText(asn1Bytes(UnsafePointer(value))) {
                    ipAddresses.append(text)
                }
            default:
                continue
            }
        }
        return (dnsNames, ipAddresses)
    }

    private static func ipText(_ bytes: [UInt8]) -> String? {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        var buffer = [CChar](repeating: 0, count: 64)
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private static func serialHex(_ x509: OpaquePointer) -> String {
        guard let serial = X509_get_serialNumber(x509), let number = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(number) }
        guard let text = BN_bn2hex(number) else { return "" }
        defer { es_OPENSSL_free(text) }
        return String(cString: text)
    }

    private static func publicKeyAlgorithm(_ x509: OpaquePointer) -> String {
        guard let key = X509_get0_pubkey(x509) else { return "unknown" }
        let bits = EVP_PKEY_get_bits(key)
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_EC: return bits == 256 ? "ECDSA P-256" : "ECDSA \(bits)"
        case EVP_PKEY_RSA: return "RSA \(bits)"
        case EVP_PKEY_ED25519: return "Ed25519"
        default: return "unknown (\(bits) bits)"
        }
    }
}

extension CertificateInspector {
    /// Each `CERTIFICATE` block of `pem` re-encoded on its own (normalized PEM), in order.
    public static func certificateBlocks(pem: String) throws(CertificateError) -> [String] {
        var blocks: [String] = []
        for certificate in try X509Certificate.parseAll(pem: pem) {
            blocks.append(try certificate.pem())
        }
        return blocks
    }
}
