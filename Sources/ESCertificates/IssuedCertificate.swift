// A certificate and its private key, both PEM.

/// One certificate with its private key, as PEM text.
public struct IssuedCertificate: Sendable, Equatable {
    public var certificatePEM: String
    public var keyPEM: String

    public init(certificatePEM: String, keyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}
