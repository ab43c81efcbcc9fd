// The four PEM files of the webhook's certificate directory.

/// The webhook's certificate material: `ca.crt` (one or more CA certificates: the trust bundle),
/// `ca.key` (the signing CA's key, absent when read from a Secret volume), `tls.crt`, `tls.key`.
public struct CertificateFiles: Sendable, Equatable {
    public static let caCertificateFileName = "ca.crt"
    public static let caKeyFileName = "ca.key"
    public static let certificateFileName = "tls.crt"
    public static let keyFileName = "tls.key"

    public var caCertificatePEM: String
    public var caKeyPEM: String?
    public var certificatePEM: String
    public var keyPEM: String

    public init(caCertificatePEM: String, caKeyPEM: String?, certificatePEM: String, keyPEM: String) {
        self.caCertificatePEM = caCertificatePEM
        self.caKeyPEM = caKeyPEM
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }

    /// Reads `ca.crt`, `ca.key` (optional), `tls.crt` and `tls.key` from one consistent snapshot of `directory`
    /// (through its `..data` link when it has the kubelet/`write` layout). Throws when a required file is missing.
    public static func read(fromDirectory directory: String) throws(CertificateError) -> CertificateFiles {
        guard let files = try readIfPresent(fromDirectory: directory) else {
            throw CertificateError("\(directory): missing \(certificateFileName), \(keyFileName) or \(caCertificateFileName)")
        }
        return files
    }

    /// Like `read`, but nil when any of `ca.crt`, `tls.crt`, `tls.key` does not exist.
    public static func readIfPresent(fromDirectory directory: String) throws(CertificateError) -> CertificateFiles? {
        try AtomicCertificateDirectory(path: directory).read()
    }

    /// Writes the files into `directory` (created if needed) as one atomic switch: the files go into a fresh
    /// hidden directory, then the `..data` symlink is renamed onto it (the layout kubelet uses for Secret
    /// volumes), so a reader never sees a new `tls.crt` with an old `tls.key`. Keys are mode 0600.
    public func write(toDirectory directory: String) throws(CertificateError) {
        try AtomicCertificateDirectory(path: directory).write(self)
    }
}
