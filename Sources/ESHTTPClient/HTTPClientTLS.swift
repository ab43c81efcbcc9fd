/// TLS settings for outbound connections. PEM material is handed to libcurl from memory.
public struct HTTPClientTLS: Sendable, Equatable {
    /// Trusted CA bundle (PEM). When both this and `caFile` are nil the system trust store is used.
    public var caPEM: String?
    /// Path of a trusted CA bundle file (PEM).
    public var caFile: String?
    /// Client certificate (PEM) for mutual TLS.
    public var clientCertificatePEM: String?
    /// Private key (PEM) of `clientCertificatePEM`.
    public var clientKeyPEM: String?
    /// Skips server certificate and host name verification.
    public var insecureSkipVerify: Bool

    public init(caPEM: String? = nil, caFile: String? = nil, clientCertificatePEM: String? = nil,
                clientKeyPEM: String? = nil, insecureSkipVerify: Bool = false) {
        self.caPEM = caPEM
        self.caFile = caFile
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.insecureSkipVerify = insecureSkipVerify
    }
}
