// Readiness of the cert-controller: the served certificate works for every client that trusts a published bundle.
import ESCertificates

/// Ready, or why not.
public struct CertReadiness: Sendable, Equatable, CustomStringConvertible {
    public var isReady: Bool
    public var reason: String

    public init(isReady: Bool, reason: String) {
        self.isReady = isReady
        self.reason = reason
    }

    public var description: String { isReady ? "ready" : "not ready: \(reason)" }

    /// Ready only when `served` (tls.crt + tls.key) is valid at `until` (now + one check interval) for `dnsName` and
    /// chains to every bundle in `bundles`. With `bundles` empty, `served.caCertificatePEM` is the bundle.
    public static func evaluate(
        served: CertificateFiles?, bundles: [InjectedBundle], requireInjection: Bool, dnsName: String?, until: Int64
    ) -> CertReadiness {
        guard let served else {
            return CertReadiness(isReady: false, reason: "no serving certificate in the certificate directory yet")
        }
        guard CertificateVerifier.keyMatches(certificatePEM: served.certificatePEM, keyPEM: served.keyPEM) else {
            return CertReadiness(isReady: false, reason: "tls.key does not match tls.crt")
        }
        if requireInjection && bundles.isEmpty {
            return CertReadiness(isReady: false, reason: "no managed webhook configuration found")
        }
        let targets = bundles.isEmpty
            ? [InjectedBundle(location: "ca.crt", bundlePEM: served.caCertificatePEM)] : bundles
        for target in targets {
            guard let bundle = target.bundlePEM, !bundle.isEmpty else {
                return CertReadiness(isReady: false, reason: "\(target.location) has no caBundle yet")
            }
            do {
                try CertificateVerifier.verify(leafPEM: served.certificatePEM, bundlePEM: bundle, dnsName: dnsName, at: until)
            } catch {
                return CertReadiness(
                    isReady: false,
                    reason: "served certificate against \(target.location) at \(UnixTime.format(until)): \(error.message)")
            }
        }
        return CertReadiness(isReady: true, reason: "serving certificate chains to \(targets.count) bundle(s)")
    }
}
