import ESCertController
import ESJSON
import ESKube
import ESTestAPIServer
import Testing

/// `check` must never pass unless a webhook really denied the probe: the test API server calls no webhooks, so
/// every path here is a failure with a precise reason.
@Suite struct WebhookCheckTests {
    static let crd: JSON = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "externalsecrets.external-secrets.io"],
        "spec": [
            "group": "external-secrets.io", "scope": "Namespaced",
            "names": ["plural": "externalsecrets", "singular": "externalsecret", "kind": "ExternalSecret",
                      "listKind": "ExternalSecretList"],
            "versions": [["name": "v1", "served": true, "storage": true,
                          "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
        ],
    ]

    @Test func failsWithoutTheCRD() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        #expect(!outcome.passed)
        #expect(outcome.message.hasPrefix("dry-run create failed: "), "\(outcome.message)")
    }

    @Test func failsWhenNoWebhookRejectsTheInvalidProbe() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        _ = try await fixture.kube.create(.customResourceDefinitions, namespace: nil, Self.crd)
        let outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        #expect(!outcome.passed)
        #expect(outcome.message.contains("not registered for ExternalSecrets or not called"))
        // Dry run: nothing was stored.
        #expect(fixture.server.store.objects("externalsecrets", group: "external-secrets.io").isEmpty)
    }

    @Test func reportsAnUnreachableWebhook() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        _ = try await fixture.kube.create(.customResourceDefinitions, namespace: nil, Self.crd)
        fixture.server.faults.failNext(10, status: 500, method: "POST", targetContains: "externalsecrets")
        let outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        #expect(!outcome.passed)
        #expect(outcome.message.hasPrefix("the apiserver could not call the webhook"), "\(outcome.message)")
    }
}
