import ESCertController
import ESCertificates
import ESJSON
import ESKube
import ESTestAPIServer
import Foundation
import Testing

/// Which objects receive the bundle: named configurations, label-selected ones, CRD conversion webhooks.
@Suite struct BundleTargetSelectionTests {
    @Test func labelSelectedConfigurationsAndConversionCRDsGetTheBundle() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let labelled: JSON = [
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": ["name": "extra-validation", "labels": ["external-secrets.io/component": "webhook"]],
            "webhooks": [KubeFixture.webhook("validate.extra.external-secrets.io", path: "/validate-extra")],
        ]
        let unrelated: JSON = [
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": ["name": "someone-else"],
            "webhooks": [KubeFixture.webhook("validate.other.example.com", path: "/other")],
        ]
        _ = try await fixture.kube.create(.validatingWebhookConfigurations, namespace: nil, labelled)
        _ = try await fixture.kube.create(.validatingWebhookConfigurations, namespace: nil, unrelated)
        let crd: JSON = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "widgets.example.com"],
            "spec": [
                "group": "example.com", "scope": "Namespaced",
                "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"],
                "versions": [["name": "v1", "served": true, "storage": true,
                              "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
                "conversion": ["strategy": "Webhook", "webhook": [
                    "conversionReviewVersions": ["v1"],
                    "clientConfig": ["service": ["name": "wh", "namespace": "es", "path": "/convert"]],
                ]],
            ],
        ]
        _ = try await fixture.kube.create(.customResourceDefinitions, namespace: nil, crd)

        let directory = try temporaryDirectory()
        defer { removeDirectory(directory) }
        var config = kubeConfiguration(certDirectory: directory)
        config.webhookConfigurationSelector = "external-secrets.io/component=webhook"
        config.conversionCRDNames = ["widgets.example.com", "missing.example.com"]
        let controller = CertController(configuration: config, kube: fixture.kube, logger: testLogger)
        let report = try await controller.reconcile()
        // 2 + 2 named webhooks, 1 label-selected, 1 conversion webhook; the unrelated configuration is untouched.
        #expect(report.injected == 6)
        let bundle = try #require(try await fixture.storedFiles()).caCertificatePEM
        let encoded = Data(bundle.utf8).base64EncodedString()
        let extra = try await fixture.kube.get(.validatingWebhookConfigurations, namespace: nil, name: "extra-validation")
        #expect(extra["webhooks"]?[0]?[path: ["clientConfig", "caBundle"]]?.stringValue == encoded)
        let other = try await fixture.kube.get(.validatingWebhookConfigurations, namespace: nil, name: "someone-else")
        #expect(other["webhooks"]?[0]?[path: ["clientConfig", "caBundle"]] == nil)
        let storedCRD = try await fixture.kube.get(.customResourceDefinitions, namespace: nil, name: "widgets.example.com")
        #expect(storedCRD[path: ["spec", "conversion", "webhook", "clientConfig", "caBundle"]]?.stringValue == encoded)
        #expect(controller.readiness.isReady, "\(controller.readiness)")
    }
}
