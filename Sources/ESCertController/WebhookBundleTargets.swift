// caBundle injection into webhook configurations and CRD conversion webhooks.
import ESCertificates
import ESJSON
import ESKube
import Foundation
import Logging

/// The webhook configurations (by name, or by label selector) and CRDs whose `caBundle` the controller owns.
/// A named object that does not exist is skipped (readiness then counts only the ones that do).
public struct WebhookBundleTargets: CABundleTargets {
    public let kube: KubeClient
    public let validatingNames: [String]
    public let mutatingNames: [String]
    public let labelSelector: String?
    public let conversionCRDNames: [String]
    let logger: Logger

    public init(kube: KubeClient, validatingNames: [String], mutatingNames: [String], labelSelector: String?,
                conversionCRDNames: [String], logger: Logger) {
        self.kube = kube
        self.validatingNames = validatingNames
        self.mutatingNames = mutatingNames
        self.labelSelector = labelSelector
        self.conversionCRDNames = conversionCRDNames
        self.logger = logger
    }

    /// Where the bundle sits inside an object of each kind.
    private enum Shape {
        case webhooks       // webhooks[*].clientConfig.caBundle
        case conversion     // spec.conversion.webhook.clientConfig.caBundle when strategy is Webhook

        static let conversionPath = ["spec", "conversion", "webhook", "clientConfig", "caBundle"]
    }

    private func managedObjects() async throws -> [(kind: ResourceKind, shape: Shape, object: JSON)] {
        var result: [(ResourceKind, Shape, JSON)] = []
        var seen = Set<String>()
        func add(_ kind: ResourceKind, _ shape: Shape, _ object: JSON) {
            let key = "\(kind.resource)/\(object[path: ["metadata", "name"]]?.stringValue ?? "")"
            if seen.insert(key).inserted { result.append((kind, shape, object)) }
        }
        for (kind, names) in [(ResourceKind.validatingWebhookConfigurations, validatingNames),
                              (ResourceKind.mutatingWebhookConfigurations, mutatingNames)] {
            for name in names {
                if let object = try await getIfPresent(kind, name) { add(kind, .webhooks, object) }
            }
            if let labelSelector, !labelSelector.isEmpty {
                let list = try await kube.list(kind, namespace: nil, labelSelector: labelSelector)
                for object in list["items"]?.arrayValue ?? [] { add(kind, .webhooks, object) }
            }
        }
        for name in conversionCRDNames {
            if let crd = try await getIfPresent(.customResourceDefinitions, name),
               crd[path: ["spec", "conversion", "strategy"]]?.stringValue == "Webhook" {
                add(.customResourceDefinitions, .conversion, crd)
            }
        }
        return result
    }

    private func getIfPresent(_ kind: ResourceKind, _ name: String) async throws -> JSON? {
        do {
            return try await kube.get(kind, namespace: nil, name: name)
        } catch let error as KubeError where error.isNotFound {
            logger.debug("managed object not found; skipped", metadata: ["kind": "\(kind)", "name": "\(name)"])
            return nil
        }
    }

    public func currentBundles() async throws -> [InjectedBundle] {
        var bundles: [InjectedBundle] = []
        for (kind, shape, object) in try await managedObjects() {
            let objectName = object[path: ["metadata", "name"]]?.stringValue ?? ""
            switch shape {
            case .webhooks:
                for webhook in object["webhooks"]?.arrayValue ?? [] {
                    let webhookName = webhook["name"]?.stringValue ?? ""
                    bundles.append(InjectedBundle(
                        location: "\(kind.kind) \(objectName) webhook \(webhookName)",
                        bundlePEM: Self.decode(webhook[path: ["clientConfig", "caBundle"]]?.stringValue)))
                }
            case .conversion:
                bundles.append(InjectedBundle(
                    location: "\(kind.kind) \(objectName) conversion webhook",
                    bundlePEM: Self.decode(object[path: Shape.conversionPath]?.stringValue)))
            }
        }
        return bundles
    }

    public func inject(_ bundlePEM: String) async throws -> Int {
        let encoded = Data(bundlePEM.utf8).base64EncodedString()
        var changed = 0
        for (kind, shape, object) in try await managedObjects() {
            var updated = object
            var changedHere = 0
            switch shape {
            case .webhooks:
                guard var webhooks = object["webhooks"]?.arrayValue else { continue }
                for index in webhooks.indices where webhooks[index][path: ["clientConfig", "caBundle"]]?.stringValue != encoded {
                    webhooks[index][path: ["clientConfig", "caBundle"]] = .string(encoded)
                    changedHere += 1
                }
                updated["webhooks"] = .array(webhooks)
            case .conversion:
                if object[path: Shape.conversionPath]?.stringValue != encoded {
                    updated[path: Shape.conversionPath] = .string(encoded)
                    changedHere = 1
                }
            }
            guard changedHere > 0 else { continue }
            // The PUT carries the resourceVersion we read: a concurrent edit fails with Conflict and is retried.
            _ = try await kube.update(kind, namespace: nil, updated, fieldManager: CertController.fieldManager)
            changed += changedHere
        }
        return changed
    }

    public func changes() -> AsyncStream<Void> {
        var streams: [AsyncStream<Void>] = []
        for (kind, names) in [(ResourceKind.validatingWebhookConfigurations, validatingNames),
                              (ResourceKind.mutatingWebhookConfigurations, mutatingNames)] {
            for name in names {
                streams.append(KubeWatchTrigger.changes(kube, kind, namespace: nil, fieldSelector: "metadata.name=\(name)",
                                                        logger: logger))
            }
            if let labelSelector, !labelSelector.isEmpty {
                streams.append(KubeWatchTrigger.changes(kube, kind, namespace: nil, labelSelector: labelSelector,
                                                        logger: logger))
            }
        }
        for name in conversionCRDNames {
            streams.append(KubeWatchTrigger.changes(kube, .customResourceDefinitions, namespace: nil,
                                                    fieldSelector: "metadata.name=\(name)", logger: logger))
        }
        return KubeWatchTrigger.merge(streams)
    }

    static func decode(_ base64: String?) -> String? {
        guard let base64, !base64.isEmpty, let data = Data(base64Encoded: base64) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
