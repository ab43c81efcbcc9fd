import ESJSON
import ESKube
import ESProviderAWS
import ESProviders
import ESReconciler
import ESTestAPIServer
import Foundation
import Testing

/// The issue's main path end to end: an ExternalSecret applied to the (test) API server is synced by the
/// running reconciler from AWS Secrets Manager (moto with IAM checking on) into a Kubernetes Secret,
/// once with access keys read from a Secret and once with a service account's JWT through STS.
@Suite(.serialized) struct AWSReconcilerEndToEndTests {
    /// The fixture plus the external-secrets.io kinds and a running controller whose AWS provider talks to moto.
    final class Harness: Sendable {
        let fixture: AWSProviderFixture
        let controller: ExternalSecretsController
        let task: Task<Void, Never>

        init() async throws {
            fixture = try await AWSProviderFixture.start()
            for type in Self.externalSecretTypes() { fixture.apiServer.store.register(type) }
            var registry = ProviderRegistry.builtIn
            registry.register(fixture.provider())
            let api = KubeClusterAPI(client: fixture.kube)
            controller = ExternalSecretsController(api: api, factory: RegistryClientFactory(registry: registry, kube: fixture.kube),
                                                   configuration: ReconcilerConfiguration(),
                                                   templating: ESOSecretTemplating(api: api),
                                                   keyRenderer: ESOSecretTemplating.keyRenderer())
            let controller = self.controller
            task = Task { await controller.run() }
        }

        func stop() async {
            task.cancel()
            await task.value
            await fixture.stop()
        }

        static func externalSecretTypes() -> [ResourceType] {
            [("externalsecrets", "externalsecret", "ExternalSecret", true), ("secretstores", "secretstore", "SecretStore", true),
             ("clustersecretstores", "clustersecretstore", "ClusterSecretStore", false)].map { resource, singular, kind, namespaced in
                ResourceType(group: "external-secrets.io", versions: ["v1"], resource: resource, singular: singular, kind: kind,
                             namespaced: namespaced, shortNames: [], hasStatusSubresource: true, tracksGeneration: true)
            }
        }

        func createStore(_ name: String, auth: JSON) async throws {
            _ = try await fixture.kube.create(.secretStores, namespace: "default", [
                "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
                "metadata": ["name": .string(name), "namespace": "default"],
                "spec": ["provider": ["aws": ["service": "SecretsManager", "region": "us-east-1", "auth": auth]]],
            ])
        }

        func createExternalSecret(_ name: String, store: String, remoteKey: String) async throws {
            _ = try await fixture.kube.create(.externalSecrets, namespace: "default", [
                "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                "metadata": ["name": .string(name), "namespace": "default"],
                "spec": [
                    "refreshInterval": "1h",
                    "secretStoreRef": ["name": .string(store), "kind": "SecretStore"],
                    "target": ["name": .string(name)],
                    "data": [["secretKey": "password", "remoteRef": ["key": .string(remoteKey), "property": "password"]]],
                    "dataFrom": [["extract": ["key": .string(remoteKey)]]],
                ],
            ])
        }

        /// Polls for the target Secret (a generous limit, not a timing assertion).
        func waitForSecret(_ name: String) async -> JSON? {
            for _ in 0..<600 {
                if let secret = try? await fixture.kube.get(.secrets, namespace: "default", name: name) { return secret }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        func readyReason(_ name: String) async -> String? {
            let es = try? await fixture.kube.get(.externalSecrets, namespace: "default", name: name)
            return es?[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "Ready" }?["reason"]?.stringValue
        }
    }

    static func base64(_ text: String) -> JSON { .string(Data(text.utf8).base64EncodedString()) }

    @Test func accessKeysFromASecret() async throws {
        let h = try await Harness()
        _ = try await h.fixture.createSecret("prod/db", string: #"{"username":"app","password":"s3cr3t"}"#)
        try await h.createStore("aws-keys", auth: ["secretRef": [
            "accessKeyIDSecretRef": ["name": "awssm", "key": "id"],
            "secretAccessKeySecretRef": ["name": "awssm", "key": "secret"],
        ]])
        try await h.createExternalSecret("db", store: "aws-keys", remoteKey: "prod/db")
        let secret = try #require(await h.waitForSecret("db"))
        #expect(secret["data"] == ["username": Self.base64("app"), "password": Self.base64("s3cr3t")])
        #expect(secret[path: ["metadata", "labels", "reconcile.external-secrets.io/managed"]] == "true")
        #expect(secret[path: ["metadata", "ownerReferences"]]?[0]?["kind"] == "ExternalSecret")
        for _ in 0..<200 where await h.readyReason("db") != "SecretSynced" { try await Task.sleep(for: .milliseconds(50)) }
        #expect(await h.readyReason("db") == "SecretSynced")
        await h.stop()
    }

    @Test func wrongAccessKeysNeverTouchTheSecret() async throws {
        let h = try await Harness()
        _ = try await h.fixture.createSecret("prod/api", string: #"{"password":"v1"}"#)
        try await h.fixture.putKubeSecret("bad-keys", ["id": h.fixture.keys.accessKeyID, "secret": "not-the-secret-key"])
        // The target already exists with data someone else put there; a failing provider must leave it as it is.
        _ = try await h.fixture.kube.create(.secrets, namespace: "default", [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "api", "namespace": "default"],
            "data": ["password": Self.base64("previous")],
        ])
        try await h.createStore("aws-bad", auth: ["secretRef": [
            "accessKeyIDSecretRef": ["name": "bad-keys", "key": "id"],
            "secretAccessKeySecretRef": ["name": "bad-keys", "key": "secret"],
        ]])
        try await h.createExternalSecret("api", store: "aws-bad", remoteKey: "prod/api")
        for _ in 0..<200 where await h.readyReason("api") == nil { try await Task.sleep(for: .milliseconds(50)) }
        #expect(await h.readyReason("api") == "SecretSyncedError")
        let secret = try await h.fixture.kube.get(.secrets, namespace: "default", name: "api")
        #expect(secret["data"] == ["password": Self.base64("previous")])
        await h.stop()
    }

    @Test func serviceAccountJWTThroughSTS() async throws {
        let h = try await Harness()
        let roleARN = try await h.fixture.moto.createRole("eso-irsa", using: h.fixture.keys)
        _ = try await h.fixture.createSecret("prod/irsa", string: #"{"password":"from-irsa"}"#)
        try await h.fixture.putServiceAccount("eso-app", roleARN: roleARN)
        // AssumeRoleWithWebIdentity is unsigned by design; with IAM checking on, moto serves it only inside a
        // no-auth window, opened just before the store (whose validation assumes the role first) appears.
        try await h.fixture.moto.allowUnauthenticated(1)
        try await h.createStore("aws-irsa", auth: ["jwt": ["serviceAccountRef": ["name": "eso-app"]]])
        try await h.createExternalSecret("irsa", store: "aws-irsa", remoteKey: "prod/irsa")
        let secret = try #require(await h.waitForSecret("irsa"))
        #expect(secret[path: ["data", "password"]] == Self.base64("from-irsa"))
        #expect(h.fixture.apiServer.requests.contains { $0.hasPrefix("POST /api/v1/namespaces/default/serviceaccounts/eso-app/token") })
        await h.stop()
    }
}
