// What `certs inspect` and the cert-controller need to know about one certificate.

/// The decoded facts of one X.509 certificate.
public struct CertificateInfo: Sendable, Equatable {
    /// RFC 2253 form, e.g. `CN=svc.ns.svc` or `CN=external-secrets-ca@1700000000,O=external-secrets`.
    public var subject: String
    public var issuer: String
    public var dnsNames: [String]
    public var ipAddresses: [String]
    /// Unix seconds.
    public var notBefore: Int64
    public var notAfter: Int64
    /// Upper-case hex, no separators.
    public var serialHex: String
    /// basicConstraints CA:TRUE.
    public var isCA: Bool
    /// Lower-case hex of the subject / authority key identifier, or nil when absent.
    public var subjectKeyIdentifier: String?
    public var authorityKeyIdentifier: String?
    /// "ECDSA P-256", "RSA 2048", ...
    public var publicKeyAlgorithm: String

    public init(
        subject: String, issuer: String, dnsNames: [String], ipAddresses: [String], notBefore: Int64,
        notAfter: Int64, serialHex: String, isCA: Bool, subjectKeyIdentifier: String? = nil,
        authorityKeyIdentifier: String? = nil, publicKeyAlgorithm: String = ""
    ) {
        self.subject = subject
        self.issuer = issuer
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.serialHex = serialHex
        self.isCA = isCA
        self.subjectKeyIdentifier = subjectKeyIdentifier
        self.authorityKeyIdentifier = authorityKeyIdentifier
        self.publicKeyAlgorithm = publicKeyAlgorithm
    }

    /// Whether `time` (Unix seconds) lies within the validity period.
    public func isValid(at time: Int64) -> Bool {
        notBefore <= time && time <= notAfter
    }

    /// Seconds left at `time` (negative once expired).
    public func secondsRemaining(at time: Int64) -> Int64 {
        notAfter - time
    }

    /// Whether the certificate is self-signed by name (subject == issuer).
    public var isSelfIssued: Bool { subject == issuer }
}
