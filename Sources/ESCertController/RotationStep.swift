// What one planning round decided, for logs, events and tests.
import ESCertificates

/// One change (or deliberate non-change) made by `RotationPlanner`.
public enum RotationStep: Sendable, Equatable, CustomStringConvertible {
    /// Nothing usable was stored: a new CA and serving certificate were issued together.
    case issuedNewCAAndCertificate(reason: String)
    /// A new CA was added to the bundle (its key becomes the signing key); the old one stays until retired.
    case addedNewCA(reason: String)
    /// A new serving certificate was issued from the current signing CA.
    case reissuedCertificate(reason: String)
    /// The serving certificate was waiting for the new CA to reach every bundle and was not yet re-issued.
    case waitingForBundlePropagation
    /// A CA that no live serving certificate can chain to any more left the bundle.
    case retiredCA(subject: String)

    public var description: String {
        switch self {
        case .issuedNewCAAndCertificate(let reason): "issued a new CA and serving certificate: \(reason)"
        case .addedNewCA(let reason): "added a new CA to the bundle: \(reason)"
        case .reissuedCertificate(let reason): "re-issued the serving certificate: \(reason)"
        case .waitingForBundlePropagation: "waiting for the new CA to reach every injected bundle"
        case .retiredCA(let subject): "removed CA \(subject) from the bundle"
        }
    }

    /// Whether the step changed the stored material.
    public var changesMaterial: Bool {
        if case .waitingForBundlePropagation = self { return false }
        return true
    }
}

/// The outcome of one planning round: the material to store and why.
public struct RotationPlan: Sendable, Equatable {
    public var files: CertificateFiles
    public var steps: [RotationStep]
    /// Whether a `RotationRequest` passed to the planner was carried out (everything new counts).
    public var honoredRequest: Bool = false

    public var changed: Bool { steps.contains { $0.changesMaterial } }
}

/// An early rotation asked for by an operator or a test (`CertController.requestRotation`).
public enum RotationRequest: Sendable, Equatable {
    /// A new serving certificate from the current CA.
    case certificate
    /// A new CA, with the same overlapping hand-over as an expiry-driven rotation.
    case certificateAuthority
}

/// Running totals of rotation steps, for tests, benchmarks and metrics.
public struct RotationCounts: Sendable, Equatable {
    public var fullIssues = 0
    public var newCAs = 0
    public var reissuedCertificates = 0
    public var retiredCAs = 0

    public init() {}

    mutating func record(_ steps: [RotationStep]) {
        for step in steps {
            switch step {
            case .issuedNewCAAndCertificate: fullIssues += 1
            case .addedNewCA: newCAs += 1
            case .reissuedCertificate: reissuedCertificates += 1
            case .retiredCA: retiredCAs += 1
            case .waitingForBundlePropagation: break
            }
        }
    }
}
