import ESCertificates
import ESHTTP
import ESJSON
import ESKube
import ESServer
import ESTLS
import ESTestAPIServer
import Foundation
import Logging
import Testing

/// A validating webhook that denies ConfigMaps labelled `deny: "true"` and warns about everything else.
struct DenyLabelledWebhook: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard let review = try? JSON.parse(request.body), let uid = review[path: ["request", "uid"]] else {
            return .text(400, "bad review")
        }
        let object = review[path: ["request", "object"]] ?? .null
        let denied = object[path: ["metadata", "labels", "deny"]]?.stringValue == "true"
        var response: JSON = ["uid": uid, "allowed": .bool(!denied)]
        if denied { response["status"] = ["code": 403, "message": "label deny=true is not allowed"] }
        else { response["warnings"] = ["checked by test webhook"] }
        let body: JSON = ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response]
        return .json(200, body.serialized())
    }
}

@Suite struct AdmissionWebhookTests {
    @Test func validatingWebhookIsCalledWithItsFailurePolicy() async throws {
        let certs = try CertificateIssuer.issue(dnsNames: ["webhook.default.svc"], ipAddresses: ["127.0.0.1"],
                                                caValidity: .seconds(3600), certificateValidity: .seconds(3600))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try certs.write(toDirectory: dir)
        let webhookServer = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, tls: TLSConfiguration(certDirectory: dir),
                                                   eventLoopCount: 1, name: "test-webhook"),
            handler: DenyLabelledWebhook(), logger: Logger(label: "test-webhook"))
        try webhookServer.start()
        defer { Task { await webhookServer.shutdown(gracePeriod: .seconds(1)) } }

        try await withAPIServer { server, client in
            server.registerService(namespace: "default", name: "webhook", url: "https://127.0.0.1:\(webhookServer.port)")
            let configuration: JSON = [
                "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
                "metadata": ["name": "test"],
                "webhooks": [[
                    "name": "configmaps.test.io", "admissionReviewVersions": ["v1"], "sideEffects": "None",
                    "failurePolicy": "Fail",
                    "clientConfig": ["service": ["namespace": "default", "name": "webhook", "path": "/validate"],
                                     "caBundle": .string(Data(certs.caCertificatePEM.utf8).base64EncodedString())],
                    "rules": [["apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
                               "resources": ["configmaps"], "scope": "Namespaced"]],
                ]],
            ]
            _ = try await client.create(.validatingWebhookConfigurations, namespace: nil, configuration)

            let allowed = try await client.create(.configMaps, namespace: "default",
                                                  ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "ok"]])
            #expect(allowed[path: ["metadata", "name"]]?.stringValue == "ok")

            let denied = await expectKubeError {
                _ = try await client.create(.configMaps, namespace: "default",
                                            ["apiVersion": "v1", "kind": "ConfigMap",
                                             "metadata": ["name": "no", "labels": ["deny": "true"]]])
            }
            #expect(denied?.code == 403)
            #expect(denied?.message == "admission webhook \"configmaps.test.io\" denied the request: label deny=true is not allowed")
            #expect(server.store.object("configmaps", namespace: "default", name: "no") == nil)
            // Dry-run creates reach the webhook too (what `external-secrets check` relies on).
            let dryDenied = await expectKubeError {
                _ = try await client.create(.configMaps, namespace: "default",
                                            ["apiVersion": "v1", "kind": "ConfigMap",
                                             "metadata": ["name": "no", "labels": ["deny": "true"]]], dryRun: true)
            }
            #expect(dryDenied?.code == 403)
            // Secrets are not covered by the rules.
            _ = try await client.create(.secrets, namespace: "default", secret("unaffected"))

            // An unreachable webhook with failurePolicy Fail rejects; with Ignore it is skipped.
            server.registerService(namespace: "default", name: "webhook", url: "https://127.0.0.1:1")
            let unreachable = await expectKubeError {
                _ = try await client.create(.configMaps, namespace: "default",
                                            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"]])
            }
            #expect(unreachable?.code == 500)
            #expect(unreachable?.message.hasPrefix("Internal error occurred: failed calling webhook \"configmaps.test.io\": failed to call webhook: Post \"https://127.0.0.1:1/validate\"") == true)
            _ = try await client.patch(.validatingWebhookConfigurations, namespace: nil, name: "test", type: .json,
                                       [["op": "replace", "path": "/webhooks/0/failurePolicy", "value": "Ignore"]])
            _ = try await client.create(.configMaps, namespace: "default",
                                        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"]])
        }
    }
}
