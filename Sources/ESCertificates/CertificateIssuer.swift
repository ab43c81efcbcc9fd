// Issues the webhook's self-signed CA and the serving certificates it signs.

/// Generates certificate authorities and serving certificates with OpenSSL.
public enum CertificateIssuer {
    /// Common name prefix of generated CAs; each CA gets `@<unix time>` appended so that CAs
    /// overlapping during rotation have distinct subjects (client-go's `<name>-ca@<time>` convention).
    public static let caCommonNamePrefix = "external-secrets"
    public static let organization = "external-secrets"
    /// Every certificate is backdated by this much to tolerate clock skew.
    public static let backdateSeconds: Int64 = 3600

    /// A new self-signed CA plus a serving certificate signed by it.
    public static func issue(
        dnsNames: [String], ipAddresses: [String], keyAlgorithm: KeyAlgorithm = .ecdsaP256,
        caValidity: Duration, certificateValidity: Duration, now: Int64 = UnixTime.now()
    ) throws(CertificateError) -> CertificateFiles {
        let ca = try issueCertificateAuthority(keyAlgorithm: keyAlgorithm, validity: caValidity, now: now)
        let serving = try issueServingCertificate(
            ca: ca.certificatePEM, caKey: ca.keyPEM, dnsNames: dnsNames, ipAddresses: ipAddresses,
            keyAlgorithm: keyAlgorithm, validity: certificateValidity, now: now)
        return CertificateFiles(
            caCertificatePEM: ca.certificatePEM, caKeyPEM: ca.keyPEM,
            certificatePEM: serving.certificatePEM, keyPEM: serving.keyPEM)
    }

    /// A new self-signed CA: basicConstraints CA:TRUE (critical), keyUsage keyCertSign|cRLSign|digitalSignature,
    /// subject key identifier; valid from `now - 1h` to `now + validity`.
    public static func issueCertificateAuthority(
        keyAlgorithm: KeyAlgorithm = .ecdsaP256, validity: Duration, now: Int64 = UnixTime.now()
    ) throws(CertificateError) -> IssuedCertificate {
        let seconds = try checkedSeconds(validity, name: "CA validity")
        let key = try PrivateKey.generate(keyAlgorithm)
        let template = CertificateTemplate(
            commonName: "\(caCommonNamePrefix)-ca@\(now)", organization: organization,
            isCertificateAuthority: true, notBefore: now - backdateSeconds, notAfter: now + seconds)
        let certificate = try CertificateBuilder.build(template, subjectKey: key, issuer: nil, issuerKey: key)
        return IssuedCertificate(certificatePEM: try certificate.pem(), keyPEM: try key.pem())
    }

    /// A serving certificate signed by an existing CA: SANs `dnsNames` + `ipAddresses`, CN the first name,
    /// keyUsage digitalSignature|keyEncipherment, extendedKeyUsage serverAuth, CA:FALSE, SKI/AKI.
    /// Valid from `now - 1h` (never before the CA) to `now + validity` (never after the CA).
    public static func issueServingCertificate(
        ca caCertificatePEM: String, caKey caKeyPEM: String, dnsNames: [String], ipAddresses: [String],
        keyAlgorithm: KeyAlgorithm = .ecdsaP256, validity: Duration, now: Int64 = UnixTime.now()
    ) throws(CertificateError) -> IssuedCertificate {
        let seconds = try checkedSeconds(validity, name: "certificate validity")
        guard let commonName = dnsNames.first ?? ipAddresses.first else {
            throw CertificateError("a serving certificate needs at least one DNS name or IP address")
        }
        for name in dnsNames { try SubjectNameValidation.checkDNSName(name) }
        for address in ipAddresses { try SubjectNameValidation.checkIPAddress(address) }

        let caCertificate = try X509Certificate.parseFirst(pem: caCertificatePEM)
        let caKey = try PrivateKey.parse(pem: caKeyPEM)
        guard caCertificate.matches(caKey) else {
            throw CertificateError("the CA key does not match the CA certificate")
        }
        let caInfo = try CertificateInspector.info(of: caCertificate)
        guard caInfo.isCA else { throw CertificateError("the issuing certificate is not a CA") }

        let key = try PrivateKey.generate(keyAlgorithm)
        let template = CertificateTemplate(
            commonName: commonName, organization: nil, dnsNames: dnsNames, ipAddresses: ipAddresses,
            isCertificateAuthority: false,
            notBefore: max(now - backdateSeconds, caInfo.notBefore),
            notAfter: min(now + seconds, caInfo.notAfter))
        let certificate = try CertificateBuilder.build(template, subjectKey: key, issuer: caCertificate, issuerKey: caKey)
        return IssuedCertificate(certificatePEM: try certificate.pem(), keyPEM: try key.pem())
    }

    private static func checkedSeconds(_ validity: Duration, name: String) throws(CertificateError) -> Int64 {
        let seconds = UnixTime.seconds(validity)
        guard seconds >= 1, seconds <= 100 * 366 * 24 * 3600 else {
            throw CertificateError("\(name) must be between 1s and 100 years")
        }
        return seconds
    }
}
