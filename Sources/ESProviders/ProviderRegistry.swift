import ESJSON

/// Provider types by store key. The reconciler looks up the single key under `spec.provider`.
public struct ProviderRegistry: Sendable {
    private var providers: [String: any SecretsProvider]

    public init(_ providers: [any SecretsProvider] = []) {
        self.providers = [:]
        for p in providers { self.providers[p.name] = p }
    }

    /// The providers this module implements: `fake` and `kubernetes`.
    public static var builtIn: ProviderRegistry {
        ProviderRegistry([FakeProvider(), KubernetesProvider()])
    }

    public mutating func register(_ provider: any SecretsProvider) {
        providers[provider.name] = provider
    }

    public func provider(named name: String) -> (any SecretsProvider)? { providers[name] }

    public var names: [String] { providers.keys.sorted() }

    /// The provider for a store's `spec.provider` object (exactly one key expected).
    public func provider(forProviderSpec spec: JSON?) throws(ProviderError) -> any SecretsProvider {
        guard let object = spec?.objectValue, let key = object.keys.first else {
            throw ProviderError.invalid("store has no provider")
        }
        guard object.count == 1 else {
            throw ProviderError.invalid("store must only have exactly one backend specified, found \(object.count)")
        }
        guard let provider = providers[key] else {
            throw ProviderError.invalid("failed to find registered store backend for type: \(key)")
        }
        return provider
    }
}
