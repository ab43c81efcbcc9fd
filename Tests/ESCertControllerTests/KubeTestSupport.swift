import ESCertController
import ESCertificates
import ESJSON
import ESKube
import ESTestAPIServer
import Foundation

/// A test API server with a kube client and the two webhook configurations the controller manages.
struct KubeFixture {
    let server: TestAPIServer
    let kube: KubeClient

    static func start(webhookConfigurations: Bool = true) async throws -> KubeFixture {
        let server = try await TestAPIServer.start()
        let kube = KubeClient(config: try KubeConfig.parse(kubeconfig: server.kubeconfig()))
        for kind in [ResourceKind.validatingWebhookConfigurations, .mutatingWebhookConfigurations] where webhookConfigurations {
            let object: JSON = [
                "apiVersion": "admissionregistration.k8s.io/v1", "kind": .string(kind.kind),
                "metadata": ["name": "external-secrets-webhook"],
                "webhooks": [
                    webhook("validate.externalsecret.external-secrets.io", path: "/validate-es"),
                    webhook("validate.secretstore.external-secrets.io", path: "/validate-ss"),
                ],
            ]
            _ = try await kube.create(kind, namespace: nil, object)
        }
        return KubeFixture(server: server, kube: kube)
    }

    static func webhook(_ name: String, path: String) -> JSON {
        [
            "name": .string(name),
            "clientConfig": ["service": ["name": "wh", "namespace": "es", "path": .string(path), "port": 443]],
            "rules": [["apiGroups": ["external-secrets.io"], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
                       "resources": ["externalsecrets"]]],
            "failurePolicy": "Fail", "sideEffects": "None", "admissionReviewVersions": ["v1"],
        ]
    }

    func stop() async {
        await server.stop()
    }

    /// The decoded caBundle of every webhook in both configurations.
    func injectedBundles() async throws -> [String?] {
        var result: [String?] = []
        for kind in [ResourceKind.validatingWebhookConfigurations, .mutatingWebhookConfigurations] {
            let object = try await kube.get(kind, namespace: nil, name: "external-secrets-webhook")
            for webhook in object["webhooks"]?.arrayValue ?? [] {
                result.append(webhook[path: ["clientConfig", "caBundle"]]?.stringValue
                    .flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) })
            }
        }
        return result
    }

    func secret() async throws -> JSON? {
        try? await kube.get(.secrets, namespace: "default", name: "external-secrets-webhook")
    }

    func storedFiles() async throws -> CertificateFiles? {
        try await SecretCertificateStorage(kube: kube, namespace: "default", name: "external-secrets-webhook",
                                           logger: testLogger).load().files
    }

    /// Someone else's CA written into the first webhook of the validating configuration.
    func overwriteFirstBundle() async throws {
        let stranger = try CertificateIssuer.issueCertificateAuthority(validity: .seconds(3600))
        var object = try await kube.get(.validatingWebhookConfigurations, namespace: nil, name: "external-secrets-webhook")
        guard var webhooks = object["webhooks"]?.arrayValue else { return }
        webhooks[0][path: ["clientConfig", "caBundle"]] = .string(Data(stranger.certificatePEM.utf8).base64EncodedString())
        object["webhooks"] = .array(webhooks)
        _ = try await kube.update(.validatingWebhookConfigurations, namespace: nil, object)
    }
}

func kubeConfiguration(certDirectory: String, ca: Int64 = 365 * 86400, cert: Int64 = 30 * 86400, interval: Int64 = 60,
                       leaderElection: Bool = false) -> CertControllerConfiguration {
    var config = configuration(certDirectory: certDirectory, ca: ca, cert: cert, interval: interval)
    config.leaderElection = leaderElection
    config.leaseDuration = .seconds(3)
    return config
}

/// Polls `condition` every 50 ms for up to `seconds`.
func eventually(seconds: Int = 60, _ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<(seconds * 20) {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
