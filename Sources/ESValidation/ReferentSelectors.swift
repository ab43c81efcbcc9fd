import ESAPI

/// Upstream's selector rules (`runtime/esutils`): which namespaces a store may point a Secret or
/// ServiceAccount reference at.
enum ReferentSelectors {
    static let namespaceNotAllowed =
        "namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore"

    /// Referent rule: a SecretStore may only name its own namespace; a ClusterSecretStore anything.
    static func referent(_ store: SecretStore, namespace: String?) -> String? {
        guard store.kind == .secretStore, let namespace, namespace != store.metadata.namespace else { return nil }
        return namespaceNotAllowed
    }

    static func referent(_ store: SecretStore, _ ref: SecretKeySelector?) -> String? {
        referent(store, namespace: ref?.namespace)
    }

    static func referent(_ store: SecretStore, _ ref: ServiceAccountSelector?) -> String? {
        referent(store, namespace: ref?.namespace)
    }

    /// Strict rule: as referent, and a ClusterSecretStore must name the namespace.
    static func strict(_ store: SecretStore, _ ref: SecretKeySelector?) -> String? {
        if store.kind == .clusterSecretStore {
            return ref?.namespace == nil ? "cluster scope requires namespace" : nil
        }
        return referent(store, ref)
    }
}
