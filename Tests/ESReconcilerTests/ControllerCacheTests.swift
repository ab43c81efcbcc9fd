import ESJSON
import ESKube
import ESProviders
import ESReconciler
import ESTestAPIServer
import Testing

/// What the slimmed informer caches must not change: Secrets are written from complete copies (keys,
/// annotations and labels we do not own survive), and a controller that starts on a populated
/// cluster lists page by page and leaves Secrets that are in sync untouched.
@Suite struct ControllerCacheTests {
    static let lastApplied = CacheTransforms.lastAppliedAnnotation

    @Test func healingAnEditedSecretKeepsAnnotationsWeDoNotOwn() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("heal")
        try await h.fakeStore(namespace: "heal", data: [["key": "remote", "value": "v1"]])
        _ = try await h.kube.create(.externalSecrets, namespace: "heal", ControllerHarness.externalSecret("es", namespace: "heal"))
        _ = await h.eventually("Secret") { await h.get(.secrets, "heal", "es")?[path: ["data", "key"]] == "djE=" }

        var edited = try #require(await h.get(.secrets, "heal", "es"))
        edited["data"] = ["key": "dGFtcGVyZWQ="]
        edited[path: ["metadata", "annotations", Self.lastApplied]] = "{\"applied\":true}"
        edited[path: ["metadata", "annotations", "team"]] = "payments"
        _ = try await h.kube.update(.secrets, namespace: "heal", edited)
        _ = await h.eventually("Secret healed") { await h.get(.secrets, "heal", "es")?[path: ["data", "key"]] == "djE=" }
        let healed = await h.get(.secrets, "heal", "es")
        #expect(healed?[path: ["metadata", "annotations", Self.lastApplied]] == "{\"applied\":true}")
        #expect(healed?[path: ["metadata", "annotations", "team"]] == "payments")
        #expect(healed?[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["kind"] == "ExternalSecret")
        await h.stop()
    }

    @Test func mergeReadsAnExistingSecretWeDoNotManageYet() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("merge")
        _ = try await h.kube.create(.secrets, namespace: "merge", [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": "existing", "namespace": "merge",
                         "annotations": [.init(stringLiteral: Self.lastApplied): "{\"kept\":true}"]],
            "data": ["other": "a2VlcA=="],
        ])
        try await h.fakeStore(namespace: "merge", data: [["key": "remote", "value": "v1"]])
        _ = try await h.kube.create(.externalSecrets, namespace: "merge", ControllerHarness.externalSecret(
            "merger", namespace: "merge", target: ["name": "existing", "creationPolicy": "Merge"]))
        _ = await h.eventually("merged") { await h.get(.secrets, "merge", "existing")?[path: ["data", "key"]] == "djE=" }
        let merged = await h.get(.secrets, "merge", "existing")
        #expect(merged?[path: ["data", "other"]] == "a2VlcA==")
        #expect(merged?[path: ["metadata", "annotations", Self.lastApplied]] == "{\"kept\":true}")
        #expect(merged?[path: ["metadata", "labels", ManagedLabels.managed]] == "true")
        #expect(merged?[path: ["metadata", "ownerReferences"]] == nil)
        _ = await h.eventually("ES Ready") { h.ready(await h.get(.externalSecrets, "merge", "merger")) == .synced }
        await h.stop()
    }

    @Test func restartedControllerListsInPagesAndLeavesSyncedObjectsAlone() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("restart")
        try await h.fakeStore(namespace: "restart", data: [["key": "remote", "value": "v1"]])
        let names = (0..<5).map { "es-\($0)" }
        for name in names {
            _ = try await h.kube.create(.externalSecrets, namespace: "restart", ControllerHarness.externalSecret(name, namespace: "restart"))
        }
        for name in names {
            _ = await h.eventually("\(name) Ready") { h.ready(await h.get(.externalSecrets, "restart", name)) == .synced }
        }
        // Let the first controller finish its last writes before it goes.
        try await Task.sleep(nanoseconds: 300_000_000)
        h.task.cancel()
        await h.task.value
        var versions: [String: String] = [:]
        for name in names {
            versions[name] = await h.get(.externalSecrets, "restart", name)?[path: ["metadata", "resourceVersion"]]?.stringValue
            versions["secret/" + name] = await h.get(.secrets, "restart", name)?[path: ["metadata", "resourceVersion"]]?.stringValue
        }

        var configuration = ReconcilerConfiguration()
        configuration.listPageSize = 2
        let restarted = ExternalSecretsController(api: h.api, factory: RegistryClientFactory(registry: .builtIn, kube: h.kube),
                                                  configuration: configuration)
        let task = Task { await restarted.run() }

        // The new controller heals an edit (its caches and watches work from the paged list) ...
        var edited = try #require(await h.get(.secrets, "restart", "es-0"))
        edited["data"] = ["key": "dGFtcGVyZWQ="]
        _ = try await h.kube.update(.secrets, namespace: "restart", edited)
        _ = await h.eventually("es-0 healed") { await h.get(.secrets, "restart", "es-0")?[path: ["data", "key"]] == "djE=" }
        // ... and writes nothing for the ExternalSecrets and Secrets that were in sync.
        try await Task.sleep(nanoseconds: 500_000_000)
        for name in names.dropFirst() {
            #expect(await h.get(.externalSecrets, "restart", name)?[path: ["metadata", "resourceVersion"]]?.stringValue
                == versions[name], "\(name) status rewritten")
            #expect(await h.get(.secrets, "restart", name)?[path: ["metadata", "resourceVersion"]]?.stringValue
                == versions["secret/" + name], "Secret \(name) rewritten")
        }
        task.cancel()
        await task.value
        await h.server.stop()
    }
}
