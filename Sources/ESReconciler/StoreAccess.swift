import ESJSON
import ESProviders

/// Resolves the stores one ExternalSecret reads from and builds their clients (one per store for the
/// duration of a reconcile; all closed at the end). Enforces the tenancy rules: a SecretStore is only
/// looked up in the ExternalSecret's own namespace, a ClusterSecretStore only when its conditions
/// allow that namespace, and (flood gate) only Ready stores are used.
actor StoreAccess {
    struct StoreAccessError: Error, CustomStringConvertible {
        var description: String
    }

    let api: any ClusterAPI
    let factory: any ProviderClientFactory
    let coalescer: FetchCoalescer
    let configuration: ReconcilerConfiguration
    let namespace: String
    let storeCache: ResourceInformer?
    let clusterStoreCache: ResourceInformer?
    private var stores: [ExternalSecretView.StoreRef: JSON?] = [:]
    private var clients: [ExternalSecretView.StoreRef: any SecretsClient] = [:]

    init(api: any ClusterAPI, factory: any ProviderClientFactory, coalescer: FetchCoalescer,
         configuration: ReconcilerConfiguration, namespace: String, storeCache: ResourceInformer? = nil,
         clusterStoreCache: ResourceInformer? = nil) {
        self.storeCache = storeCache
        self.clusterStoreCache = clusterStoreCache
        self.api = api
        self.factory = factory
        self.coalescer = coalescer
        self.configuration = configuration
        self.namespace = namespace
    }

    /// The store object, nil when it does not exist. API errors other than NotFound are thrown.
    func store(_ ref: ExternalSecretView.StoreRef) async throws -> JSON? {
        if let cached = stores[ref] { return cached }
        if let cache = ref.isCluster ? clusterStoreCache : storeCache, await cache.hasSynced,
           let object = await cache.object(namespace: ref.isCluster ? nil : namespace, name: ref.name) {
            stores[ref] = .some(object)
            return object
        }
        do {
            let object = ref.isCluster
                ? try await api.get(.clusterSecretStores, namespace: nil, name: ref.name)
                : try await api.get(.secretStores, namespace: namespace, name: ref.name)
            stores[ref] = .some(object)
            return object
        } catch {
            throw StoreAccessError(description: "could not get \(ref.kind) \"\(ref.name)\", \(error)")
        }
    }

    /// True when any referenced store belongs to another controller class (the ES is then skipped).
    func referencesForeignClass(_ refs: [ExternalSecretView.StoreRef]) async throws -> Bool {
        for ref in refs {
            guard let found = try? await store(ref) else { continue }
            let store = found
            if isForeign(store) { return true }
        }
        return false
    }

    func isForeign(_ store: JSON) -> Bool {
        let controller = store[path: ["spec", "controller"]]?.stringValue ?? ""
        return !controller.isEmpty && controller != configuration.controllerClass
    }

    func client(_ ref: ExternalSecretView.StoreRef?) async throws -> any SecretsClient {
        let ref = ref ?? ExternalSecretView.StoreRef(name: "", kind: "SecretStore")
        if let client = clients[ref] { return client }
        guard let store = try await store(ref) else {
            throw StoreAccessError(description: "could not get \(ref.kind) \"\(ref.name)\", "
                + "\(ref.isCluster ? "clustersecretstores" : "secretstores").external-secrets.io \"\(ref.name)\" not found")
        }
        if isForeign(store) { throw StoreAccessError(description: "can not reference unmanaged store") }
        if ref.isCluster {
            let ns = try await api.get(.namespaces, namespace: nil, name: namespace)
            let labels = ExternalSecretView.stringMap(ns?[path: ["metadata", "labels"]])
            if !ClusterStoreConditions.allows(store: store, namespace: namespace, namespaceLabels: labels) {
                throw StoreAccessError(description: ClusterStoreConditions.deniedMessage(store: ref.name, namespace: namespace))
            }
        }
        if configuration.enableFloodGate, !Self.isReady(store) {
            throw StoreAccessError(description: "\(ref.kind) \"\(ref.name)\" is not ready")
        }
        let base = try await factory.makeClient(store: store, namespace: namespace)
        let identity = [ref.kind, ref.isCluster ? "" : namespace, ref.name,
                        store[path: ["metadata", "uid"]]?.stringValue ?? "",
                        store[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""].joined(separator: "/")
        let client = CoalescingSecretsClient(base: base, storeIdentity: identity,
                                             providerName: factory.providerName(store: store) ?? "", coalescer: coalescer)
        clients[ref] = client
        return client
    }

    static func isReady(_ store: JSON) -> Bool {
        (store[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
    }

    func closeAll() async {
        for client in clients.values { await client.close() }
        clients.removeAll()
    }
}
