import ESAPI
import ESJSON
import ESKube
import ESProviders

/// The production `ProviderClientFactory`: decodes the store with ESAPI, picks the provider by its
/// `spec.provider` key from the registry and lets it build the client with the cluster client.
public struct RegistryClientFactory: ProviderClientFactory {
    public let registry: ProviderRegistry
    public let kube: KubeClient

    public init(registry: ProviderRegistry, kube: KubeClient) {
        self.registry = registry
        self.kube = kube
    }

    public func makeClient(store: JSON, namespace: String) async throws -> any SecretsClient {
        let provider = try registry.provider(forProviderSpec: store[path: ["spec", "provider"]])
        let typed: SecretStore
        do {
            typed = try SecretStore(json: store)
        } catch {
            throw ProviderError.invalid("\(error)")
        }
        return try await provider.newClient(store: typed, namespace: namespace, kube: kube)
    }

    public func capabilities(store: JSON) -> StoreCapabilities {
        (try? registry.provider(forProviderSpec: store[path: ["spec", "provider"]]))?.capabilities ?? .readOnly
    }

    public func isMaintained(store: JSON) -> Bool {
        (try? registry.provider(forProviderSpec: store[path: ["spec", "provider"]]))?.isMaintained ?? true
    }
}
