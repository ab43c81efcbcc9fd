// `external-secrets check`: proves the apiserver reaches the admission webhook and verifies its certificate.
import ESJSON
import ESKube

/// Two server-side dry-run creates of an ExternalSecret: one the webhook must deny (a policy combination only the
/// webhook rejects, not the CRD schema) and one it must allow. Denial with our message proves the apiserver called
/// the webhook over TLS it verified with the injected bundle; nothing is persisted.
public enum WebhookCheck {
    public struct Outcome: Sendable, Equatable {
        public var passed: Bool
        public var message: String
    }

    static let expectedDenial = "deletionPolicy=Delete must not be used when the controller doesn't own the secret"

    public static func run(kube: KubeClient, namespace: String) async -> Outcome {
        do {
            _ = try await kube.create(.externalSecrets, namespace: namespace,
                                      probe(namespace: namespace, deniable: true), dryRun: true)
            return Outcome(passed: false, message: "an invalid ExternalSecret was accepted: the external-secrets "
                + "validating webhook is not registered for ExternalSecrets or not called")
        } catch let error as KubeError {
            if error.message.contains("denied the request") && error.message.contains(expectedDenial) {
                // Expected: continue with the allowed probe.
            } else if error.message.contains("failed calling webhook") || error.code >= 500 {
                return Outcome(passed: false, message: "the apiserver could not call the webhook: \(error.message)")
            } else {
                return Outcome(passed: false, message: "dry-run create failed: \(error.message)")
            }
        } catch {
            return Outcome(passed: false, message: "cannot reach the apiserver: \(error)")
        }
        do {
            _ = try await kube.create(.externalSecrets, namespace: namespace,
                                      probe(namespace: namespace, deniable: false), dryRun: true)
        } catch {
            return Outcome(passed: false, message: "a valid ExternalSecret was rejected: \(error)")
        }
        return Outcome(passed: true, message: "The external-secrets webhook is reachable and its certificate verifies")
    }

    /// A schema-valid ExternalSecret; `deniable` adds the Delete+Merge policy pair the webhook rejects.
    static func probe(namespace: String, deniable: Bool) -> JSON {
        var target: JSON = ["name": "external-secrets-check"]
        if deniable {
            target["creationPolicy"] = "Merge"
            target["deletionPolicy"] = "Delete"
        }
        return [
            "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": ["generateName": "external-secrets-check-", "namespace": .string(namespace)],
            "spec": [
                "secretStoreRef": ["name": "external-secrets-check", "kind": "SecretStore"],
                "target": target,
                "data": [["secretKey": "check", "remoteRef": ["key": "external-secrets-check"]]],
            ],
        ]
    }
}
