import ESJSON

/// The fields of an ExternalSecret the reconciler acts on, read from its JSON (unknown fields stay in
/// `json`). Absent fields take upstream's code defaults.
public struct ExternalSecretView: Sendable {
    public enum CreationPolicy: String, Sendable { case owner = "Owner", orphan = "Orphan", merge = "Merge", none = "None",
                                                        createOrMerge = "CreateOrMerge" }
    public enum DeletionPolicy: String, Sendable { case retain = "Retain", delete = "Delete", merge = "Merge" }
    public enum RefreshPolicy: String, Sendable { case periodic = "Periodic", onChange = "OnChange", createdOnce = "CreatedOnce" }

    public struct StoreRef: Sendable, Hashable {
        public var name: String
        public var kind: String   // "SecretStore" or "ClusterSecretStore"
        public var isCluster: Bool { kind == "ClusterSecretStore" }
        init?(json: JSON?) {
            guard let json, let name = json["name"]?.stringValue, !name.isEmpty else { return nil }
            self.name = name
            let kind = json["kind"]?.stringValue ?? ""
            self.kind = kind.isEmpty ? "SecretStore" : kind
        }
        public init(name: String, kind: String) { self.name = name; self.kind = kind }
    }

    public var json: JSON
    public var namespace: String { json[path: ["metadata", "namespace"]]?.stringValue ?? "" }
    public var name: String { json[path: ["metadata", "name"]]?.stringValue ?? "" }
    public var uid: String { json[path: ["metadata", "uid"]]?.stringValue ?? "" }
    public var generation: Int64 { json[path: ["metadata", "generation"]]?.numberValue?.int64 ?? 0 }
    public var resourceVersion: String { json[path: ["metadata", "resourceVersion"]]?.stringValue ?? "" }
    public var isBeingDeleted: Bool {
        if let ts = json[path: ["metadata", "deletionTimestamp"]], !ts.isNull { return true }
        return false
    }
    public var finalizers: [String] { (json[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue) }
    public var labels: [String: String] { Self.stringMap(json[path: ["metadata", "labels"]]) }
    public var annotations: [String: String] { Self.stringMap(json[path: ["metadata", "annotations"]]) }

    public init(json: JSON) { self.json = json }

    var spec: JSON { json["spec"] ?? .null }
    var target: JSON { spec["target"] ?? .null }

    public var storeRef: StoreRef? { StoreRef(json: spec["secretStoreRef"]) }
    public var targetName: String {
        let n = target["name"]?.stringValue ?? ""
        return n.isEmpty ? name : n
    }
    public var creationPolicyRaw: String {
        let p = target["creationPolicy"]?.stringValue ?? ""
        return p.isEmpty ? "Owner" : p
    }
    public var creationPolicy: CreationPolicy { CreationPolicy(rawValue: creationPolicyRaw) ?? .owner }
    public var deletionPolicy: DeletionPolicy {
        DeletionPolicy(rawValue: target["deletionPolicy"]?.stringValue ?? "") ?? .retain
    }
    public var immutable: Bool { target["immutable"]?.boolValue ?? false }
    public var template: JSON? {
        guard let t = target["template"], !t.isNull else { return nil }
        return t
    }
    public var manifest: JSON? {
        guard let m = target["manifest"], !m.isNull else { return nil }
        return m
    }
    public var refreshPolicy: RefreshPolicy {
        RefreshPolicy(rawValue: spec["refreshPolicy"]?.stringValue ?? "") ?? .periodic
    }
    /// `spec.refreshInterval` in seconds; 1h when absent (upstream fallback); nil when unparseable.
    public var refreshIntervalSeconds: Double? {
        guard let text = spec["refreshInterval"]?.stringValue else { return 3600 }
        return GoDuration.seconds(text)
    }
    public var data: [JSON] { spec["data"]?.arrayValue ?? [] }
    public var dataFrom: [JSON] { spec["dataFrom"]?.arrayValue ?? [] }

    /// Every store an entry refers to (`secretStoreRef` and each `sourceRef.storeRef`).
    public var allStoreRefs: [StoreRef] {
        var refs: [StoreRef] = []
        if let r = storeRef { refs.append(r) }
        for entry in data + dataFrom {
            if let r = StoreRef(json: entry[path: ["sourceRef", "storeRef"]]), !refs.contains(r) { refs.append(r) }
        }
        return refs
    }

    // Status
    var status: JSON { json["status"] ?? .null }
    public var refreshTime: Int64? {
        guard let s = status["refreshTime"]?.stringValue else { return nil }
        return RFC3339Time.parse(s)
    }
    public var syncedResourceVersion: String { status["syncedResourceVersion"]?.stringValue ?? "" }
    public var conditions: [JSON] { status["conditions"]?.arrayValue ?? [] }

    /// `"<generation>-<hash(labels, annotations)>"`: what `syncedResourceVersion` records.
    public var currentResourceVersion: String {
        "\(generation)-" + ObjectHash.ofMetadata(labels: labels, annotations: annotations)
    }

    static func stringMap(_ json: JSON?) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in json?.objectValue ?? JSONObject() {
            if let s = v.stringValue { out[k] = s }
        }
        return out
    }
}
