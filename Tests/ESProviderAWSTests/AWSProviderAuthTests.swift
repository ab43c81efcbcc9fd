import ESAPI
import ESJSON
import ESProviderAWS
import ESProviders
import ESTestAPIServer
import Foundation
import Testing

@Suite("AWS provider: authentication modes against moto")
struct AWSProviderAuthTests {
    @Test func serviceAccountJWTThroughWebIdentityIsCached() async throws {
        let f = try await AWSProviderFixture.start()
        let roleARN = try await f.moto.createRole("irsa", using: f.keys)
        _ = try await f.createSecret("irsa/secret", string: "via-irsa")
        try await f.putServiceAccount("app-sa", roleARN: roleARN)
        try await f.putServiceAccount("no-role", roleARN: nil)
        let calls = CallLog()
        let provider = f.provider(observer: { _, op, ok in calls.add("\(op):\(ok)") })
        let store = try AWSProviderFixture.store(aws: [("auth", ["jwt": ["serviceAccountRef": ["name": "app-sa"]]])])

        f.apiServer.clearRequests()
        // AssumeRoleWithWebIdentity is unsigned by design; moto can only serve it inside a no-auth window.
        try await f.moto.allowUnauthenticated(1)
        let client = try await provider.newClient(store: store, namespace: "default", kube: f.kube)
        #expect(try await client.getSecret(RemoteRef(key: "irsa/secret")).text == "via-irsa")
        let second = try await provider.newClient(store: store, namespace: "default", kube: f.kube)
        #expect(try await second.getSecret(RemoteRef(key: "irsa/secret")).text == "via-irsa")
        #expect(await second.validate() == .ready)
        #expect(calls.entries.filter { $0 == "AssumeRoleWithWebIdentity:true" }.count == 1)
        #expect(f.apiServer.requests.filter { $0.hasPrefix("POST /api/v1/namespaces/default/serviceaccounts/app-sa/token") }.count == 1)

        let noRole = try AWSProviderFixture.store(aws: [("auth", ["jwt": ["serviceAccountRef": ["name": "no-role"]]])])
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.newClient(store: noRole, namespace: "default", kube: f.kube)
        }
        #expect(error?.message == "an IAM role must be associated with service account no-role (namespace: default)")
        await f.stop()
    }

    @Test func roleChainingWithExternalIDAndSessionTagsIsCached() async throws {
        let f = try await AWSProviderFixture.start()
        let first = try await f.moto.createRole("hop", using: f.keys)
        let target = try await f.moto.createRole("target", using: f.keys)
        _ = try await f.createSecret("chained", string: "ok")
        let calls = CallLog()
        let provider = f.provider(observer: { _, op, ok in calls.add("\(op):\(ok)") })
        let store = try AWSProviderFixture.store(aws: [
            ("role", .string(target)), ("additionalRoles", [.string(first)]), ("externalID", "ext-123"),
            ("sessionTags", [["key": "team", "value": "blue"]]), ("transitiveTagKeys", ["team"]),
        ])
        for _ in 0..<3 {
            let client = try await provider.newClient(store: store, namespace: "default", kube: f.kube)
            #expect(try await client.getSecret(RemoteRef(key: "chained")).text == "ok")
        }
        // One AssumeRole per hop, then served from the credential cache.
        #expect(calls.entries.filter { $0 == "AssumeRole:true" }.count == 2)
        await f.stop()
    }

    @Test func environmentCredentialChain() async throws {
        let f = try await AWSProviderFixture.start()
        _ = try await f.createSecret("env/secret", string: "from-env")
        var aws = JSONObject()
        aws["service"] = "SecretsManager"
        aws["region"] = "us-east-1"
        let store = try SecretStore(json: ["apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
                                           "metadata": ["name": "env", "namespace": "default"],
                                           "spec": ["provider": ["aws": .object(aws)]]])

        let keys = f.provider(environment: ["AWS_ACCESS_KEY_ID": f.keys.accessKeyID, "AWS_SECRET_ACCESS_KEY": f.keys.secretAccessKey])
        let client = try await keys.newClient(store: store, namespace: "default", kube: f.kube)
        #expect(try await client.getSecret(RemoteRef(key: "env/secret")).text == "from-env")

        let roleARN = try await f.moto.createRole("irsa-env", using: f.keys)
        let dir = try TestProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "header.payload.signature\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let irsa = f.provider(environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": dir + "/token", "AWS_ROLE_ARN": roleARN])
        try await f.moto.allowUnauthenticated(1)
        let irsaClient = try await irsa.newClient(store: store, namespace: "default", kube: f.kube)
        #expect(try await irsaClient.getSecret(RemoteRef(key: "env/secret")).text == "from-env")

        let none = try await f.provider().newClient(store: store, namespace: "default", kube: f.kube)
        guard case .error = await none.validate() else {
            Issue.record("validation without any credentials must fail")
            await f.stop()
            return
        }
        let failure = await #expect(throws: ProviderError.self) { try await none.getSecret(RemoteRef(key: "env/secret")) }
        #expect(failure?.kind == .auth)
        await f.stop()
    }

    @Test func clusterStoreReferentAuthWithoutNamespaceIsUnknown() async throws {
        let f = try await AWSProviderFixture.start()
        _ = try await f.createSecret("css/secret", string: "css")
        let css = try AWSProviderFixture.store(kind: "ClusterSecretStore")
        let validating = try await f.provider().newClient(store: css, namespace: "", kube: f.kube)
        #expect(await validating.validate() == .unknown)
        let reading = try await f.provider().newClient(store: css, namespace: "default", kube: f.kube)
        #expect(try await reading.getSecret(RemoteRef(key: "css/secret")).text == "css")
        await f.stop()
    }

    @Test func storeSettingsAreValidated() async throws {
        let f = try await AWSProviderFixture.start()
        let unsupported = try AWSProviderFixture.store(service: "CertificateManager")
        let error = await #expect(throws: ProviderError.self) {
            _ = try await f.provider().newClient(store: unsupported, namespace: "default", kube: f.kube)
        }
        #expect(error?.kind == .unsupported)
        let badRetry = try AWSProviderFixture.store(retrySettings: ["maxRetries": 2, "retryInterval": "soon"])
        let retryError = await #expect(throws: ProviderError.self) {
            _ = try await f.provider().newClient(store: badRetry, namespace: "default", kube: f.kube)
        }
        #expect(retryError?.kind == .invalid)
        let goodRetry = try AWSProviderFixture.store(retrySettings: ["maxRetries": 1, "retryInterval": "10ms"])
        _ = try await f.createSecret("r", string: "1")
        let client = try await f.provider().newClient(store: goodRetry, namespace: "default", kube: f.kube)
        #expect(try await client.getSecret(RemoteRef(key: "r")).text == "1")
        await f.stop()
    }
}
