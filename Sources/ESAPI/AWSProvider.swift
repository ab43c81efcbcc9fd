import ESJSON

/// `spec.provider.aws`.
public struct AWSProvider: Sendable {
    /// `SecretsManager`, `ParameterStore` or `CertificateManager`.
    public var service: String?
    public var region: String?
    public var role: String?
    public var additionalRoles: [String]
    public var externalID: String?
    public var prefix: String?
    public var sessionTagsPolicy: String?
    public var sessionTags: [(key: String?, value: String?)]
    public var transitiveTagKeys: [String]
    public var accessKeyIDSecretRef: SecretKeySelector?
    public var secretAccessKeySecretRef: SecretKeySelector?
    public var sessionTokenSecretRef: SecretKeySelector?
    public var jwtServiceAccountRef: ServiceAccountSelector?
    public var hasSecretsManager: Bool
    public var forceDeleteWithoutRecovery: Bool
    public var recoveryWindowInDays: Int64
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    public static let services = ["SecretsManager", "ParameterStore", "CertificateManager"]

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        service = try d.string("service")
        region = try d.string("region")
        role = try d.string("role")
        additionalRoles = try d.stringArray("additionalRoles") ?? []
        externalID = try d.string("externalID")
        prefix = try d.string("prefix")
        sessionTagsPolicy = try d.string("sessionTagsPolicy")
        sessionTags = try d.decodeArray("sessionTags", goStruct: "Tag") { (t) throws(APIDecodingError) in
            (try t.string("key"), try t.string("value"))
        }
        transitiveTagKeys = try d.stringArray("transitiveTagKeys") ?? []
        let auth = try d.nested("auth", goStruct: "AWSAuth")
        let secretRef = try auth?.nested("secretRef", goStruct: "AWSAuthSecretRef")
        accessKeyIDSecretRef = try SecretKeySelector.decode(secretRef, "accessKeyIDSecretRef")
        secretAccessKeySecretRef = try SecretKeySelector.decode(secretRef, "secretAccessKeySecretRef")
        sessionTokenSecretRef = try SecretKeySelector.decode(secretRef, "sessionTokenSecretRef")
        let jwt = try auth?.nested("jwt", goStruct: "AWSJWTAuth")
        jwtServiceAccountRef = try ServiceAccountSelector.decode(jwt, "serviceAccountRef")
        let sm = try d.nested("secretsManager", goStruct: "SecretsManager")
        hasSecretsManager = sm != nil
        forceDeleteWithoutRecovery = try sm?.bool("forceDeleteWithoutRecovery") ?? false
        recoveryWindowInDays = try sm?.integer("recoveryWindowInDays", goType: "int64") ?? 0
    }
}
