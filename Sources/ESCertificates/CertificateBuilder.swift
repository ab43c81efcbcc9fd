// Builds and signs one X.509 v3 certificate from a description.
import COpenSSL

/// What goes into a certificate. Internal: `CertificateIssuer` fills it for CA and serving certificates.
struct CertificateTemplate {
    var commonName: String
    var organization: String?
    var dnsNames: [String] = []
    var ipAddresses: [String] = []
    var isCertificateAuthority: Bool
    var notBefore: Int64
    var notAfter: Int64
}

enum CertificateBuilder {
    /// Signs `template` for `subjectKey`. With `issuer == nil` the certificate is self-signed by `subjectKey`.
    static func build(
        _ template: CertificateTemplate, subjectKey: PrivateKey, issuer: X509Certificate?, issuerKey: PrivateKey
    ) throws(CertificateError) -> X509Certificate {
        guard let x509 = X509_new() else { throw .openSSL("X509_new") }
        let certificate = X509Certificate(owning: x509)
        guard X509_set_version(x509, 2) == 1 else { throw .openSSL("X509_set_version") }
        try setRandomSerial(x509)
        guard ASN1_TIME_set(X509_getm_notBefore(x509), time_t(template.notBefore)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(x509), time_t(template.notAfter)) != nil
        else { throw .openSSL("ASN1_TIME_set") }

        guard let subject = X509_get_subject_name(x509) else { throw .openSSL("X509_get_subject_name") }
        if let organization = template.organization {
            try addNameEntry(subject, field: "O", value: organization)
        }
        try addNameEntry(subject, field: "CN", value: template.commonName)
        let issuerName = issuer.map { X509_get_subject_name($0.pointer) } ?? subject
        guard X509_set_issuer_name(x509, issuerName) == 1 else { throw .openSSL("X509_set_issuer_name") }
        guard X509_set_pubkey(x509, subjectKey.pointer) == 1 else { throw .openSSL("X509_set_pubkey") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.pointer ?? x509, x509, nil, nil, 0)
        for (nid, value) in extensions(for: template, selfSigned: issuer == nil) {
            guard let extensionPointer = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw .openSSL("X509V3_EXT_conf_nid(\(String(cString: OBJ_nid2sn(nid))))")
            }
            defer { X509_EXTENSION_free(extensionPointer) }
            guard X509_add_ext(x509, extensionPointer, -1) == 1 else { throw .openSSL("X509_add_ext") }
        }

        guard X509_sign(x509, issuerKey.pointer, EVP_sha256()) > 0 else { throw .openSSL("X509_sign") }
        return certificate
    }

    /// The v3 extensions, in an order that lets the authority key identifier read the subject key identifier.
    private static func extensions(for template: CertificateTemplate, selfSigned: Bool) -> [(Int32, String)] {
        if template.isCertificateAuthority {
            return [
                (NID_basic_constraints, "critical,CA:TRUE"),
                (NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"),
                (NID_subject_key_identifier, "hash"),
            ]
        }
        var result: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
        ]
        if !selfSigned {
            result.append((NID_authority_key_identifier, "keyid:always"))
        }
        let names = template.dnsNames.map { "DNS:\($0)" } + template.ipAddresses.map { "IP:\($0)" }
        if !names.isEmpty {
            result.append((NID_subject_alt_name, names.joined(separator: ",")))
        }
        return result
    }

    private static func addNameEntry(_ name: OpaquePointer, field: String, value: String) throws(CertificateError) {
        let bytes = Array(value.utf8)
        let added = bytes.withUnsafeBufferPointer { buffer in
            X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, buffer.baseAddress, Int32(buffer.count), -1, 0)
        }
        guard added == 1 else { throw .openSSL("X509_NAME_add_entry_by_txt(\(field))") }
    }

    /// A random positive 127-bit serial number (RFC 5280 allows up to 20 octets; the top bits keep it positive
    /// and 16 octets long).
    private static func setRandomSerial(_ x509: OpaquePointer) throws(CertificateError) {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw .openSSL("RAND_bytes") }
        bytes[0] = (bytes[0] & 0x7f) | 0x40
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw .openSSL("BN_bin2bn") }
        defer { BN_free(number) }
        guard let serial = BN_to_ASN1_INTEGER(number, nil) else { throw .openSSL("BN_to_ASN1_INTEGER") }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(x509, serial) == 1 else { throw .openSSL("X509_set_serialNumber") }
    }
}
