import ESJSON
import ESProviders
import ESReconciler
import Foundation
import Testing

/// Builds fake clients from the store's `spec.provider.fake`; a store named in `failures` fails
/// every read with that error instead. Counts client constructions.
final class TestProviderFactory: ProviderClientFactory, @unchecked Sendable {
    private let lock = NSLock()
    var failures: [String: ProviderError] = [:]
    private(set) var clientsMade = 0

    func setFailure(_ store: String, _ error: ProviderError?) { lock.withLock { failures[store] = error } }

    func makeClient(store: JSON, namespace: String) async throws -> any SecretsClient {
        let failure = lock.withLock { () -> ProviderError? in
            clientsMade += 1
            return failures[store[path: ["metadata", "name"]]?.stringValue ?? ""]
        }
        if let failure { return FailingClient(error: failure) }
        return try FakeSecretsClient(providerSpec: store[path: ["spec", "provider", "fake"]])
    }
}

struct Fixture {
    let cluster = InMemoryCluster()
    let factory = TestProviderFactory()
    var clock: Int64 = 1_800_000_000

    static let readyStatus: JSON = ["conditions": [["type": "Ready", "status": "True", "reason": "Valid", "message": "store validated"]]]

    func reconciler(class controllerClass: String = "default") -> ExternalSecretReconciler {
        var configuration = ReconcilerConfiguration()
        configuration.controllerClass = controllerClass
        configuration.coalescingWindow = 0
        let now = clock
        return ExternalSecretReconciler(api: cluster, factory: factory, configuration: configuration,
                                        coalescer: FetchCoalescer(window: 0), clock: { now })
    }

    @discardableResult
    func store(_ name: String = "fake", namespace: String = "ns", data: JSON = [["key": "remote", "value": "v1"]],
               ready: Bool = true, controller: String? = nil) -> JSON {
        var store: JSON = ["apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
                           "metadata": ["name": .string(name), "namespace": .string(namespace)],
                           "spec": ["provider": ["fake": ["data": data]]]]
        if let controller { store[path: ["spec", "controller"]] = .string(controller) }
        if ready { store["status"] = Self.readyStatus }
        return cluster.seed(.secretStores, store)
    }

    @discardableResult
    func externalSecret(_ name: String = "es", namespace: String = "ns", target: JSON = [:], store: String = "fake",
                        storeKind: String = "SecretStore", data: JSON? = nil, dataFrom: JSON? = nil,
                        refreshPolicy: String? = nil, refreshInterval: String = "1h") -> JSON {
        var spec: JSON = ["secretStoreRef": ["name": .string(store), "kind": .string(storeKind)], "target": target,
                          "refreshInterval": .string(refreshInterval),
                          "data": data ?? [["secretKey": "key", "remoteRef": ["key": "remote"]]]]
        if let dataFrom { spec["dataFrom"] = dataFrom }
        if let refreshPolicy { spec["refreshPolicy"] = .string(refreshPolicy) }
        return cluster.seed(.externalSecrets, ["apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                                               "metadata": ["name": .string(name), "namespace": .string(namespace)],
                                               "spec": spec])
    }

    func secret(_ name: String = "es", namespace: String = "ns") -> JSON? { cluster.object(.secrets, namespace, name) }
    func es(_ name: String = "es", namespace: String = "ns") -> JSON? { cluster.object(.externalSecrets, namespace, name) }
    func ready(_ name: String = "es", namespace: String = "ns") -> SyncCondition? {
        StatusConditions.readyCondition(in: es(name, namespace: namespace)?[path: ["status", "conditions"]]?.arrayValue ?? [])
    }

    /// Updates an ExternalSecret as a user would (generation bump for spec changes).
    func edit(_ name: String = "es", namespace: String = "ns", _ change: (inout JSON) -> Void) {
        guard var object = es(name, namespace: namespace) else { return }
        change(&object)
        object[path: ["metadata", "generation"]] = .number(JSONNumber((object[path: ["metadata", "generation"]]?.intValue ?? 1) + 1))
        cluster.seed(.externalSecrets, object)
    }

    /// Replaces the provider data of a store (its resourceVersion changes, so reads are not coalesced).
    func setStoreData(_ data: JSON, store: String = "fake", namespace: String = "ns") {
        guard var object = cluster.object(.secretStores, namespace, store) else { return }
        object[path: ["spec", "provider", "fake", "data"]] = data
        cluster.seed(.secretStores, object)
    }
}

@Suite struct ReconcileFlowTests {
    @Test func ownerCreatesSecretWithUpstreamMetadataAndStatus() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret()
        let outcome = await f.reconciler().reconcile(namespace: "ns", name: "es")
        guard case .requeue(let after) = outcome else { Issue.record("unexpected \(outcome)"); return }
        #expect(after >= 3600 && after < 3900)
        let secret = try #require(f.secret())
        #expect(secret[path: ["data", "key"]] == "djE=")
        #expect(secret[path: ["metadata", "labels", "reconcile.external-secrets.io/managed"]] == "true")
        #expect(secret[path: ["metadata", "ownerReferences", ]]?[0]?["kind"] == "ExternalSecret")
        #expect(f.ready() == .synced)
        let es = try #require(f.es())
        #expect(es[path: ["metadata", "finalizers"]] == ["externalsecrets.external-secrets.io/externalsecret-cleanup"])
        #expect(es[path: ["status", "binding", "name"]] == "es")
        #expect(es[path: ["status", "refreshTime"]]?.stringValue == RFC3339Time.format(f.clock))
        #expect(es[path: ["status", "syncedResourceVersion"]]?.stringValue == ExternalSecretView(json: es).currentResourceVersion)
        #expect(f.cluster.events.contains(.init(type: "Normal", reason: "Created", message: "secret created")))
    }

    @Test func secondReconcileWritesNothing() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret()
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        let writes = f.cluster.writeLog.count
        let before = try #require(f.es())
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.cluster.writeLog.count == writes)
        #expect(f.es() == before)
    }

    @Test(arguments: [ProviderError.auth("AccessDenied: not allowed"), .transient("i/o timeout"),
                      .transient("500 Internal Server Error"), .throttled("ThrottlingException: Rate exceeded"),
                      .invalid("bad request")])
    func providerFailureLeavesSecretUntouched(error: ProviderError) async throws {
        var f = Fixture()
        f.store()
        f.externalSecret()
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        let before = try #require(f.secret())
        f.factory.setFailure("fake", error)
        f.edit { $0[path: ["metadata", "annotations", "external-secrets.io/force-sync"]] = "1" }
        f.clock += 10
        let outcome = await f.reconciler().reconcile(namespace: "ns", name: "es")
        guard case .failed = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
        #expect(f.secret() == before, "the Secret must stay byte-for-byte the same")
        #expect(f.ready() == .failed("could not get secret data from provider"))
        #expect(f.cluster.events.last?.type == "Warning")
        #expect(f.cluster.events.last?.reason == "UpdateFailed")
        #expect(f.cluster.events.last?.message.hasSuffix(error.message) == true)
    }

    @Test func storeNotReadyLeavesSecretUntouched() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret()
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        let before = try #require(f.secret())
        f.store(ready: false)
        f.edit { $0[path: ["metadata", "annotations", "external-secrets.io/force-sync"]] = "1" }
        let outcome = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(outcome == .failed("error processing spec.data[0] (key: remote), err: SecretStore \"fake\" is not ready"))
        #expect(f.secret() == before)
    }

    @Test func notFoundWithDeleteRemovesTheSecret() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret(target: ["deletionPolicy": "Delete"])
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret() != nil)
        f.setStoreData([])
        f.edit { $0[path: ["metadata", "annotations", "external-secrets.io/force-sync"]] = "1" }
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret() == nil)
        #expect(f.ready() == .deleted)
        #expect(f.cluster.events.contains(.init(type: "Normal", reason: "Deleted", message: "secret deleted due to DeletionPolicy=Delete")))
        #expect(f.cluster.events.contains(.init(type: "Normal", reason: "MissingProviderSecret",
                                                message: "secret does not exist at provider using spec.dataFrom[0] (key=remote)")))
    }

    @Test func notFoundWithRetainKeepsTheSecret() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret()
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        let before = try #require(f.secret())
        f.setStoreData([])
        f.edit { $0[path: ["metadata", "annotations", "external-secrets.io/force-sync"]] = "1" }
        let outcome = await f.reconciler().reconcile(namespace: "ns", name: "es")
        guard case .failed = outcome else { Issue.record("expected failure"); return }
        #expect(f.secret() == before)
    }

    @Test func deleteWithNonOwnerPolicyRefuses() async throws {
        let f = Fixture()
        f.store(data: [])
        f.externalSecret(target: ["deletionPolicy": "Delete", "creationPolicy": "Orphan"])
        let outcome = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(outcome == .done)
        #expect(f.ready() == .failed("could not delete secret"))
        #expect(f.cluster.events.last?.message == "unable to delete secret es: creationPolicy=Orphan is not Owner")
    }

    @Test func mergeWithMissingTargetIsReadyButCreatesNothing() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret(target: ["creationPolicy": "Merge"])
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret() == nil)
        #expect(f.ready() == .mergeTargetMissing)
    }

    @Test func mergeKeepsForeignKeys() async throws {
        let f = Fixture()
        f.store()
        f.cluster.seed(.secrets, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "es", "namespace": "ns"],
                                  "data": ["foreign": "Zm9v"]])
        f.externalSecret(target: ["creationPolicy": "Merge"])
        // First pass labels the pre-existing Secret as managed and requeues.
        #expect(await f.reconciler().reconcile(namespace: "ns", name: "es") == .requeueNow)
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        let secret = try #require(f.secret())
        #expect(secret["data"] == ["foreign": "Zm9v", "key": "djE="])
        #expect(secret[path: ["metadata", "ownerReferences"]] == nil)
        #expect(f.ready() == .synced)
    }

    @Test func noneWritesNothing() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret(target: ["creationPolicy": "None"])
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret() == nil)
        #expect(f.ready() == .synced)
    }

    @Test func orphanCreatesWithoutOwnerAndDoesNotHealUntilDue() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret(target: ["creationPolicy": "Orphan"])
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        var secret = try #require(f.secret())
        #expect(secret[path: ["metadata", "ownerReferences"]] == nil)
        #expect(secret[path: ["metadata", "labels", "reconcile.external-secrets.io/created-by"]] == nil)
        secret["data"] = ["key": "ZWRpdGVk"]
        f.cluster.seed(.secrets, secret)
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret()?[path: ["data", "key"]] == "ZWRpdGVk")
    }

    @Test func ownerHealsEditsAndDeletes() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret(refreshInterval: "0")
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        var secret = try #require(f.secret())
        secret["data"] = ["key": "ZWRpdGVk"]
        f.cluster.seed(.secrets, secret)
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret()?[path: ["data", "key"]] == "djE=")
        try await f.cluster.delete(.secrets, namespace: "ns", name: "es", preconditionUID: nil)
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret()?[path: ["data", "key"]] == "djE=")
    }

    @Test func createdOnceNeverUpdatesEvenAfterRestart() async throws {
        var f = Fixture()
        f.store()
        f.externalSecret(refreshPolicy: "CreatedOnce", refreshInterval: "1s")
        #expect(await f.reconciler().reconcile(namespace: "ns", name: "es") == .done)
        f.setStoreData([["key": "remote", "value": "v2"]])
        f.edit { $0[path: ["metadata", "annotations", "external-secrets.io/force-sync"]] = "now" }
        f.clock += 86_400
        // A new reconciler instance: nothing in memory, only the status says it was synced.
        #expect(await f.reconciler().reconcile(namespace: "ns", name: "es") == .done)
        #expect(f.secret()?[path: ["data", "key"]] == "djE=")
    }

    @Test func forceSyncAnnotationRefetches() async throws {
        var f = Fixture()
        f.store()
        f.externalSecret()
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        f.setStoreData([["key": "remote", "value": "v2"]])
        f.clock += 5
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret()?[path: ["data", "key"]] == "djE=", "not due yet")
        f.edit { $0[path: ["metadata", "annotations", "external-secrets.io/force-sync"]] = "1" }
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret()?[path: ["data", "key"]] == "djI=")
        #expect(f.cluster.events.contains(.init(type: "Normal", reason: "Updated", message: "secret updated")))
    }

    @Test func secretStoreIsOnlyLookedUpInTheOwnNamespace() async throws {
        let f = Fixture()
        f.store(namespace: "team-a")
        f.externalSecret(namespace: "team-b")
        let outcome = await f.reconciler().reconcile(namespace: "team-b", name: "es")
        #expect(outcome == .failed(
            "error processing spec.data[0] (key: remote), err: could not get SecretStore \"fake\", secretstores.external-secrets.io \"fake\" not found"))
        #expect(f.secret(namespace: "team-b") == nil)
    }

    @Test func clusterStoreConditionsDenyOtherNamespaces() async throws {
        let f = Fixture()
        f.cluster.seed(.clusterSecretStores, ["apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore",
                                              "metadata": ["name": "css"],
                                              "spec": ["provider": ["fake": ["data": [["key": "remote", "value": "v1"]]]],
                                                       "conditions": [["namespaces": ["allowed"]]]],
                                              "status": Fixture.readyStatus])
        f.cluster.seed(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]])
        f.externalSecret(namespace: "other", store: "css", storeKind: "ClusterSecretStore")
        f.externalSecret(namespace: "allowed", store: "css", storeKind: "ClusterSecretStore")
        let denied = await f.reconciler().reconcile(namespace: "other", name: "es")
        #expect(denied == .failed("error processing spec.data[0] (key: remote), err: using cluster store \"css\" is not allowed from namespace \"other\": denied by spec.condition"))
        #expect(f.secret(namespace: "other") == nil)
        _ = await f.reconciler().reconcile(namespace: "allowed", name: "es")
        #expect(f.secret(namespace: "allowed")?[path: ["data", "key"]] == "djE=")
    }

    @Test func foreignControllerClassIsSkippedSilently() async throws {
        let f = Fixture()
        f.store(controller: "other-class")
        f.externalSecret()
        #expect(await f.reconciler().reconcile(namespace: "ns", name: "es") == .done)
        #expect(f.secret() == nil)
        #expect(f.es()?["status"] == nil)
    }

    @Test func targetOwnedByAnotherExternalSecret() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret("first", target: ["name": "shared"])
        f.externalSecret("second", target: ["name": "shared"])
        _ = await f.reconciler().reconcile(namespace: "ns", name: "first")
        let outcome = await f.reconciler().reconcile(namespace: "ns", name: "second")
        #expect(outcome == .done)
        #expect(f.ready("second") == .failed("target is owned by another ExternalSecret"))
        #expect(f.cluster.events.last?.message == "secret is owned by another ExternalSecret: first")
    }

    @Test func templateIsReportedAsNotSupported() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret(target: ["template": ["data": ["x": "{{ .key }}"]]])
        let outcome = await f.reconciler().reconcile(namespace: "ns", name: "es")
        guard case .failed = outcome else { Issue.record("expected failure"); return }
        #expect(f.secret() == nil)
        #expect(f.ready() == .failed("could not update secret"))
        #expect(f.cluster.events.last?.message == "could not apply template: target.template is not supported yet by this controller")
    }

    @Test func deletingTheExternalSecretWithDeletePolicyDeletesItsSecret() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret(target: ["deletionPolicy": "Delete", "creationPolicy": "Orphan"])
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret() != nil)
        try await f.cluster.delete(.externalSecrets, namespace: "ns", name: "es", preconditionUID: nil)
        #expect(f.es()?[path: ["metadata", "deletionTimestamp"]] != nil, "the finalizer holds it")
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.es() == nil)
        // Orphan: not controlled by the ES, so it stays.
        #expect(f.secret() != nil)
    }

    @Test func deletingOwnerExternalSecretCollectsItsSecret() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret()
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        try await f.cluster.delete(.externalSecrets, namespace: "ns", name: "es", preconditionUID: nil)
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.es() == nil)
        #expect(f.secret() == nil, "owner reference garbage collection")
    }

    @Test func renamedTargetDeletesTheOrphanedSecret() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret()
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        f.edit { $0[path: ["spec", "target", "name"]] = "renamed" }
        _ = await f.reconciler().reconcile(namespace: "ns", name: "es")
        #expect(f.secret("renamed") != nil)
        #expect(f.secret("es") == nil)
        #expect(f.cluster.events.contains(.init(type: "Normal", reason: "Deleted", message: "secret deleted because it was orphaned")))
    }

    @Test func conflictOnStatusRequeuesImmediately() async throws {
        let f = Fixture()
        f.store()
        f.externalSecret()
        f.cluster.failures.append(("updateStatus", .externalSecrets, ClusterAPIError(code: 409, reason: "Conflict", message: "modified")))
        #expect(await f.reconciler().reconcile(namespace: "ns", name: "es") == .requeueNow)
    }

    @Test func identicalReadsAreCoalesced() async throws {
        let f = Fixture()
        f.store()
        for i in 0..<5 { f.externalSecret("es-\(i)") }
        let coalescer = FetchCoalescer(window: 60)
        let reconciler = ExternalSecretReconciler(api: f.cluster, factory: f.factory, coalescer: coalescer)
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<5 { group.addTask { _ = await reconciler.reconcile(namespace: "ns", name: "es-\(i)") } }
        }
        #expect(await coalescer.providerCalls == 1)
        for i in 0..<5 { #expect(f.secret("es-\(i)")?[path: ["data", "key"]] == "djE=") }
    }
}
