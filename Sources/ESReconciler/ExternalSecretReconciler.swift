import ESJSON
import ESProviders
import Logging


/// One ExternalSecret → Secret sync, step by step as upstream (§4.2). The one rule above all: only a
/// provider's explicit not-found may lead to a Secret being deleted or emptied; every other failure
/// leaves the Secret exactly as it is, records the failure in the status and backs off.
public final class ExternalSecretReconciler: Sendable {
    public static let controllerName = "externalsecret"
    static let eventComponent = "external-secrets"

    let api: any ClusterAPI
    let factory: any ProviderClientFactory
    let templating: (any SecretTemplating)?
    let fetcher: ProviderDataFetcher
    let configuration: ReconcilerConfiguration
    let coalescer: FetchCoalescer
    let metrics: ReconcilerMetrics
    let logger: Logger
    /// Informer caches (ExternalSecrets; Secrets labelled managed=true). Without them every read is a GET.
    let externalSecretCache: ResourceInformer?
    let managedSecretCache: ResourceInformer?
    /// Store informers (a cache miss falls back to a GET, so a store created a moment ago is found).
    let storeCache: ResourceInformer?
    let clusterStoreCache: ResourceInformer?
    let clock: @Sendable () -> Int64
    /// Objects this reconciler wrote whose watch event may not have reached the cache yet.
    let written = WrittenObjects()

    public init(api: any ClusterAPI, factory: any ProviderClientFactory, configuration: ReconcilerConfiguration = .init(),
                templating: (any SecretTemplating)? = nil, keyRenderer: KeyTemplateRenderer? = nil,
                coalescer: FetchCoalescer? = nil, metrics: ReconcilerMetrics = .init(),
                externalSecretCache: ResourceInformer? = nil, managedSecretCache: ResourceInformer? = nil,
                storeCache: ResourceInformer? = nil, clusterStoreCache: ResourceInformer? = nil,
                logger: Logger = Logger(label: "externalsecret"),
                clock: @escaping @Sendable () -> Int64 = { RFC3339Time.nowSeconds() }) {
        self.api = api
        self.factory = factory
        self.configuration = configuration
        self.templating = templating
        self.fetcher = ProviderDataFetcher(renderer: keyRenderer)
        self.coalescer = coalescer ?? FetchCoalescer(window: configuration.coalescingWindow,
                                                      onProviderCall: { metrics.providerCall(provider: $0, call: $1, success: $2) })
        self.metrics = metrics
        self.externalSecretCache = externalSecretCache
        self.managedSecretCache = managedSecretCache
        self.storeCache = storeCache
        self.clusterStoreCache = clusterStoreCache
        self.logger = logger
        self.clock = clock
    }

    /// Reconciles `namespace/name`. `waitForObject`: keep trying to read an ExternalSecret that was
    /// just admitted and may not be stored yet (sync on admission).
    public func reconcile(namespace: String, name: String, waitForObject: Bool = false) async -> ReconcileOutcome {
        let started = Self.monotonic()
        metrics.syncCall(name: name, namespace: namespace)
        let outcome = await reconcileOnce(namespace: namespace, name: name, waitForObject: waitForObject)
        let elapsed = Self.monotonic() - started
        metrics.reconcileDuration(name: name, namespace: namespace, seconds: elapsed)
        metrics.reconcileResult(controller: Self.controllerName, result: outcome.metricResult, seconds: elapsed)
        if case .failed = outcome { metrics.syncError(name: name, namespace: namespace) }
        return outcome
    }

    /// Warms the provider-read coalescer for an admitted (possibly not yet stored) ExternalSecret,
    /// using the same store-access rules as a reconcile. Errors are ignored: the reconcile reports them.
    public func prefetch(_ object: JSON) async {
        let es = ExternalSecretView(json: object)
        guard !es.namespace.isEmpty, es.manifest == nil else { return }
        let access = makeStoreAccess(namespace: es.namespace)
        _ = try? await fetcher.fetch(es, clients: { try await access.client($0) }, events: { _, _ in })
        await access.closeAll()
    }

    func makeStoreAccess(namespace: String) -> StoreAccess {
        StoreAccess(api: api, factory: factory, coalescer: coalescer, configuration: configuration, namespace: namespace,
                    storeCache: storeCache, clusterStoreCache: clusterStoreCache)
    }

    // MARK: - The steps

    func reconcileOnce(namespace: String, name: String, waitForObject: Bool) async -> ReconcileOutcome {
        // 2: read the ExternalSecret.
        let object: JSON
        do {
            guard let found = try await readExternalSecret(namespace: namespace, name: name, waitForObject: waitForObject) else {
                metrics.clearStatusCondition(name: name, namespace: namespace)
                return .done
            }
            object = found
        } catch {
            return .failed("\(error)")
        }
        var es = ExternalSecretView(json: object)

        // 3: deletion.
        if es.isBeingDeleted { return await cleanUp(es) }

        // 4: finalizer (merge patch, not update, to avoid owning spec fields).
        if !es.finalizers.contains(ManagedLabels.finalizer) {
            let patch: JSON = ["metadata": ["finalizers": .array((es.finalizers + [ManagedLabels.finalizer]).map { .string($0) }),
                                            "resourceVersion": .string(es.resourceVersion)]]
            do {
                es = ExternalSecretView(json: try await api.mergePatch(.externalSecrets, namespace: namespace, name: name,
                                                                      patch, fieldManager: nil))
            } catch let error as ClusterAPIError where error.isConflict {
                return .requeueNow
            } catch let error as ClusterAPIError where error.isNotFound {
                return .done
            } catch {
                return .failed("\(error)")
            }
        }

        // 5: cluster-store reconciler disabled.
        if es.storeRef?.isCluster == true, !configuration.enableClusterStoreReconciler { return .done }

        let access = makeStoreAccess(namespace: namespace)
        let outcome = await sync(es, access: access)
        await access.closeAll()
        return outcome
    }

    func readExternalSecret(namespace: String, name: String, waitForObject: Bool) async throws -> JSON? {
        if !waitForObject, let cache = externalSecretCache, await cache.hasSynced {
            if let cached = await cache.object(namespace: namespace, name: name) {
                return await written.newest(ObjectKey(namespace: namespace, name: name), cached: cached)
            }
        }
        let deadline = Self.monotonic() + (waitForObject ? configuration.admissionReadTimeout : 0)
        var delay: UInt64 = 5_000_000
        while true {
            if let found = try await api.get(.externalSecrets, namespace: namespace, name: name) { return found }
            if Self.monotonic() >= deadline { return nil }
            try? await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 200_000_000)
        }
    }

    /// What is known about the target Secret before writing.
    enum TargetState {
        /// Read from the API server: complete.
        case present(JSON)
        /// From the managed-Secret cache, in `CachedSecret` form (metadata only).
        case cached(JSON)
        case absent
        /// Not in the managed-Secret cache: absent, or present without our label.
        case notManaged
    }

    func sync(_ es: ExternalSecretView, access: StoreAccess) async -> ReconcileOutcome {
        var status = StatusDraft(es)
        let now = clock()

        // 6: controller class.
        if (try? await access.referencesForeignClass(es.allStoreRefs)) == true { return .done }

        // 7: generic targets are not enabled in this controller.
        if es.manifest != nil {
            return await finish(es, status: status.failed(SyncCondition.genericTargetError, now: now),
                                warning: "generic targets are disabled. Enable with --unsafe-allow-generic-targets flag",
                                outcome: .done)
        }

        // 8/9: the target Secret.
        var target: TargetState
        do {
            target = try await readTarget(es)
        } catch {
            return .failed("\(error)")
        }
        if let secret = target.object,
           secret[path: ["metadata", "labels", ManagedLabels.managed]]?.stringValue != "true" {
            let patch: JSON = ["metadata": ["labels": [.init(stringLiteral: ManagedLabels.managed): "true"]]]
            do {
                _ = try await api.mergePatch(.secrets, namespace: es.namespace, name: es.targetName, patch,
                                             fieldManager: FieldManager.name(forExternalSecret: es.name))
            } catch let error as ClusterAPIError where error.isNotFound || error.isConflict {
                return .requeueNow
            } catch {
                return .failed("\(error)")
            }
            return .requeueNow
        }

        // 10: nothing to do.
        let valid: Bool
        if es.creationPolicy == .orphan {
            valid = true
        } else if case .present(let secret) = target {
            valid = SecretData.isValidManaged(secret)
        } else if case .cached(let secret) = target {
            valid = CachedSecret.isValidManaged(secret)
        } else {
            valid = false
        }
        if !RefreshDecision.shouldRefresh(es, now: now), valid {
            return requeueResult(es, now: now)
        }

        // 12: provider data. Any failure: the Secret is left untouched.
        let data: [String: [UInt8]]
        do {
            data = try await fetcher.fetch(es, clients: { try await access.client($0) }, events: { [api] reason, message in
                await api.recordEvent(about: es.json, type: "Normal", reason: reason, message: message,
                                      component: Self.eventComponent)
            })
        } catch {
            return await finish(es, status: status.failed(SyncCondition.providerError, now: now), warning: error.message,
                                outcome: .failed(error.message))
        }

        // 13: no data at all.
        if data.isEmpty {
            switch es.deletionPolicy {
            case .retain:
                return await finish(es, status: status.done(.retained, now: now), outcome: requeueResult(es, now: now))
            case .delete:
                return await deleteForEmptyData(es, target: target, status: &status, now: now)
            case .merge:
                break
            }
        }

        // 14: creationPolicy.
        switch es.creationPolicy {
        case .none:
            return await finish(es, status: status.done(.synced, now: now), outcome: requeueResult(es, now: now))
        case .merge:
            if case .notManaged = target {
                do { target = try await getTarget(es) } catch { return .failed("\(error)") }
            }
            guard target.object != nil else {
                return await finish(es, status: status.done(.mergeTargetMissing, now: now), outcome: requeueResult(es, now: now))
            }
        case .owner:
            if let failure = await deleteOrphanedSecrets(es) {
                return await finish(es, status: status.failed(SyncCondition.orphanCleanupError, now: now), warning: failure,
                                    outcome: .failed(failure))
            }
        case .orphan, .createOrMerge:
            break
        }
        return await write(es, data: data, target: target, status: &status, now: now)
    }

    // MARK: - Writing the Secret

    func write(_ es: ExternalSecretView, data: [String: [UInt8]], target: TargetState,
               status: inout StatusDraft, now: Int64) async -> ReconcileOutcome {
        var existing: JSON? = nil
        switch target {
        case .present(let secret):
            existing = secret
        case .cached:
            // The cached form has no data and no managedFields (the keys this ExternalSecret owns):
            // the Secret we write is computed from a complete copy.
            do {
                existing = try await api.get(.secrets, namespace: es.namespace, name: es.targetName)
            } catch {
                return .failed("\(error)")
            }
            if existing == nil, es.creationPolicy == .merge { return .requeueNow }
        case .absent, .notManaged:
            break
        }
        var attempts = 0
        while true {
            attempts += 1
            do {
                let written = try await createOrUpdate(es, data: data, existing: existing)
                status.setBinding(es.targetName)
                if let (reason, message) = written {
                    await api.recordEvent(about: es.json, type: "Normal", reason: reason, message: message,
                                          component: Self.eventComponent)
                }
                return await finish(es, status: status.done(.synced, now: now), outcome: requeueResult(es, now: now))
            } catch let error as ClusterAPIError where error.isAlreadyExists && attempts < 3 {
                do {
                    existing = try await api.get(.secrets, namespace: es.namespace, name: es.targetName)
                } catch {
                    return .failed("\(error)")
                }
                continue
            } catch let error as ClusterAPIError where error.isConflict {
                return .requeueNow
            } catch let error as SecretMutation.Failure {
                switch error {
                case .ownedByAnotherExternalSecret:
                    return await finish(es, status: status.failed(SyncCondition.ownedByOtherError, now: now),
                                        warning: error.description, outcome: .done)
                case .ownership:
                    return await finish(es, status: status.failed(SyncCondition.ownershipError, now: now),
                                        warning: error.description, outcome: .done)
                case .template(let message):
                    let text = "could not apply template: \(message)"
                    return await finish(es, status: status.failed(SyncCondition.updateError, now: now), warning: text,
                                        outcome: .failed(text))
                }
            } catch is ImmutableSecretError {
                return await finish(es, status: status.failed(SyncCondition.immutableError, now: now),
                                    warning: "unable to update secret \(es.targetName): secret is immutable", outcome: .done)
            } catch {
                return await finish(es, status: status.failed(SyncCondition.updateError, now: now), warning: "\(error)",
                                    outcome: .failed("\(error)"))
            }
        }
    }

    struct ImmutableSecretError: Error {}

    /// Creates or updates the target; returns the event to record (nil when nothing was written).
    func createOrUpdate(_ es: ExternalSecretView, data: [String: [UInt8]], existing: JSON?) async throws -> (String, String)? {
        let manager = FieldManager.name(forExternalSecret: es.name)
        let desired = try await SecretMutation.desiredSecret(existing: existing, externalSecret: es, data: data,
                                                             templating: templating)
        guard let existing else {
            _ = try await api.create(.secrets, namespace: es.namespace, desired, fieldManager: manager)
            return ("Created", "secret created")
        }
        guard SecretMutation.differs(desired, existing) else { return nil }
        if existing["immutable"]?.boolValue == true, SecretMutation.dataOrTypeDiffers(desired, existing) {
            throw ImmutableSecretError()
        }
        _ = try await api.update(.secrets, namespace: es.namespace, desired, fieldManager: manager)
        return ("Updated", "secret updated")
    }

    func deleteForEmptyData(_ es: ExternalSecretView, target: TargetState, status: inout StatusDraft,
                            now: Int64) async -> ReconcileOutcome {
        guard es.creationPolicy == .owner else {
            let text = "unable to delete secret \(es.targetName): creationPolicy=\(es.creationPolicyRaw) is not Owner"
            return await finish(es, status: status.failed(SyncCondition.deleteError, now: now), warning: text, outcome: .done)
        }
        var secret: JSON? = nil
        switch target {
        case .present(let s), .cached(let s): secret = s
        case .absent: secret = nil
        case .notManaged:
            do {
                if case .present(let s) = try await getTarget(es) { secret = s }
            } catch {
                return .failed("\(error)")
            }
        }
        if let secret, Self.belongs(secret, to: es) {
            do {
                try await api.delete(.secrets, namespace: es.namespace, name: es.targetName,
                                     preconditionUID: secret[path: ["metadata", "uid"]]?.stringValue)
                await api.recordEvent(about: es.json, type: "Normal", reason: "Deleted",
                                      message: "secret deleted due to DeletionPolicy=Delete", component: Self.eventComponent)
            } catch let error as ClusterAPIError where error.isNotFound {
                // Already gone.
            } catch {
                return await finish(es, status: status.failed(SyncCondition.deleteError, now: now), warning: "\(error)",
                                    outcome: .failed("\(error)"))
            }
        }
        return await finish(es, status: status.done(.deleted, now: now), outcome: requeueResult(es, now: now))
    }

    /// A Secret this ExternalSecret created: controlled by it, or labelled created-by with its hash.
    static func belongs(_ secret: JSON, to es: ExternalSecretView) -> Bool {
        let owners = secret[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
        if owners.contains(where: { $0["controller"]?.boolValue == true && $0["uid"]?.stringValue == es.uid && !es.uid.isEmpty }) {
            return true
        }
        return secret[path: ["metadata", "labels", ManagedLabels.createdBy]]?.stringValue
            == ObjectHash.ofString(es.namespace + "/" + es.name)
    }

    /// Owner: Secrets labelled created-by this ExternalSecret under another name are deleted.
    /// Returns the error text on failure.
    func deleteOrphanedSecrets(_ es: ExternalSecretView) async -> String? {
        let hash = ObjectHash.ofString(es.namespace + "/" + es.name)
        var candidates: [JSON]
        if let cache = managedSecretCache, await cache.hasSynced {
            candidates = await cache.objects(namespace: es.namespace, label: hash)
        } else {
            do {
                candidates = try await api.list(.secrets, namespace: es.namespace,
                                                labelSelector: "\(ManagedLabels.createdBy)=\(hash)").items
            } catch {
                return "\(error)"
            }
        }
        for secret in candidates {
            guard let name = secret[path: ["metadata", "name"]]?.stringValue, name != es.targetName else { continue }
            do {
                try await api.delete(.secrets, namespace: es.namespace, name: name,
                                     preconditionUID: secret[path: ["metadata", "uid"]]?.stringValue)
                await api.recordEvent(about: es.json, type: "Normal", reason: "Deleted",
                                      message: "secret deleted because it was orphaned", component: Self.eventComponent)
            } catch let error as ClusterAPIError where error.isNotFound {
                continue
            } catch {
                return "\(error)"
            }
        }
        return nil
    }

    func readTarget(_ es: ExternalSecretView) async throws -> TargetState {
        if let cache = managedSecretCache, await cache.hasSynced {
            if let secret = await cache.object(namespace: es.namespace, name: es.targetName) { return .cached(secret) }
            return .notManaged
        }
        return try await getTarget(es)
    }

    func getTarget(_ es: ExternalSecretView) async throws -> TargetState {
        if let secret = try await api.get(.secrets, namespace: es.namespace, name: es.targetName) { return .present(secret) }
        return .absent
    }

    // MARK: - Deletion of the ExternalSecret (§4.8)

    func cleanUp(_ es: ExternalSecretView) async -> ReconcileOutcome {
        if es.deletionPolicy == .delete {
            do {
                if let secret = try await api.get(.secrets, namespace: es.namespace, name: es.targetName),
                   (secret[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains(where: {
                       $0["controller"]?.boolValue == true && $0["uid"]?.stringValue == es.uid
                   }) {
                    try await api.delete(.secrets, namespace: es.namespace, name: es.targetName,
                                         preconditionUID: secret[path: ["metadata", "uid"]]?.stringValue)
                }
            } catch let error as ClusterAPIError where error.isNotFound {
                // Already gone.
            } catch {
                return .failed("\(error)")
            }
        }
        if es.finalizers.contains(ManagedLabels.finalizer) {
            let remaining = es.finalizers.filter { $0 != ManagedLabels.finalizer }
            let patch: JSON = ["metadata": ["finalizers": .array(remaining.map { .string($0) }),
                                            "resourceVersion": .string(es.resourceVersion)]]
            do {
                _ = try await api.mergePatch(.externalSecrets, namespace: es.namespace, name: es.name, patch, fieldManager: nil)
            } catch let error as ClusterAPIError where error.isNotFound {
                // Gone.
            } catch let error as ClusterAPIError where error.isConflict {
                return .requeueNow
            } catch {
                return .failed("\(error)")
            }
        }
        metrics.clearStatusCondition(name: es.name, namespace: es.namespace)
        return .done
    }

    // MARK: - Status

    func requeueResult(_ es: ExternalSecretView, now: Int64) -> ReconcileOutcome {
        guard let after = RefreshDecision.requeueAfter(es, now: now) else { return .done }
        return after <= 0 ? .requeueNow : .requeue(after: after)
    }

    /// Writes the status when it changed, records the Warning event, and returns `outcome` (or a
    /// requeue when the status write conflicted).
    func finish(_ es: ExternalSecretView, status: StatusDraft, warning: String? = nil,
                outcome: ReconcileOutcome) async -> ReconcileOutcome {
        if let warning {
            await api.recordEvent(about: es.json, type: "Warning", reason: "UpdateFailed", message: warning,
                                  component: Self.eventComponent)
        }
        if let ready = StatusConditions.readyCondition(in: status.conditions) {
            metrics.statusCondition(name: es.name, namespace: es.namespace, ready: ready.status)
        }
        guard status.changed else { return outcome }
        var object = es.json
        object["status"] = status.json
        do {
            let updated = try await api.updateStatus(.externalSecrets, namespace: es.namespace, object)
            await written.record(ObjectKey(namespace: es.namespace, name: es.name), replacing: es.resourceVersion, with: updated)
        } catch let error as ClusterAPIError where error.isConflict {
            return .requeueNow
        } catch let error as ClusterAPIError where error.isNotFound {
            return .done
        } catch {
            logger.warning("could not update ExternalSecret status",
                           metadata: ["namespace": "\(es.namespace)", "name": "\(es.name)", "error": "\(error)"])
            return .failed("\(error)")
        }
        // A requeue computed from the old status: recompute from the new refreshTime.
        if case .requeue = outcome {
            var updated = es.json
            updated["status"] = status.json
            return requeueResult(ExternalSecretView(json: updated), now: clock())
        }
        return outcome
    }

    /// Seconds on a monotonic clock.
    static func monotonic() -> Double {
        let elapsed = ContinuousClock.now - processStart
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

private let processStart = ContinuousClock.now

/// Remembers, per key, the object our last write produced and the resourceVersion it replaced: a
/// cache still holding that older version is answered with the newer object instead of causing a
/// redundant sync and a conflicting write.
actor WrittenObjects {
    /// The object is kept in `CompactJSON` form: thousands of entries can be waiting for the watch to catch up.
    private var entries: [ObjectKey: (replaced: String, object: [UInt8])] = [:]

    var count: Int { entries.count }

    func record(_ key: ObjectKey, replacing resourceVersion: String, with object: JSON) {
        entries[key] = (resourceVersion, CompactJSON.encode(object))
    }

    /// The cache moved to `resourceVersion`: the entry is obsolete unless that is the version it replaced.
    func cacheUpdated(_ key: ObjectKey, resourceVersion: String) {
        if let entry = entries[key], entry.replaced != resourceVersion { remove(key) }
    }

    /// The object is gone.
    func forget(_ key: ObjectKey) { remove(key) }

    func newest(_ key: ObjectKey, cached: JSON) -> JSON {
        guard let entry = entries[key] else { return cached }
        if cached[path: ["metadata", "resourceVersion"]]?.stringValue == entry.replaced,
           let object = CompactJSON.decode(entry.object) {
            return object
        }
        remove(key)
        return cached
    }

    private func remove(_ key: ObjectKey) {
        entries.removeValue(forKey: key)
        // Drained after a burst: let go of the table's storage (it never shrinks by itself).
        if entries.isEmpty, entries.capacity > 1024 { entries = [:] }
    }
}

extension ExternalSecretReconciler.TargetState {
    /// The Secret (complete or cached form) when it exists.
    var object: JSON? {
        switch self {
        case .present(let secret), .cached(let secret): return secret
        case .absent, .notManaged: return nil
        }
    }
}

/// The ExternalSecret status being built during one reconcile.
struct StatusDraft {
    let original: JSON
    var json: JSON
    let resourceVersion: String

    init(_ es: ExternalSecretView) {
        original = es.json["status"] ?? .object(JSONObject())
        json = original.objectValue == nil ? .object(JSONObject()) : original
        resourceVersion = es.currentResourceVersion
    }

    var conditions: [JSON] { json["conditions"]?.arrayValue ?? [] }
    var changed: Bool { json != original }

    mutating func setBinding(_ name: String) { json["binding"] = ["name": .string(name)] }

    func failed(_ message: String, now: Int64) -> StatusDraft {
        var copy = self
        copy.json["conditions"] = .array(StatusConditions.set(.failed(message), in: conditions, now: now))
        return copy
    }

    /// Upstream `markAsDone`: Ready=True plus refreshTime (reconcile start) and syncedResourceVersion.
    func done(_ condition: SyncCondition, now: Int64) -> StatusDraft {
        var copy = self
        copy.json["conditions"] = .array(StatusConditions.set(condition, in: conditions, now: now))
        copy.json["refreshTime"] = .string(RFC3339Time.format(now))
        copy.json["syncedResourceVersion"] = .string(resourceVersion)
        return copy
    }
}
