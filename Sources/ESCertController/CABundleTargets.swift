// Where the CA bundle is published (webhook configurations, CRD conversion webhooks).

/// One place a CA bundle is injected into, with what it currently holds.
public struct InjectedBundle: Sendable, Equatable {
    /// e.g. "validatingwebhookconfiguration external-secrets-webhook, webhook validate.externalsecret.external-secrets.io"
    public var location: String
    /// The PEM currently there; nil when empty.
    public var bundlePEM: String?

    public init(location: String, bundlePEM: String?) {
        self.location = location
        self.bundlePEM = bundlePEM
    }
}

/// The consumers of the CA bundle that the cert-controller keeps up to date.
public protocol CABundleTargets: Sendable {
    /// Every managed injection point. Throws when a configured target cannot be read.
    func currentBundles() async throws -> [InjectedBundle]
    /// Sets `bundlePEM` everywhere it differs; returns how many injection points changed.
    func inject(_ bundlePEM: String) async throws -> Int
    /// Yields whenever a target may have changed (e.g. someone overwrote a caBundle). Finishes on cancellation.
    func changes() -> AsyncStream<Void>
}
