import ESAPI
import ESKube

/// A provider type (one key under a store's `spec.provider`).
public protocol SecretsProvider: Sendable {
    /// The store key: "aws", "fake", "kubernetes".
    var name: String { get }
    /// What stores of this provider can do; written to the store's `status.capabilities`.
    var capabilities: StoreCapabilities { get }
    /// False for providers upstream marks as not maintained (the store controller then warns).
    var isMaintained: Bool { get }
    /// Builds a client for `store`. `namespace` is the namespace of the object being reconciled (the
    /// ExternalSecret's namespace; "" when validating a ClusterSecretStore). Credentials referenced
    /// by a namespaced SecretStore must be read from `store`'s own namespace only; a
    /// ClusterSecretStore reads them from the namespace given in the reference.
    func newClient(store: SecretStore, namespace: String, kube: KubeClient) async throws -> any SecretsClient
}

extension SecretsProvider {
    public var capabilities: StoreCapabilities { .readOnly }
    public var isMaintained: Bool { true }
}
