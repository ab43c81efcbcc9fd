import ESJSON

/// `spec.data[i]`: one provider value into one Secret key.
public struct ExternalSecretData: Sendable {
    public var secretKey: String?
    public var remoteRef: RemoteRef?
    public var sourceRef: SourceRef?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        secretKey = try d.string("secretKey")
        remoteRef = try d.decode("remoteRef", goStruct: "ExternalSecretDataRemoteRef", RemoteRef.init(from:))
        sourceRef = try d.decode("sourceRef", goStruct: "StoreSourceRef", SourceRef.init(from:))
    }
}

/// `ExternalSecretDataRemoteRef`: `data[].remoteRef` and `dataFrom[].extract`.
public struct RemoteRef: Sendable, Equatable {
    public var key: String?
    public var property: String?
    public var version: String?
    /// `None` (default) or `Fetch`.
    public var metadataPolicy: String?
    /// `Default` (default) or `Unicode`.
    public var conversionStrategy: String?
    /// `None` (default), `Auto`, `Base64`, `Base64URL`.
    public var decodingStrategy: String?
    /// `Ignore` (default) or `Fail`.
    public var nullBytePolicy: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    public init(key: String, property: String? = nil, version: String? = nil, path: String = "") {
        self.key = key
        self.property = property
        self.version = version
        self.fieldPath = FieldPath(path)
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        key = try d.string("key")
        property = try d.string("property")
        version = try d.string("version")
        metadataPolicy = try d.string("metadataPolicy")
        conversionStrategy = try d.string("conversionStrategy")
        decodingStrategy = try d.string("decodingStrategy")
        nullBytePolicy = try d.string("nullBytePolicy")
    }
}

/// `spec.dataFrom[i]`: many Secret keys from one extract, find or generator.
public struct ExternalSecretDataFrom: Sendable {
    public var extract: RemoteRef?
    public var find: FindRef?
    public var rewrite: [Rewrite]
    public var sourceRef: SourceRef?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        extract = try d.decode("extract", goStruct: "ExternalSecretDataRemoteRef", RemoteRef.init(from:))
        find = try d.decode("find", goStruct: "ExternalSecretFind", FindRef.init(from:))
        rewrite = try d.decodeArray("rewrite", goStruct: "ExternalSecretRewrite", Rewrite.init(from:))
        sourceRef = try d.decode("sourceRef", goStruct: "StoreGeneratorSourceRef", SourceRef.init(from:))
    }
}

/// `dataFrom[].find`: select many provider secrets by path, name regexp or tags.
public struct FindRef: Sendable {
    public var path: String?
    public var nameRegexp: String?
    public var tags: [(key: String, value: String)]
    public var conversionStrategy: String?
    public var decodingStrategy: String?
    public var nullBytePolicy: String?
    public var fieldPath: FieldPath
    public var location: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        path = try d.string("path")
        nameRegexp = try d.nested("name", goStruct: "FindName")?.string("regexp")
        tags = try d.stringMap("tags") ?? []
        conversionStrategy = try d.string("conversionStrategy")
        decodingStrategy = try d.string("decodingStrategy")
        nullBytePolicy = try d.string("nullBytePolicy")
    }
}

/// `dataFrom[].rewrite[i]`: exactly one of `regexp`, `transform`, `merge` (v1).
public struct Rewrite: Sendable {
    public var regexpSource: String?
    public var regexpTarget: String?
    public var hasRegexp: Bool
    public var transformTemplate: String?
    public var hasTransform: Bool
    public var merge: JSON?
    /// Members written (for the one-of rule).
    public var memberCount: Int
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        let regexp = try d.nested("regexp", goStruct: "ExternalSecretRewriteRegexp")
        hasRegexp = regexp != nil
        regexpSource = try regexp?.string("source")
        regexpTarget = try regexp?.string("target")
        let transform = try d.nested("transform", goStruct: "ExternalSecretRewriteTransform")
        hasTransform = transform != nil
        transformTemplate = try transform?.string("template")
        if let mergeDecoder = try d.nested("merge", goStruct: "ExternalSecretRewriteMerge") {
            _ = try mergeDecoder.string("into")
            _ = try mergeDecoder.stringArray("priority")
            _ = try mergeDecoder.string("priorityPolicy")
            _ = try mergeDecoder.string("conflictPolicy")
            _ = try mergeDecoder.string("strategy")
            merge = d.raw("merge")
        } else {
            merge = nil
        }
        memberCount = d.memberCount
    }
}

/// `data[].sourceRef` / `dataFrom[].sourceRef`: a store or a generator instead of `secretStoreRef`.
public struct SourceRef: Sendable {
    public var storeRef: SecretStoreRef?
    public var generatorRef: GeneratorRef?
    /// Members written (schema: exactly one).
    public var memberCount: Int
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        storeRef = try d.decode("storeRef", goStruct: "SecretStoreRef", SecretStoreRef.init(from:))
        generatorRef = try d.decode("generatorRef", goStruct: "GeneratorRef") { (g) throws(APIDecodingError) in
            GeneratorRef(apiVersion: try g.string("apiVersion"), kind: try g.string("kind"), name: try g.string("name"), fieldPath: g.fieldPath)
        }
        memberCount = d.memberCount
    }
}

/// `sourceRef.generatorRef`.
public struct GeneratorRef: Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var name: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    /// The generator kinds the CRD enumerates.
    public static let kinds = [
        "ACRAccessToken", "BeyondtrustWorkloadCredentialsDynamicSecret", "ClusterGenerator", "CloudsmithAccessToken",
        "ECRAuthorizationToken", "Fake", "GCRAccessToken", "GithubAccessToken", "GitlabDeployToken", "QuayAccessToken",
        "Password", "SSHKey", "STSSessionToken", "UUID", "VaultDynamicSecret", "Webhook", "Grafana", "MFA",
    ]
}
