import ESJSON
import ESKube
import ESProviders
import ESReconciler
import ESTestAPIServer
import Foundation
import Testing

/// A test API server with the external-secrets.io resources registered, a client, and a running controller.
final class ControllerHarness: Sendable {
    let server: TestAPIServer
    let kube: KubeClient
    let api: KubeClusterAPI
    let controller: ExternalSecretsController
    let task: Task<Void, Never>

    static func externalSecretTypes() -> [ResourceType] {
        [ResourceType(group: "external-secrets.io", versions: ["v1"], resource: "externalsecrets", singular: "externalsecret",
                      kind: "ExternalSecret", namespaced: true, shortNames: ["es"], hasStatusSubresource: true,
                      tracksGeneration: true),
         ResourceType(group: "external-secrets.io", versions: ["v1"], resource: "secretstores", singular: "secretstore",
                      kind: "SecretStore", namespaced: true, shortNames: ["ss"], hasStatusSubresource: true,
                      tracksGeneration: true),
         ResourceType(group: "external-secrets.io", versions: ["v1"], resource: "clustersecretstores",
                      singular: "clustersecretstore", kind: "ClusterSecretStore", namespaced: false, shortNames: ["css"],
                      hasStatusSubresource: true, tracksGeneration: true)]
    }

    init(configuration: ReconcilerConfiguration = .init(), factory: (any ProviderClientFactory)? = nil) async throws {
        server = try await TestAPIServer.start()
        for type in Self.externalSecretTypes() { server.store.register(type) }
        kube = KubeClient(config: try KubeConfig.parse(kubeconfig: server.kubeconfig()), qps: 1000, burst: 1000)
        api = KubeClusterAPI(client: kube)
        controller = ExternalSecretsController(api: api, factory: factory ?? RegistryClientFactory(registry: .builtIn, kube: kube),
                                               configuration: configuration, templating: ESOSecretTemplating(api: api),
                                               keyRenderer: ESOSecretTemplating.keyRenderer())
        let controller = self.controller
        task = Task { await controller.run() }
    }

    func stop() async {
        task.cancel()
        await task.value
        await server.stop()
    }

    func namespace(_ name: String) async throws {
        _ = try await kube.create(.namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
    }

    func fakeStore(_ name: String = "fake", namespace: String, data: JSON, validationResult: Int? = nil) async throws {
        var fake: JSON = ["data": data]
        if let validationResult { fake["validationResult"] = .number(JSONNumber(validationResult)) }
        _ = try await kube.create(.secretStores, namespace: namespace, [
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": ["provider": ["fake": fake]],
        ])
    }

    static func externalSecret(_ name: String, namespace: String, store: String = "fake", target: JSON = [:],
                               remoteKey: String = "remote") -> JSON {
        ["apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
         "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "spec": ["secretStoreRef": ["name": .string(store), "kind": "SecretStore"], "refreshInterval": "1h", "target": target,
                  "data": [["secretKey": "key", "remoteRef": ["key": .string(remoteKey)]]]]]
    }

    func get(_ kind: ResourceKind, _ namespace: String?, _ name: String) async -> JSON? {
        try? await kube.get(kind, namespace: namespace, name: name)
    }

    /// Polls until `condition` holds (generous limit; this is not a timing assertion).
    func eventually(_ what: String, limit: Double = 30, _ condition: () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("timed out waiting for \(what)")
        return false
    }

    func ready(_ object: JSON?) -> SyncCondition? {
        StatusConditions.readyCondition(in: object?[path: ["status", "conditions"]]?.arrayValue ?? [])
    }
}

@Suite(.serialized) struct ControllerIntegrationTests {
    @Test func storeIsValidatedAndExternalSecretSynced() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("app")
        try await h.fakeStore(namespace: "app", data: [["key": "remote", "value": "s3cr3t"]])
        _ = await h.eventually("store Ready") { h.ready(await h.get(.secretStores, "app", "fake")) != nil }
        let store = await h.get(.secretStores, "app", "fake")
        #expect(h.ready(store) == SyncCondition(status: true, reason: "Valid", message: "store validated"))
        #expect(store?[path: ["status", "capabilities"]] == "ReadWrite")

        _ = try await h.kube.create(.externalSecrets, namespace: "app", ControllerHarness.externalSecret("es", namespace: "app"))
        _ = await h.eventually("Secret") { await h.get(.secrets, "app", "es") != nil }
        let secret = await h.get(.secrets, "app", "es")
        #expect(secret?[path: ["data", "key"]] == "czNjcjN0")
        #expect(secret?[path: ["metadata", "annotations", "reconcile.external-secrets.io/data-hash"]]?.stringValue
            == ObjectHash.ofSecretData(["key": Array("s3cr3t".utf8)]))
        _ = await h.eventually("ES Ready") { h.ready(await h.get(.externalSecrets, "app", "es")) == .synced }

        // Deleting the managed Secret heals it through the Secret watch.
        try await h.kube.delete(.secrets, namespace: "app", name: "es")
        _ = await h.eventually("Secret recreated") { await h.get(.secrets, "app", "es") != nil }

        // Editing it heals too.
        var edited = try #require(await h.get(.secrets, "app", "es"))
        edited["data"] = ["key": "aGFja2Vk"]
        _ = try await h.kube.update(.secrets, namespace: "app", edited)
        _ = await h.eventually("Secret healed") { await h.get(.secrets, "app", "es")?[path: ["data", "key"]] == "czNjcjN0" }

        // Deleting the ExternalSecret: finalizer removed, owned Secret garbage-collected.
        try await h.kube.delete(.externalSecrets, namespace: "app", name: "es")
        _ = await h.eventually("ES gone") { await h.get(.externalSecrets, "app", "es") == nil }
        _ = await h.eventually("Secret collected") { await h.get(.secrets, "app", "es") == nil }
        await h.stop()
    }

    @Test func invalidStoreBlocksSyncAndKeepsExistingSecret() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("app")
        // A Secret already there with our target name and content the provider cannot confirm.
        _ = try await h.kube.create(.secrets, namespace: "app", ["apiVersion": "v1", "kind": "Secret",
                                                                  "metadata": ["name": "es", "namespace": "app"],
                                                                  "data": ["key": "b2xk"]])
        try await h.fakeStore(namespace: "app", data: [["key": "remote", "value": "new"]], validationResult: 2)
        _ = await h.eventually("store checked") { h.ready(await h.get(.secretStores, "app", "fake")) != nil }
        #expect(h.ready(await h.get(.secretStores, "app", "fake"))
            == SyncCondition(status: false, reason: "InvalidProviderConfig", message: "unable to validate store"))
        _ = try await h.kube.create(.externalSecrets, namespace: "app", ControllerHarness.externalSecret("es", namespace: "app"))
        _ = await h.eventually("ES failed") {
            h.ready(await h.get(.externalSecrets, "app", "es")) == .failed("could not get secret data from provider")
        }
        #expect(await h.get(.secrets, "app", "es")?["data"] == ["key": "b2xk"])
        await h.stop()
    }

    @Test func syncOnAdmissionWritesTheSecret() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("app")
        try await h.fakeStore(namespace: "app", data: [["key": "remote", "value": "v"]])
        _ = await h.eventually("store Ready") { h.ready(await h.get(.secretStores, "app", "fake"))?.status == true }
        let object = ControllerHarness.externalSecret("admitted", namespace: "app")
        h.controller.notifyAdmitted(object)
        _ = try await h.kube.create(.externalSecrets, namespace: "app", object)
        _ = await h.eventually("Secret") { await h.get(.secrets, "app", "admitted") != nil }
        #expect(await h.get(.secrets, "app", "admitted")?[path: ["data", "key"]] == "dg==")
        await h.stop()
    }
}
