// What certificates the cert-controller keeps and when it renews them.
import ESCertificates

/// Names, key type and lifetimes of the managed certificates.
public struct RotationPolicy: Sendable, Equatable {
    /// SANs of the serving certificate; the first DNS name is the one chain checks use.
    public var dnsNames: [String]
    public var ipAddresses: [String]
    public var keyAlgorithm: KeyAlgorithm
    /// Lifetime of a new CA (`--ca-validity`); renewed when less than a third is left.
    public var caValidity: Duration
    /// Lifetime of a new serving certificate (`--cert-validity`); renewed when less than a third is left.
    public var certificateValidity: Duration
    /// How long a new CA must have been in the bundle before serving certificates are issued from it, so that
    /// clients that re-read the bundle have seen it (at least the check interval).
    public var minimumCAOverlap: Duration

    public init(
        dnsNames: [String], ipAddresses: [String] = [], keyAlgorithm: KeyAlgorithm = .ecdsaP256,
        caValidity: Duration = .seconds(365 * 86400), certificateValidity: Duration = .seconds(30 * 86400),
        minimumCAOverlap: Duration = .seconds(60)
    ) {
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.keyAlgorithm = keyAlgorithm
        self.caValidity = caValidity
        self.certificateValidity = certificateValidity
        self.minimumCAOverlap = minimumCAOverlap
    }

    /// The name chain checks verify against.
    public var primaryName: String? { dnsNames.first }

    var caValiditySeconds: Int64 { max(1, UnixTime.seconds(caValidity)) }
    var certificateValiditySeconds: Int64 { max(1, UnixTime.seconds(certificateValidity)) }
    /// Renew the CA once fewer seconds than this are left.
    var caRenewalThreshold: Int64 { caValiditySeconds / 3 }
    /// Renew the serving certificate once fewer seconds than this are left.
    var certificateRenewalThreshold: Int64 { certificateValiditySeconds / 3 }
}
