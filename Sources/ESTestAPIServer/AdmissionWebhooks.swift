import ESHTTPClient
import ESJSON
import Foundation
import Synchronization

/// What is being admitted: the request the API server is about to carry out.
struct AdmissionAttributes: Sendable {
    var operation: String            // CREATE, UPDATE, DELETE
    var type: ResourceType
    var version: String
    var subresource: String?
    var namespace: String?
    var name: String
    var object: JSON?
    var oldObject: JSON?
    var dryRun: Bool
}

/// Calls the webhooks of registered ValidatingWebhookConfigurations the way the real API server
/// does: matching rules, namespace and object selectors, AdmissionReview v1 over HTTPS with the
/// configured caBundle, failurePolicy, and the real error texts.
final class AdmissionWebhooks: Sendable {
    let store: ObjectStore
    /// "namespace/name" of a Service -> base URL ("https://127.0.0.1:port") to reach it from tests.
    let serviceEndpoints = Mutex<[String: String]>([:])

    init(store: ObjectStore) { self.store = store }

    /// Throws the Status error a denial or failed call produces; returns admission warnings.
    func validate(_ attributes: AdmissionAttributes) async throws(APIError) -> [String] {
        if attributes.type.group == "admissionregistration.k8s.io" { return [] }
        let configurations = store.objects("validatingwebhookconfigurations", group: "admissionregistration.k8s.io")
        if configurations.isEmpty { return [] }
        var warnings: [String] = []
        for configuration in configurations {
            for webhook in configuration["webhooks"]?.arrayValue ?? [] where matches(webhook, attributes) {
                warnings += try await call(webhook, attributes)
            }
        }
        return warnings
    }

    // MARK: - Matching

    private func matches(_ webhook: JSON, _ a: AdmissionAttributes) -> Bool {
        let rules = webhook["rules"]?.arrayValue ?? []
        guard rules.contains(where: { ruleMatches($0, a) }) else { return false }
        if let selector = webhook["objectSelector"], !selector.isNull {
            let labels = (a.object ?? a.oldObject).map(LabelSelector.labels(of:)) ?? [:]
            let oldLabels = a.oldObject.map(LabelSelector.labels(of:)) ?? [:]
            if !Self.selector(selector, matches: labels) && !Self.selector(selector, matches: oldLabels) { return false }
        }
        if let selector = webhook["namespaceSelector"], !selector.isNull, a.type.namespaced, let namespace = a.namespace {
            let nsLabels = store.object("namespaces", namespace: nil, name: namespace).map(LabelSelector.labels(of:)) ?? [:]
            if !Self.selector(selector, matches: nsLabels) { return false }
        }
        return true
    }

    private func ruleMatches(_ rule: JSON, _ a: AdmissionAttributes) -> Bool {
        func list(_ key: String) -> [String] { rule[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let operations = list("operations")
        guard operations.contains("*") || operations.contains(a.operation) else { return false }
        let groups = list("apiGroups")
        guard groups.contains("*") || groups.contains(a.type.group) else { return false }
        let versions = list("apiVersions")
        guard versions.contains("*") || versions.contains(a.version) else { return false }
        let resource = a.subresource.map { "\(a.type.resource)/\($0)" } ?? a.type.resource
        let resources = list("resources")
        let resourceMatch = resources.contains { pattern in
            if pattern == resource || pattern == "*/*" { return true }
            if pattern == "*" { return a.subresource == nil }
            if pattern.hasPrefix("*/"), let sub = a.subresource { return pattern.dropFirst(2) == sub }
            if pattern.hasSuffix("/*"), a.subresource != nil { return pattern.dropLast(2) == a.type.resource }
            return false
        }
        guard resourceMatch else { return false }
        switch rule["scope"]?.stringValue ?? "*" {
        case "Namespaced": return a.type.namespaced
        case "Cluster": return !a.type.namespaced
        default: return true
        }
    }

    /// `metav1.LabelSelector` (matchLabels + matchExpressions) against a label set.
    static func selector(_ selector: JSON, matches labels: [String: String]) -> Bool {
        for (key, value) in selector["matchLabels"]?.objectValue ?? JSONObject() where labels[key] != value.stringValue {
            return false
        }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            guard let key = expression["key"]?.stringValue else { return false }
            let values = Set(expression["values"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            switch expression["operator"]?.stringValue ?? "" {
            case "In": if !(labels[key].map(values.contains) ?? false) { return false }
            case "NotIn": if labels[key].map(values.contains) ?? false { return false }
            case "Exists": if labels[key] == nil { return false }
            case "DoesNotExist": if labels[key] != nil { return false }
            default: return false
            }
        }
        return true
    }

    // MARK: - Calling

    private func call(_ webhook: JSON, _ a: AdmissionAttributes) async throws(APIError) -> [String] {
        let name = webhook["name"]?.stringValue ?? ""
        let failurePolicy = webhook["failurePolicy"]?.stringValue ?? "Fail"
        let url = endpoint(webhook["clientConfig"] ?? [:])
        let uid = UUID().uuidString.lowercased()
        var request: JSON = [
            "uid": .string(uid),
            "kind": ["group": .string(a.type.group), "version": .string(a.version), "kind": .string(a.type.kind)],
            "resource": ["group": .string(a.type.group), "version": .string(a.version), "resource": .string(a.type.resource)],
        ]
        if let sub = a.subresource { request["subResource"] = .string(sub) }
        request["requestKind"] = request["kind"]
        request["requestResource"] = request["resource"]
        request["name"] = .string(a.name)
        if let namespace = a.namespace { request["namespace"] = .string(namespace) }
        request["operation"] = .string(a.operation)
        request["userInfo"] = ["username": "test-admin", "groups": ["system:masters", "system:authenticated"]]
        request["object"] = a.object ?? .null
        request["oldObject"] = a.oldObject ?? .null
        request["dryRun"] = .bool(a.dryRun)
        let review: JSON = ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request]

        var tls = HTTPClientTLS()
        if let bundle = webhook[path: ["clientConfig", "caBundle"]]?.stringValue, let pem = Base64.decode(bundle) {
            tls.caPEM = String(decoding: pem, as: UTF8.self)
        }
        let timeout = Duration.seconds(webhook["timeoutSeconds"]?.intValue ?? 10)
        let failure: String
        do {
            let response = try await HTTPClient(tls: tls, defaultTimeout: timeout).execute(
                HTTPClientRequest(method: "POST", url: url, headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                  body: review.serialized(), timeout: timeout))
            if response.status == 200, let body = try? JSON.parse(response.body), let result = body["response"] {
                let warnings = result["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
                if result["allowed"]?.boolValue == true { return warnings }
                throw Self.denial(webhook: name, status: result["status"])
            }
            failure = "failed to call webhook: the server responded with status \(response.status)"
        } catch let error as APIError {
            throw error
        } catch {
            failure = "failed to call webhook: Post \"\(url)\": \(error)"
        }
        if failurePolicy == "Ignore" { return [] }
        throw APIError(code: 500, reason: "InternalError",
                       message: "Internal error occurred: failed calling webhook \"\(name)\": \(failure)",
                       details: ["causes": [["message": .string("failed calling webhook \"\(name)\": \(failure)")]]])
    }

    /// `webhookerrors.ToStatusErr`.
    static func denial(webhook: String, status: JSON?) -> APIError {
        let deniedBy = "admission webhook \"\(webhook)\" denied the request"
        let code = max(status?["code"]?.intValue ?? 400, 400)
        let reason = status?["reason"]?.stringValue ?? ""
        let message: String
        if let text = status?["message"]?.stringValue, !text.isEmpty { message = "\(deniedBy): \(text)" }
        else if !reason.isEmpty { message = "\(deniedBy): \(reason)" }
        else { message = "\(deniedBy) without explanation" }
        return APIError(code: code, reason: reason, message: message, details: status?["details"])
    }

    private func endpoint(_ clientConfig: JSON) -> String {
        if let url = clientConfig["url"]?.stringValue { return url }
        let namespace = clientConfig[path: ["service", "namespace"]]?.stringValue ?? "default"
        let name = clientConfig[path: ["service", "name"]]?.stringValue ?? ""
        let port = clientConfig[path: ["service", "port"]]?.intValue ?? 443
        let path = clientConfig[path: ["service", "path"]]?.stringValue ?? ""
        if let base = serviceEndpoints.withLock({ $0["\(namespace)/\(name)"] }) { return base + path }
        return "https://\(name).\(namespace).svc:\(port)\(path)"
    }
}
