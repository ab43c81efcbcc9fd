import ESJSON
import ESYAML
import Foundation
import Testing

/// Guards the properties deploy/webhook promises: strict webhook registration and least-privilege RBAC.
@Suite struct DeployManifestTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/webhook").path

    static func objects() throws -> [JSON] {
        var result: [JSON] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".yaml") {
            let text = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
            result += try YAML.parseDocuments(text).map(\.value).filter { !$0.isNull }
        }
        return result
    }

    static func objects(kind: String) throws -> [JSON] {
        try objects().filter { $0["kind"]?.stringValue == kind }
    }

    @Test func webhooksFailClosedWithShortTimeoutsForOurKindsOnly() throws {
        let configurations = try Self.objects(kind: "ValidatingWebhookConfiguration")
            + Self.objects(kind: "MutatingWebhookConfiguration")
        #expect(configurations.count == 2)
        var count = 0
        for configuration in configurations {
            #expect(configuration[path: ["metadata", "name"]]?.stringValue == "external-secrets-webhook")
            for webhook in configuration["webhooks"]?.arrayValue ?? [] {
                count += 1
                #expect(webhook["failurePolicy"]?.stringValue == "Fail")
                #expect(webhook["sideEffects"]?.stringValue == "NoneOnDryRun")
                #expect(webhook["timeoutSeconds"]?.intValue == 5)
                #expect(webhook["admissionReviewVersions"] == ["v1"])
                #expect(webhook[path: ["clientConfig", "caBundle"]] == nil)
                #expect(webhook[path: ["clientConfig", "service", "name"]]?.stringValue == "external-secrets-webhook")
                for rule in webhook["rules"]?.arrayValue ?? [] {
                    #expect(rule["apiGroups"] == ["external-secrets.io"])
                    let resources = rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    #expect(!resources.isEmpty)
                    #expect(Set(resources).isSubset(of: ["externalsecrets", "secretstores", "clustersecretstores"]))
                }
            }
        }
        #expect(count == 6)
    }

    @Test func rbacNamesEverySecretAndWebhookConfigurationItTouches() throws {
        let rules = try (Self.objects(kind: "Role") + Self.objects(kind: "ClusterRole"))
            .flatMap { $0["rules"]?.arrayValue ?? [] }
        #expect(!rules.isEmpty)
        for rule in rules {
            let resources = rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let verbs = rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let names = rule["resourceNames"]?.arrayValue ?? []
            #expect(!resources.contains("*") && !verbs.contains("*"))
            if resources.contains("secrets") || resources.contains(where: { $0.hasSuffix("webhookconfigurations") }) {
                #expect(!names.isEmpty, "rule \(rule) must be scoped by resourceNames")
                #expect(!verbs.contains("create") && !verbs.contains("delete"))
            } else if !verbs.allSatisfy({ $0 == "create" }) {
                #expect(!names.isEmpty, "rule \(rule) must be scoped by resourceNames")
            }
        }
        // The Secret exists before the controller runs, so it never needs `create`.
        let secrets = try Self.objects(kind: "Secret")
        #expect(secrets.map { $0[path: ["metadata", "name"]]?.stringValue } == ["external-secrets-webhook"])
    }

    @Test func deploymentProbesReadinessAndRunsTheCertController() throws {
        let deployment = try #require(try Self.objects(kind: "Deployment").first)
        let container = try #require(deployment[path: ["spec", "template", "spec", "containers"]]?[0])
        let arguments = container["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(arguments.first == "serve")
        for flag in ["--cert-dir=/tmp/certs", "--service-name=external-secrets-webhook",
                     "--secret-name=external-secrets-webhook", "--enable-leader-election"] {
            #expect(arguments.contains(flag))
        }
        #expect(container[path: ["readinessProbe", "httpGet", "path"]]?.stringValue == "/readyz")
        #expect(container[path: ["securityContext", "readOnlyRootFilesystem"]]?.boolValue == true)
        let service = try #require(try Self.objects(kind: "Service").first)
        #expect(service[path: ["spec", "ports"]]?[0]?["port"]?.intValue == 443)
    }
}
