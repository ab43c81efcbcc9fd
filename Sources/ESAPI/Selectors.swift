import ESJSON

/// `esmeta.SecretKeySelector`: a key of a Secret, optionally in another namespace (ClusterSecretStore only).
public struct SecretKeySelector: Sendable, Equatable {
    public var name: String?
    public var namespace: String?
    public var key: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    public init(name: String?, namespace: String? = nil, key: String? = nil, path: String = "") {
        self.name = name
        self.namespace = namespace
        self.key = key
        self.fieldPath = FieldPath(path)
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        name = try d.string("name")
        namespace = try d.string("namespace")
        key = try d.string("key")
    }

    static func decode(_ d: FieldDecoder?, _ key: String) throws(APIDecodingError) -> SecretKeySelector? {
        try d?.decode(key, goStruct: "SecretKeySelector", package: "v1", SecretKeySelector.init(from:))
    }
}

/// `esmeta.ServiceAccountSelector`.
public struct ServiceAccountSelector: Sendable, Equatable {
    public var name: String?
    public var namespace: String?
    public var audiences: [String]
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        name = try d.string("name")
        namespace = try d.string("namespace")
        audiences = try d.stringArray("audiences") ?? []
    }

    static func decode(_ d: FieldDecoder?, _ key: String) throws(APIDecodingError) -> ServiceAccountSelector? {
        try d?.decode(key, goStruct: "ServiceAccountSelector", package: "v1", ServiceAccountSelector.init(from:))
    }
}

/// `CAProvider`: a CA bundle from a Secret or ConfigMap.
public struct CAProvider: Sendable, Equatable {
    /// `Secret` or `ConfigMap`.
    public var type: String?
    public var name: String?
    public var key: String?
    public var namespace: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        type = try d.string("type")
        name = try d.string("name")
        key = try d.string("key")
        namespace = try d.string("namespace")
    }

    static func decode(_ d: FieldDecoder?, _ key: String) throws(APIDecodingError) -> CAProvider? {
        try d?.decode(key, goStruct: "CAProvider", CAProvider.init(from:))
    }
}
