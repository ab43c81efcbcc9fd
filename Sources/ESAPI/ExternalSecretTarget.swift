import ESJSON

/// `spec.target`: the Secret (or, with `manifest`, another resource) written.
public struct ExternalSecretTarget: Sendable {
    public var name: String?
    /// `Owner` (default), `Orphan`, `Merge`, `None`, `CreateOrMerge` (v1).
    public var creationPolicy: String?
    /// `Retain` (default), `Delete`, `Merge`.
    public var deletionPolicy: String?
    public var immutable: Bool
    public var template: ExternalSecretTemplate?
    public var manifest: ManifestReference?

    public var effectiveCreationPolicy: String { nonEmpty(creationPolicy) ?? "Owner" }
    public var effectiveDeletionPolicy: String { nonEmpty(deletionPolicy) ?? "Retain" }

    public init() {
        name = nil
        creationPolicy = nil
        deletionPolicy = nil
        immutable = false
        template = nil
        manifest = nil
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        name = try d.string("name")
        creationPolicy = try d.string("creationPolicy")
        deletionPolicy = try d.string("deletionPolicy")
        immutable = try d.bool("immutable") ?? false
        template = try d.decode("template", goStruct: "ExternalSecretTemplate", ExternalSecretTemplate.init(from:))
        manifest = try d.decode("manifest", goStruct: "ManifestReference") { (m) throws(APIDecodingError) in
            ManifestReference(apiVersion: try m.string("apiVersion"), kind: try m.string("kind"), fieldPath: m.fieldPath)
        }
    }
}

func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}

/// `target.manifest`: a non-Secret target resource.
public struct ManifestReference: Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    /// True when the target is still a core Secret (`v1`/`Secret`).
    public var isSecret: Bool { apiVersion == "v1" && kind == "Secret" }
}

/// `target.template`.
public struct ExternalSecretTemplate: Sendable {
    public var type: String?
    /// `v2` only.
    public var engineVersion: String?
    /// `Replace` (default) or `Merge`.
    public var mergePolicy: String?
    public var labels: [(key: String, value: String)]
    public var annotations: [(key: String, value: String)]
    public var finalizers: [String]
    public var data: [(key: String, value: String)]
    public var templateFrom: [TemplateFrom]
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        type = try d.string("type")
        engineVersion = try d.string("engineVersion")
        mergePolicy = try d.string("mergePolicy")
        let metadata = try d.nested("metadata", goStruct: "ExternalSecretTemplateMetadata")
        labels = try metadata?.stringMap("labels") ?? []
        annotations = try metadata?.stringMap("annotations") ?? []
        finalizers = try metadata?.stringArray("finalizers") ?? []
        data = try d.stringMap("data") ?? []
        templateFrom = try d.decodeArray("templateFrom", goStruct: "TemplateFrom", TemplateFrom.init(from:))
    }
}

/// `target.template.templateFrom[i]`.
public struct TemplateFrom: Sendable {
    public var configMap: TemplateRef?
    public var secret: TemplateRef?
    public var literal: String?
    /// `Data` (default), `Annotations`, `Labels` (or a dotted path for generic targets).
    public var target: String?
    public var valuesDecodingStrategy: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        configMap = try d.decode("configMap", goStruct: "TemplateRef", TemplateRef.init(from:))
        secret = try d.decode("secret", goStruct: "TemplateRef", TemplateRef.init(from:))
        literal = try d.string("literal")
        target = try d.string("target")
        valuesDecodingStrategy = try d.string("valuesDecodingStrategy")
    }
}

/// `templateFrom[].configMap` / `.secret`.
public struct TemplateRef: Sendable {
    public var name: String?
    public var items: [TemplateRefItem]
    public var hasItems: Bool
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        name = try d.string("name")
        hasItems = d.has("items")
        items = try d.decodeArray("items", goStruct: "TemplateRefItem") { (i) throws(APIDecodingError) in
            TemplateRefItem(key: try i.string("key"), templateAs: try i.string("templateAs"), fieldPath: i.fieldPath)
        }
    }
}

public struct TemplateRefItem: Sendable {
    public var key: String?
    /// `Values` (default) or `KeysAndValues`.
    public var templateAs: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }
}
