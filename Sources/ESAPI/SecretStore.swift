import ESJSON

/// Whether a store is namespaced or cluster-wide.
public enum StoreKind: String, Sendable {
    case secretStore = "SecretStore"
    case clusterSecretStore = "ClusterSecretStore"
}

/// A `SecretStore` or `ClusterSecretStore` (`external-secrets.io/v1` or `v1beta1`): a typed,
/// read-only view over the object's JSON (kept whole in `json`).
public struct SecretStore: Sendable {
    public var json: JSON
    public var kind: StoreKind
    public var version: APIVersion
    public var apiVersion: String
    public var metadata: ObjectMeta
    public var spec: SecretStoreSpec

    /// Decodes `json`; kind and version come from its `kind` and `apiVersion` (SecretStore / v1 when absent).
    public init(json: JSON) throws(APIDecodingError) {
        let version = json["apiVersion"]?.stringValue.flatMap(APIVersion.init(apiVersion:)) ?? .v1
        let kind = json["kind"]?.stringValue.flatMap(StoreKind.init(rawValue:)) ?? .secretStore
        try self.init(json: json, kind: kind, version: version)
    }

    /// Decodes `json` into the Go types of `kind` in `version` (what a webhook path does).
    public init(json: JSON, kind: StoreKind, version: APIVersion) throws(APIDecodingError) {
        try self.init(decoding: JSONTape.indexing(json).root, json: json, kind: kind, version: version)
    }

    /// Decodes the object at `document` (an indexed document's value); `json` is built from it.
    public init(document: JSONTape.Value, kind: StoreKind, version: APIVersion) throws(APIDecodingError) {
        try self.init(decoding: document, json: document.json, kind: kind, version: version)
    }

    private init(decoding document: JSONTape.Value, json: JSON, kind: StoreKind, version: APIVersion) throws(APIDecodingError) {
        let root = try FieldDecoder(root: document, goStruct: kind.rawValue, package: version.goPackage)
        let header = try TypeHeader.decode(from: root)
        self.json = json
        self.kind = kind
        self.version = version
        self.apiVersion = header.apiVersion
        self.metadata = try ObjectMeta.decode(from: root)
        self.spec = try root.decode("spec", goStruct: "SecretStoreSpec") { (d) throws(APIDecodingError) in
            try SecretStoreSpec(from: d, version: version)
        } ?? SecretStoreSpec()
        _ = try root.nested("status", goStruct: "SecretStoreStatus")
    }
}

/// `SecretStore.spec` (the same type for ClusterSecretStore).
public struct SecretStoreSpec: Sendable {
    public var controller: String?
    /// The configured provider, when exactly one is set.
    public var provider: ProviderSpec?
    /// Keys of every provider set (non-null), in the order written.
    public var providerNames: [String]
    /// Whether `spec.provider` was written, and how many members it has (schema min/max 1).
    public var hasProviderBlock: Bool
    public var providerMemberCount: Int
    public var retrySettings: RetrySettings?
    public var refreshInterval: StoreRefreshInterval?
    public var conditions: [StoreCondition]

    public init() {
        controller = nil
        provider = nil
        providerNames = []
        hasProviderBlock = false
        providerMemberCount = 0
        retrySettings = nil
        refreshInterval = nil
        conditions = []
    }

    init(from d: FieldDecoder, version: APIVersion) throws(APIDecodingError) {
        self.init()
        controller = try d.string("controller")
        if let p = try d.nested("provider", goStruct: "SecretStoreProvider") {
            hasProviderBlock = true
            providerMemberCount = p.memberCount
            var first: ProviderSpec?
            for (key, value) in p.object.members where !value.isNull {
                guard let goStruct = ProviderSpec.goStructs[key] else { continue }
                let spec = try ProviderSpec(name: key, goStruct: goStruct, parent: p)
                providerNames.append(key)
                if first == nil { first = spec }
                _ = value
            }
            provider = providerNames.count == 1 ? first : nil
        }
        retrySettings = try d.decode("retrySettings", goStruct: "SecretStoreRetrySettings") { (r) throws(APIDecodingError) in
            RetrySettings(maxRetries: try r.integer("maxRetries", goType: "int32"), retryInterval: try r.string("retryInterval"))
        }
        refreshInterval = try StoreRefreshInterval.decode(d, version: version)
        conditions = try d.decodeArray("conditions", goStruct: "ClusterSecretStoreCondition") { (c) throws(APIDecodingError) in
            _ = try c.nested("namespaceSelector", goStruct: "LabelSelector", package: "v1")
            return StoreCondition(
                namespaces: try c.stringArray("namespaces") ?? [],
                namespaceRegexes: try c.stringArray("namespaceRegexes") ?? [],
                hasNamespaceSelector: c.has("namespaceSelector"),
                fieldPath: c.fieldPath)
        }
    }
}

/// `spec.retrySettings`.
public struct RetrySettings: Sendable {
    public var maxRetries: Int64?
    public var retryInterval: String?
}

/// `spec.conditions[i]`: which namespaces may use a ClusterSecretStore.
public struct StoreCondition: Sendable {
    public var namespaces: [String]
    public var namespaceRegexes: [String]
    public var hasNamespaceSelector: Bool
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }
}

/// Store `spec.refreshInterval`: seconds, or (v1 ≥ 2.8) a Go duration string.
public enum StoreRefreshInterval: Sendable, Equatable {
    case seconds(Int64)
    case text(String)

    static func decode(_ d: FieldDecoder, version: APIVersion) throws(APIDecodingError) -> StoreRefreshInterval? {
        guard let v = d.raw("refreshInterval") else { return nil }
        switch (v, version) {
        case (.number(let n), _) where n.isInteger && Int64(n.text) != nil:
            return .seconds(Int64(n.text) ?? 0)
        case (.string(let s), .v1):
            return .text(s)
        case (_, .v1):
            var kind = v.kindName
            if case .number(let n) = v { kind = "number \(n.text)" }
            throw APIDecodingError(path: d.childPath("refreshInterval"), message: "json: cannot unmarshal \(kind) into Go value of type int32")
        default:
            throw d.typeError("refreshInterval", v, goType: "int")
        }
    }
}
