import ESJSON
import ESKube
import ESReconciler
import ESTestAPIServer
import Foundation
import Testing

@Suite(.serialized) struct KubernetesProviderAndTemplateTests {
    static func kubernetesStore(_ h: ControllerHarness, namespace: String, tokenNamespace: String? = nil) async throws {
        var bearer: JSON = ["name": "remote-token", "key": "token"]
        if let tokenNamespace { bearer["namespace"] = .string(tokenNamespace) }
        _ = try await h.kube.create(.secretStores, namespace: namespace, [
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": ["name": "k8s", "namespace": .string(namespace)],
            "spec": ["provider": ["kubernetes": [
                "server": ["url": .string(h.server.url), "caBundle": .string(Data(h.server.caPEM.utf8).base64EncodedString())],
                "auth": ["token": ["bearerToken": bearer]],
                "remoteNamespace": "remote",
            ]]],
        ])
    }

    static func tokenSecret(_ h: ControllerHarness, namespace: String) async throws {
        _ = try await h.kube.create(.secrets, namespace: namespace, [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "remote-token", "namespace": .string(namespace)],
            "data": ["token": .string(Data(h.server.token.utf8).base64EncodedString())],
        ])
    }

    @Test func readsSecretsOfAnotherNamespaceWithTokenAuth() async throws {
        let h = try await ControllerHarness()
        for ns in ["app", "remote"] { try await h.namespace(ns) }
        _ = try await h.kube.create(.secrets, namespace: "remote", [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "remote"],
            "data": ["user": .string(Data("admin".utf8).base64EncodedString())],
        ])
        try await Self.tokenSecret(h, namespace: "app")
        try await Self.kubernetesStore(h, namespace: "app")
        _ = await h.eventually("store Ready") { h.ready(await h.get(.secretStores, "app", "k8s"))?.status == true }
        var es = ControllerHarness.externalSecret("es", namespace: "app", store: "k8s", remoteKey: "db")
        es[path: ["spec", "data"]] = [["secretKey": "username", "remoteRef": ["key": "db", "property": "user"]]]
        es[path: ["spec", "dataFrom"]] = [["extract": ["key": "db"]]]
        _ = try await h.kube.create(.externalSecrets, namespace: "app", es)
        _ = await h.eventually("Secret") { await h.get(.secrets, "app", "es") != nil }
        let secret = await h.get(.secrets, "app", "es")
        #expect(secret?[path: ["data", "username"]] == "YWRtaW4=")
        #expect(secret?[path: ["data", "user"]] == "YWRtaW4=")
        await h.stop()
    }

    @Test func serviceAccountAuthUsesATokenRequestInTheStoreNamespace() async throws {
        let h = try await ControllerHarness()
        for ns in ["app", "remote"] { try await h.namespace(ns) }
        _ = try await h.kube.create(.serviceAccounts, namespace: "app", ["apiVersion": "v1", "kind": "ServiceAccount",
                                                                          "metadata": ["name": "reader", "namespace": "app"]])
        _ = try await h.kube.create(.secrets, namespace: "remote", [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "remote"],
            "data": ["user": .string(Data("sa-user".utf8).base64EncodedString())],
        ])
        _ = try await h.kube.create(.secretStores, namespace: "app", [
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": ["name": "k8s", "namespace": "app"],
            "spec": ["provider": ["kubernetes": [
                "server": ["url": .string(h.server.url), "caBundle": .string(Data(h.server.caPEM.utf8).base64EncodedString())],
                "auth": ["serviceAccount": ["name": "reader"]],
                "remoteNamespace": "remote",
            ]]],
        ])
        _ = await h.eventually("store checked") { h.ready(await h.get(.secretStores, "app", "k8s")) != nil }
        var es = ControllerHarness.externalSecret("es", namespace: "app", store: "k8s")
        es[path: ["spec", "data"]] = [["secretKey": "username", "remoteRef": ["key": "db", "property": "user"]]]
        _ = try await h.kube.create(.externalSecrets, namespace: "app", es)
        _ = await h.eventually("Secret") { await h.get(.secrets, "app", "es") != nil }
        #expect(await h.get(.secrets, "app", "es")?[path: ["data", "username"]] == .string(Data("sa-user".utf8).base64EncodedString()))
        await h.stop()
    }

    @Test func namespacedStoreCannotReadCredentialsOfAnotherNamespace() async throws {
        let h = try await ControllerHarness()
        for ns in ["app", "other", "remote"] { try await h.namespace(ns) }
        try await Self.tokenSecret(h, namespace: "other")
        try await Self.kubernetesStore(h, namespace: "app", tokenNamespace: "other")
        _ = await h.eventually("store checked") { h.ready(await h.get(.secretStores, "app", "k8s")) != nil }
        #expect(h.ready(await h.get(.secretStores, "app", "k8s"))
            == SyncCondition(status: false, reason: "InvalidProviderConfig", message: "unable to create client"))
        await h.stop()
    }

    @Test func templateRendersData() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("app")
        try await h.fakeStore(namespace: "app", data: [["key": "remote", "value": "pw"]])
        _ = await h.eventually("store Ready") { h.ready(await h.get(.secretStores, "app", "fake"))?.status == true }
        _ = try await h.kube.create(.configMaps, namespace: "app", [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "tpl", "namespace": "app"],
            "data": ["config.yaml": "password: {{ .key | upper }}"],
        ])
        let es = ControllerHarness.externalSecret("es", namespace: "app", target: ["template": [
            "type": "kubernetes.io/basic-auth",
            "metadata": ["labels": ["rendered": "{{ .key }}"]],
            "data": ["dsn": "user:{{ .key }}@db"],
            "templateFrom": [["configMap": ["name": "tpl", "items": [["key": "config.yaml"]]]]],
        ]])
        _ = try await h.kube.create(.externalSecrets, namespace: "app", es)
        _ = await h.eventually("Secret") { await h.get(.secrets, "app", "es") != nil }
        let secret = try #require(await h.get(.secrets, "app", "es"))
        #expect(secret["type"] == "kubernetes.io/basic-auth")
        #expect(secret[path: ["data", "dsn"]] == .string(Data("user:pw@db".utf8).base64EncodedString()))
        #expect(secret[path: ["data", "config.yaml"]] == .string(Data("password: PW".utf8).base64EncodedString()))
        #expect(secret[path: ["data", "key"]] == nil, "Replace merge policy drops the raw keys")
        #expect(secret[path: ["metadata", "labels", "rendered"]] == "pw")
        await h.stop()
    }

    @Test func privilegedTemplateIsRefusedAtRenderTime() async throws {
        let h = try await ControllerHarness()
        try await h.namespace("app")
        try await h.fakeStore(namespace: "app", data: [["key": "remote", "value": "pw"]])
        _ = await h.eventually("store Ready") { h.ready(await h.get(.secretStores, "app", "fake"))?.status == true }
        let es = ControllerHarness.externalSecret("es", namespace: "app", target: ["template": [
            "type": "bootstrap.kubernetes.io/token", "data": ["token-secret": "{{ .key }}"],
        ]])
        _ = try await h.kube.create(.externalSecrets, namespace: "app", es)
        _ = await h.eventually("ES failed") {
            h.ready(await h.get(.externalSecrets, "app", "es")) == .failed("could not update secret")
        }
        #expect(await h.get(.secrets, "app", "es") == nil)
        await h.stop()
    }
}
