/// The lowest TLS protocol version the server accepts.
public enum TLSMinimumVersion: String, Sendable, CaseIterable {
    case tls12 = "1.2"
    case tls13 = "1.3"
}

/// Server-side TLS settings. Certificates are read from `certDirectory` (`tls.crt` with the chain,
/// `tls.key`, optional `ca.crt`) and re-read whenever those files change.
public struct TLSConfiguration: Sendable {
    public var certDirectory: String
    public var minimumVersion: TLSMinimumVersion
    /// How often the certificate files are checked for changes.
    public var reloadInterval: Duration

    public init(certDirectory: String, minimumVersion: TLSMinimumVersion = .tls12, reloadInterval: Duration = .seconds(1)) {
        self.certDirectory = certDirectory
        self.minimumVersion = minimumVersion
        self.reloadInterval = reloadInterval
    }

    public var certificatePath: String { certDirectory + "/tls.crt" }
    public var privateKeyPath: String { certDirectory + "/tls.key" }
    public var caCertificatePath: String { certDirectory + "/ca.crt" }
}

/// Why a TLS context could not be built; never includes key material.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
