// Where the cert-controller keeps the certificate material.
import ESCertificates

/// Stored material plus the version it was read at (a Secret's resourceVersion; nil for files).
public struct StoredCertificates: Sendable, Equatable {
    public var files: CertificateFiles?
    public var version: String?
    /// Whether the storage object itself exists (a Secret may exist but be empty).
    public var exists: Bool
    /// Material someone else manages (e.g. certificates without ca.key placed in the directory by hand or by
    /// cert-manager): served and checked, never replaced.
    public var externallyManaged: Bool

    public init(files: CertificateFiles?, version: String?, exists: Bool, externallyManaged: Bool = false) {
        self.files = files
        self.version = version
        self.exists = exists
        self.externallyManaged = externallyManaged
    }
}

/// The single source of truth for the certificates: one Secret in a cluster, the cert directory standalone.
public protocol CertificateStorage: Sendable {
    /// A short description for logs ("secret es/external-secrets-webhook").
    var displayName: String { get }
    func load() async throws -> StoredCertificates
    /// Saves `files`; `previous` is what `load` returned, for optimistic concurrency.
    func save(_ files: CertificateFiles, replacing previous: StoredCertificates) async throws
    /// Yields when the stored material may have changed elsewhere (a watch). Finishes on cancellation.
    func changes() -> AsyncStream<Void>
    /// Records what a saved plan changed (Kubernetes Events on the Secret); best effort, never throws.
    func recordChanges(_ steps: [RotationStep]) async
}

extension CertificateStorage {
    /// No change notifications: the periodic check picks changes up.
    public func changes() -> AsyncStream<Void> {
        AsyncStream { _ in }
    }

    /// No events: the log lines are the record.
    public func recordChanges(_ steps: [RotationStep]) async {}
}

/// Standalone storage: the certificate directory itself (with `ca.key`, so rotation can continue). A directory
/// that holds certificates but no `ca.key` is someone else's: it is left alone.
public struct DirectoryCertificateStorage: CertificateStorage {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var displayName: String { "directory \(path)" }

    public func load() async throws -> StoredCertificates {
        let files = try CertificateFiles.readIfPresent(fromDirectory: path)
        return StoredCertificates(files: files, version: nil, exists: files != nil,
                                  externallyManaged: files != nil && files?.caKeyPEM == nil)
    }

    public func save(_ files: CertificateFiles, replacing previous: StoredCertificates) async throws {
        try files.write(toDirectory: path)
    }
}
