import ESJSON
import ESProviders
import Logging

/// The running controllers: informers on ExternalSecrets, managed Secrets, SecretStores and
/// ClusterSecretStores feed two work queues drained by `concurrency` workers each.
///
/// Start it with `run()` (returns when the calling task is cancelled). The admission webhook calls
/// `notifyAdmitted(_:)` for every admitted (non-dry-run) CREATE/UPDATE of an ExternalSecret: the
/// provider read starts at once and the object is reconciled as soon as it can be read.
public final class ExternalSecretsController: Sendable {
    public let externalSecrets: ExternalSecretReconciler
    public let stores: StoreReconciler
    let configuration: ReconcilerConfiguration
    let api: any ClusterAPI
    let metrics: ReconcilerMetrics
    let logger: Logger

    let externalSecretInformer: ResourceInformer
    let managedSecretInformer: ResourceInformer
    let secretStoreInformer: ResourceInformer
    let clusterSecretStoreInformer: ResourceInformer
    let externalSecretQueue: ReconcileQueue<ObjectKey>
    let storeQueue: ReconcileQueue<StoreKey>
    let targets = TargetIndex()
    let admitted = AdmittedKeys()

    struct StoreKey: Hashable, Sendable { var cluster: Bool; var key: ObjectKey }

    public init(api: any ClusterAPI, factory: any ProviderClientFactory, configuration: ReconcilerConfiguration = .init(),
                templating: (any SecretTemplating)? = nil, keyRenderer: KeyTemplateRenderer? = nil,
                metrics: ReconcilerMetrics = .init(), logger: Logger = Logger(label: "controller")) {
        self.api = api
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        let pageSize = configuration.listPageSize
        externalSecretInformer = ResourceInformer(api: api, resource: .externalSecrets, namespace: configuration.namespace,
                                                  pageSize: pageSize, logger: logger)
        managedSecretInformer = ResourceInformer(api: api, resource: .secrets, namespace: configuration.namespace,
                                                 labelSelector: "\(ManagedLabels.managed)=true",
                                                 indexLabel: ManagedLabels.createdBy, pageSize: pageSize,
                                                 transform: CachedSecret.transform, logger: logger)
        secretStoreInformer = ResourceInformer(api: api, resource: .secretStores, namespace: configuration.namespace,
                                               pageSize: pageSize, logger: logger)
        clusterSecretStoreInformer = ResourceInformer(api: api, resource: .clusterSecretStores, namespace: nil,
                                                      pageSize: pageSize, logger: logger)
        externalSecrets = ExternalSecretReconciler(
            api: api, factory: factory, configuration: configuration, templating: templating, keyRenderer: keyRenderer,
            metrics: metrics, externalSecretCache: externalSecretInformer, managedSecretCache: managedSecretInformer,
            storeCache: configuration.enableSecretStoreReconciler ? secretStoreInformer : nil,
            clusterStoreCache: configuration.enableClusterStoreReconciler ? clusterSecretStoreInformer : nil,
            logger: logger)
        stores = StoreReconciler(api: api, factory: factory, configuration: configuration, metrics: metrics, logger: logger)
        externalSecretQueue = ReconcileQueue(onDepthChange: { metrics.queueDepth(controller: "externalsecret", depth: $0) })
        storeQueue = ReconcileQueue(onDepthChange: { metrics.queueDepth(controller: "secretstore", depth: $0) })
    }

    /// Runs informers and workers until the calling task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.externalSecretInformer.run { await self.onExternalSecret($0) } }
            group.addTask { await self.managedSecretInformer.run { await self.onManagedSecret($0) } }
            if configuration.enableSecretStoreReconciler {
                group.addTask { await self.secretStoreInformer.run { await self.onStore($0, cluster: false) } }
            }
            if configuration.enableClusterStoreReconciler {
                group.addTask { await self.clusterSecretStoreInformer.run { await self.onStore($0, cluster: true) } }
            }
            for _ in 0..<max(1, configuration.concurrency) {
                group.addTask { await self.externalSecretWorker() }
                group.addTask { await self.storeWorker() }
            }
            group.addTask {
                // Shut the queues down when cancelled so the workers return.
                while !Task.isCancelled { try? await Task.sleep(nanoseconds: 200_000_000) }
                await self.externalSecretQueue.shutDown()
                await self.storeQueue.shutDown()
            }
            await group.waitForAll()
        }
    }

    /// Sync on admission: called by the webhook with the admitted ExternalSecret (not for dry runs).
    /// The provider reads start at once (their results wait in the coalescer), so when the object's
    /// watch event arrives a moment later the reconcile finds the data ready and writes the Secret. A
    /// fallback look after `admissionFallbackDelay` reads the object directly (retrying briefly) in
    /// case the watch is slow.
    public func notifyAdmitted(_ object: JSON) {
        guard let namespace = object[path: ["metadata", "namespace"]]?.stringValue,
              let name = object[path: ["metadata", "name"]]?.stringValue else { return }
        if let only = configuration.namespace, only != namespace { return }
        let key = ObjectKey(namespace: namespace, name: name)
        Task { await externalSecrets.prefetch(object) }
        Task {
            await admitted.insert(key)
            await externalSecretQueue.add(key, after: Self.admissionFallbackDelay)
        }
    }

    static let admissionFallbackDelay = 0.5

    /// Sync on admission by name only (when the caller has no object).
    public func notifyAdmitted(namespace: String, name: String) {
        notifyAdmitted(["metadata": ["namespace": .string(namespace), "name": .string(name)]])
    }

    // MARK: - Event handlers

    func onExternalSecret(_ change: ResourceInformer.Change) async {
        switch change {
        case .added(let object):
            await index(object)
            await enqueue(object)
        case .updated(let old, let new):
            await index(new)
            let es = ExternalSecretView(json: new)
            await externalSecrets.written.cacheUpdated(ObjectKey(namespace: es.namespace, name: es.name),
                                                       resourceVersion: es.resourceVersion)
            if Self.specOrMetadataChanged(old, new) { await enqueue(new) }
        case .deleted(let object):
            let es = ExternalSecretView(json: object)
            await targets.set(namespace: es.namespace, externalSecret: es.name, target: nil)
            await externalSecrets.written.forget(ObjectKey(namespace: es.namespace, name: es.name))
            await enqueue(object)
        }
    }

    func index(_ object: JSON) async {
        let es = ExternalSecretView(json: object)
        await targets.set(namespace: es.namespace, externalSecret: es.name, target: es.targetName)
    }

    func enqueue(_ object: JSON) async {
        let es = ExternalSecretView(json: object)
        await externalSecretQueue.add(ObjectKey(namespace: es.namespace, name: es.name))
    }

    /// Upstream's update predicate: generation, labels, annotations, finalizers or deletionTimestamp.
    static func specOrMetadataChanged(_ old: JSON, _ new: JSON) -> Bool {
        for field in ["generation", "labels", "annotations", "finalizers", "deletionTimestamp"] {
            if old[path: ["metadata", field]] != new[path: ["metadata", field]] { return true }
        }
        return false
    }

    func onManagedSecret(_ change: ResourceInformer.Change) async {
        let secret: JSON
        switch change {
        case .added(let s), .deleted(let s): secret = s
        case .updated(_, let s): secret = s
        }
        let namespace = secret[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = secret[path: ["metadata", "name"]]?.stringValue ?? ""
        // The ExternalSecret of the same name (the default target) if there is one, plus those whose
        // `spec.target.name` names this Secret. Queuing a same-named ExternalSecret that targets
        // another Secret only costs a cache read.
        if await externalSecretInformer.contains(namespace: namespace, name: name) {
            await externalSecretQueue.add(ObjectKey(namespace: namespace, name: name))
        }
        for es in await targets.externalSecrets(namespace: namespace, secret: name) where es != name {
            await externalSecretQueue.add(ObjectKey(namespace: namespace, name: es))
        }
    }

    func onStore(_ change: ResourceInformer.Change, cluster: Bool) async {
        switch change {
        case .added(let store):
            await storeQueue.add(Self.storeKey(store, cluster: cluster))
        case .updated(let old, let new):
            if old[path: ["metadata", "generation"]] != new[path: ["metadata", "generation"]]
                || old[path: ["metadata", "annotations"]] != new[path: ["metadata", "annotations"]] {
                await storeQueue.add(Self.storeKey(new, cluster: cluster))
            }
            if !StoreAccess.isReady(old), StoreAccess.isReady(new) { await wakeExternalSecrets(using: new, cluster: cluster) }
        case .deleted:
            break
        }
    }

    static func storeKey(_ store: JSON, cluster: Bool) -> StoreKey {
        StoreKey(cluster: cluster, key: ObjectKey(namespace: cluster ? "" : store[path: ["metadata", "namespace"]]?.stringValue ?? "",
                                                  name: store[path: ["metadata", "name"]]?.stringValue ?? ""))
    }

    /// A store just became Ready: ExternalSecrets waiting on it (not Ready) are retried now instead
    /// of after their backoff.
    func wakeExternalSecrets(using store: JSON, cluster: Bool) async {
        let storeName = store[path: ["metadata", "name"]]?.stringValue ?? ""
        let storeNamespace = store[path: ["metadata", "namespace"]]?.stringValue
        await externalSecretInformer.forEachObject { object in
            let es = ExternalSecretView(json: object)
            guard cluster || es.namespace == storeNamespace else { return }
            guard es.allStoreRefs.contains(where: { $0.name == storeName && $0.isCluster == cluster }) else { return }
            if StatusConditions.readyCondition(in: es.conditions)?.status == true { return }
            await externalSecretQueue.add(ObjectKey(namespace: es.namespace, name: es.name))
        }
    }

    // MARK: - Workers

    func externalSecretWorker() async {
        while let key = await externalSecretQueue.next() {
            var wait = await admitted.remove(key)
            if wait, await externalSecretInformer.object(namespace: key.namespace, name: key.name) != nil { wait = false }
            let outcome = await externalSecrets.reconcile(namespace: key.namespace, name: key.name, waitForObject: wait)
            await settle(externalSecretQueue, key, outcome)
        }
    }

    func storeWorker() async {
        while let key = await storeQueue.next() {
            let outcome = await stores.reconcile(namespace: key.cluster ? nil : key.key.namespace, name: key.key.name)
            await settle(storeQueue, key, outcome)
        }
    }

    func settle<Key>(_ queue: ReconcileQueue<Key>, _ key: Key, _ outcome: ReconcileOutcome) async {
        await queue.done(key)
        switch outcome {
        case .done:
            await queue.forget(key)
        case .requeue(let after):
            await queue.forget(key)
            await queue.add(key, after: after)
        case .requeueNow:
            await queue.add(key)
        case .failed(let message):
            // Error texts come from providers and the API server, never from secret values.
            logger.warning("reconcile failed; retrying with backoff", metadata: ["key": "\(key)", "error": "\(message)"])
            await queue.addRateLimited(key)
        }
    }
}

/// Keys queued by sync-on-admission (their first read waits for the object to be stored).
actor AdmittedKeys {
    private var keys: Set<ObjectKey> = []
    func insert(_ key: ObjectKey) { keys.insert(key) }
    func remove(_ key: ObjectKey) -> Bool { keys.remove(key) != nil }
}
