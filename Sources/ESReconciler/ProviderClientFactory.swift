import ESJSON
import ESProviders

/// Builds a provider client for a store object. The production factory decodes the store and asks
/// the provider registry; tests can build clients directly.
public protocol ProviderClientFactory: Sendable {
    /// `store` is the SecretStore/ClusterSecretStore JSON; `namespace` the namespace of the
    /// ExternalSecret being reconciled ("" when the store itself is validated).
    func makeClient(store: JSON, namespace: String) async throws -> any SecretsClient
    /// The provider key of `store` ("fake", "aws", ...), nil when it has none.
    func providerName(store: JSON) -> String?
    func capabilities(store: JSON) -> StoreCapabilities
    func isMaintained(store: JSON) -> Bool
}

extension ProviderClientFactory {
    public func providerName(store: JSON) -> String? { store[path: ["spec", "provider"]]?.objectValue?.keys.first }
    public func capabilities(store: JSON) -> StoreCapabilities { .readOnly }
    public func isMaintained(store: JSON) -> Bool { true }
}
