import ESJSON
import ESRegex

/// `ClusterSecretStore.spec.conditions` (§4.4): whether an ExternalSecret in a namespace may use the store.
public enum ClusterStoreConditions {
    /// True when the store has no conditions or any condition matches the namespace (by
    /// `namespaceSelector`, by name in `namespaces`, or by an unanchored `namespaceRegexes` match).
    public static func allows(store: JSON, namespace: String, namespaceLabels: [String: String]) -> Bool {
        let conditions = store[path: ["spec", "conditions"]]?.arrayValue ?? []
        if conditions.isEmpty { return true }
        var labels = namespaceLabels
        labels["kubernetes.io/metadata.name"] = labels["kubernetes.io/metadata.name"] ?? namespace
        for condition in conditions {
            if let selector = condition["namespaceSelector"], !selector.isNull,
               LabelSelector.matches(selector, labels: labels) {
                return true
            }
            for name in (condition["namespaces"]?.arrayValue ?? []).compactMap(\.stringValue) where name == namespace {
                return true
            }
            for pattern in (condition["namespaceRegexes"]?.arrayValue ?? []).compactMap(\.stringValue) {
                if let re = try? GoRegex(pattern), re.matches(namespace) { return true }
            }
        }
        return false
    }

    public static func deniedMessage(store: String, namespace: String) -> String {
        "using cluster store \"\(store)\" is not allowed from namespace \"\(namespace)\": denied by spec.condition"
    }
}

/// `metav1.LabelSelector` matching (`matchLabels` and `matchExpressions`).
public enum LabelSelector {
    public static func matches(_ selector: JSON, labels: [String: String]) -> Bool {
        for (k, v) in selector["matchLabels"]?.objectValue ?? JSONObject() {
            guard labels[k] == v.stringValue else { return false }
        }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch expression["operator"]?.stringValue ?? "" {
            case "In": guard let v = labels[key], values.contains(v) else { return false }
            case "NotIn": if let v = labels[key], values.contains(v) { return false }
            case "Exists": guard labels[key] != nil else { return false }
            case "DoesNotExist": guard labels[key] == nil else { return false }
            default: return false
            }
        }
        return true
    }
}
