import ESJSON

/// A `ClusterExternalSecret`: an ExternalSecret spec stamped into every selected namespace.
public struct ClusterExternalSecret: Sendable {
    public var json: JSON
    public var metadata: ObjectMeta
    /// `spec.externalSecretSpec`, decoded as an ExternalSecret spec.
    public var externalSecretSpec: ExternalSecretSpec
    public var externalSecretName: String?
    public var namespaces: [String]
    public var refreshTime: DurationValue?

    public init(json: JSON) throws(APIDecodingError) {
        let version = json["apiVersion"]?.stringValue.flatMap(APIVersion.init(apiVersion:)) ?? .v1
        let root = try FieldDecoder(root: json, goStruct: "ClusterExternalSecret", package: version.goPackage)
        self.json = json
        metadata = try ObjectMeta.decode(from: root)
        let spec = try root.nested("spec", goStruct: "ClusterExternalSecretSpec")
        externalSecretSpec = try spec?.decode("externalSecretSpec", goStruct: "ExternalSecretSpec", ExternalSecretSpec.init(from:))
            ?? ExternalSecretSpec()
        externalSecretName = try spec?.string("externalSecretName")
        namespaces = try spec?.stringArray("namespaces") ?? []
        refreshTime = try spec?.duration("refreshTime")
        _ = try spec?.nestedArray("namespaceSelectors", goStruct: "LabelSelector", package: "v1")
        _ = try spec?.nested("externalSecretMetadata", goStruct: "ExternalSecretMetadata")?.stringMap("labels")
    }
}

/// A `PushSecret` (`external-secrets.io/v1alpha1`): a Secret pushed to provider stores.
public struct PushSecret: Sendable {
    public struct Entry: Sendable {
        public var secretKey: String?
        public var remoteKey: String?
        public var property: String?
        public var fieldPath: FieldPath
        public var path: String {
            get { fieldPath.description }
            set { fieldPath = FieldPath(newValue) }
        }
    }
    public var json: JSON
    public var metadata: ObjectMeta
    public var refreshInterval: DurationValue?
    public var storeRefs: [SecretStoreRef]
    /// `Replace` (default) or `IfNotExists`.
    public var updatePolicy: String?
    /// `None` (default) or `Delete`.
    public var deletionPolicy: String?
    public var sourceSecretName: String?
    public var data: [Entry]

    public init(json: JSON) throws(APIDecodingError) {
        let root = try FieldDecoder(root: json, goStruct: "PushSecret", package: "v1alpha1")
        self.json = json
        metadata = try ObjectMeta.decode(from: root)
        let spec = try root.nested("spec", goStruct: "PushSecretSpec")
        refreshInterval = try spec?.duration("refreshInterval")
        storeRefs = try spec?.decodeArray("secretStoreRefs", goStruct: "PushSecretStoreRef", SecretStoreRef.init(from:)) ?? []
        updatePolicy = try spec?.string("updatePolicy")
        deletionPolicy = try spec?.string("deletionPolicy")
        sourceSecretName = try spec?.nested("selector", goStruct: "PushSecretSelector")?
            .nested("secret", goStruct: "PushSecretSecret")?.string("name")
        data = try spec?.decodeArray("data", goStruct: "PushSecretData") { (d) throws(APIDecodingError) in
            let match = try d.nested("match", goStruct: "PushSecretMatch")
            let remote = try match?.nested("remoteRef", goStruct: "PushSecretRemoteRef")
            return Entry(secretKey: try match?.string("secretKey"), remoteKey: try remote?.string("remoteKey"),
                         property: try remote?.string("property"), fieldPath: d.fieldPath)
        } ?? []
    }
}
