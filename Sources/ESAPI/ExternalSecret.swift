import ESJSON

/// An `ExternalSecret` (`external-secrets.io/v1` or `v1beta1`): a typed, read-only view over the
/// object's JSON. `json` is the object exactly as received, unknown fields included.
public struct ExternalSecret: Sendable {
    /// The object exactly as received. When decoded from an indexed document (the webhook's case),
    /// the tree is built from it on each read: most admissions never read it.
    public var json: JSON {
        get {
            switch source {
            case .tree(let json): return json
            case .document(let document): return document.json
            }
        }
        set { source = .tree(newValue) }
    }
    private var source: Source
    private enum Source: Sendable {
        case tree(JSON)
        case document(JSONTape.Value)
    }
    public var version: APIVersion
    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: ExternalSecretSpec

    /// Decodes `json` as the version its `apiVersion` names (v1 when absent or foreign).
    public init(json: JSON) throws(APIDecodingError) {
        let version = json["apiVersion"]?.stringValue.flatMap(APIVersion.init(apiVersion:)) ?? .v1
        try self.init(json: json, version: version)
    }

    /// Decodes `json` into the Go types of `version` (what a webhook path for that version does).
    public init(json: JSON, version: APIVersion) throws(APIDecodingError) {
        try self.init(decoding: JSONTape.indexing(json).root, source: .tree(json), version: version)
    }

    /// Decodes the object at `document` (an indexed document's value) into the Go types of `version`.
    public init(document: JSONTape.Value, version: APIVersion) throws(APIDecodingError) {
        try self.init(decoding: document, source: .document(document), version: version)
    }

    private init(decoding document: JSONTape.Value, source: Source, version: APIVersion) throws(APIDecodingError) {
        let root = try FieldDecoder(root: document, goStruct: "ExternalSecret", package: version.goPackage)
        let header = try TypeHeader.decode(from: root)
        self.source = source
        self.version = version
        self.apiVersion = header.apiVersion
        self.kind = header.kind
        // Lazy metadata maps hold on to the document, which only an ExternalSecret decoded from one keeps anyway.
        var keepsDocument = false
        if case .document = source { keepsDocument = true }
        self.metadata = try ObjectMeta.decode(from: root, lazyMaps: keepsDocument)
        self.spec = try root.decode("spec", goStruct: "ExternalSecretSpec", ExternalSecretSpec.init(from:))
            ?? ExternalSecretSpec()
        _ = try root.nested("status", goStruct: "ExternalSecretStatus")
    }

    /// The name of the Secret this ExternalSecret writes (`target.name`, else `metadata.name`).
    public var targetSecretName: String {
        if let name = spec.target.name, !name.isEmpty { return name }
        return metadata.name
    }
}
