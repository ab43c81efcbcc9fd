import ESCertController
import ESCertificates
import ESHTTP
import ESJSON
import ESKube
import ESServer
import ESTLS
import ESTestAPIServer
import Logging
import Testing

/// `check` through the test API server, which calls validating webhooks like the real one (rules, caBundle, TLS
/// verification, failurePolicy, denial texts).
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

    /// Denies exactly what the real ExternalSecret validator denies for the probe, allows the rest.
    struct ProbeValidator: HTTPHandler {
        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            guard let review = try? JSON.parse(request.body), let uid = review[path: ["request", "uid"]] else {
                return .text(400, "bad review")
            }
            let spec = review[path: ["request", "object", "spec", "target"]]
            var response: JSON = ["uid": uid, "allowed": true]
            if spec?["deletionPolicy"]?.stringValue == "Delete", spec?["creationPolicy"]?.stringValue == "Merge" {
                response["allowed"] = false
                response["status"] = ["code": 403, "reason": "Forbidden", "message": .string(
                    "deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner")]
            }
            let body: JSON = ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response]
            return .json(200, body.serialized())
        }
    }

    @Test func failsWithoutTheCRD() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        #expect(!outcome.passed)
        #expect(outcome.message.hasPrefix("dry-run create failed: "), "\(outcome.message)")
    }

    @Test func failsWhenNoWebhookIsRegistered() async throws {
        let fixture = try await KubeFixture.start(webhookConfigurations: false)
        defer { Task { await fixture.stop() } }
        _ = try await fixture.kube.create(.customResourceDefinitions, namespace: nil, Self.crd)
        let outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        #expect(!outcome.passed)
        #expect(outcome.message.contains("not registered for ExternalSecrets or not called"))
        // Dry run: nothing was stored.
        #expect(fixture.server.store.objects("externalsecrets", group: "external-secrets.io").isEmpty)
    }

    @Test func failsUntilTheBundleIsInjectedThenPasses() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        _ = try await fixture.kube.create(.customResourceDefinitions, namespace: nil, Self.crd)
        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        var config = kubeConfiguration(certDirectory: directory)
        config.ipAddresses = ["127.0.0.1"]
        // Certificates exist and are served, but the webhook configurations do not trust them yet.
        let bootstrap = CertController.standalone(configuration: config, logger: testLogger)
        try await bootstrap.reconcile()
        var quiet = Logger(label: "probe-webhook")
        quiet.logLevel = .warning
        let webhook = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0,
                                                   tls: TLSConfiguration(certDirectory: directory,
                                                                         reloadInterval: .milliseconds(100)),
                                                   eventLoopCount: 1, name: "webhook"),
            handler: ProbeValidator(), logger: quiet)
        try webhook.start()
        defer { Task { await webhook.shutdown(gracePeriod: .seconds(1)) } }
        fixture.server.registerService(namespace: "es", name: "wh", url: "https://127.0.0.1:\(webhook.port)")

        let untrusted = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        #expect(!untrusted.passed)
        #expect(untrusted.message.hasPrefix("the apiserver could not call the webhook"), "\(untrusted.message)")

        // The cert-controller takes over (new material in the Secret, injected everywhere, served): now it passes.
        let controller = CertController(configuration: config, kube: fixture.kube, logger: testLogger)
        try await controller.reconcile()
        #expect(controller.readiness.isReady)
        var outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        for _ in 0..<40 where !outcome.passed {  // the server reloads the new files within 100 ms
            try await Task.sleep(for: .milliseconds(50))
            outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        }
        #expect(outcome.passed, "\(outcome.message)")
    }

    @Test func reportsAnUnreachableAPIServerPath() async throws {
        let fixture = try await KubeFixture.start(webhookConfigurations: false)
        defer { Task { await fixture.stop() } }
        _ = try await fixture.kube.create(.customResourceDefinitions, namespace: nil, Self.crd)
        fixture.server.faults.failNext(10, status: 500, method: "POST", targetContains: "externalsecrets")
        let outcome = await WebhookCheck.run(kube: fixture.kube, namespace: "default")
        #expect(!outcome.passed)
        #expect(outcome.message.hasPrefix("the apiserver could not call the webhook"), "\(outcome.message)")
    }
}
