import ESJSON

/// `spec.provider.azurekv`.
public struct AzureKVProvider: Sendable {
    public var vaultUrl: String?
    public var authType: String?
    public var tenantId: String?
    public var environmentType: String?
    public var clientId: SecretKeySelector?
    public var clientSecret: SecretKeySelector?
    public var serviceAccountRef: ServiceAccountSelector?
    public var useAzureSDK: Bool?
    public var hasCustomCloudConfig: Bool
    public var activeDirectoryEndpoint: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        vaultUrl = try d.string("vaultUrl")
        authType = try d.string("authType")
        tenantId = try d.string("tenantId")
        environmentType = try d.string("environmentType")
        _ = try d.string("identityId")
        let auth = try d.nested("authSecretRef", goStruct: "AzureKVAuth")
        clientId = try SecretKeySelector.decode(auth, "clientId")
        clientSecret = try SecretKeySelector.decode(auth, "clientSecret")
        _ = try SecretKeySelector.decode(auth, "clientCertificate")
        _ = try SecretKeySelector.decode(auth, "tenantId")
        serviceAccountRef = try ServiceAccountSelector.decode(d, "serviceAccountRef")
        useAzureSDK = try d.bool("useAzureSDK")
        let cloud = try d.nested("customCloudConfig", goStruct: "AzureCustomCloudConfig")
        hasCustomCloudConfig = cloud != nil
        activeDirectoryEndpoint = try cloud?.string("activeDirectoryEndpoint")
    }
}

/// `spec.provider.gcpsm`.
public struct GCPSMProvider: Sendable {
    public var projectID: String?
    public var location: String?
    public var secretVersionSelectionPolicy: String?
    public var secretAccessKeySecretRef: SecretKeySelector?
    public var workloadIdentityServiceAccountRef: ServiceAccountSelector?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        projectID = try d.string("projectID")
        location = try d.string("location")
        secretVersionSelectionPolicy = try d.string("secretVersionSelectionPolicy")
        let auth = try d.nested("auth", goStruct: "GCPSMAuth")
        let secretRef = try auth?.nested("secretRef", goStruct: "GCPSMAuthSecretRef")
        secretAccessKeySecretRef = try SecretKeySelector.decode(secretRef, "secretAccessKeySecretRef")
        let wi = try auth?.nested("workloadIdentity", goStruct: "GCPWorkloadIdentity")
        workloadIdentityServiceAccountRef = try ServiceAccountSelector.decode(wi, "serviceAccountRef")
    }
}

/// `spec.provider.kubernetes`: another cluster's (or this one's) Secrets.
public struct KubernetesProvider: Sendable {
    public var serverURL: String?
    public var hasServer: Bool
    public var caBundle: String?
    public var caProvider: CAProvider?
    public var hasAuth: Bool
    public var authMemberCount: Int
    public var clientCert: SecretKeySelector?
    public var hasCertAuth: Bool
    public var bearerToken: SecretKeySelector?
    public var hasTokenAuth: Bool
    public var serviceAccount: ServiceAccountSelector?
    public var authRef: SecretKeySelector?
    public var remoteNamespace: String?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        let server = try d.nested("server", goStruct: "KubernetesServer")
        hasServer = server != nil
        serverURL = try server?.string("url")
        caBundle = try server?.bytes("caBundle")
        caProvider = try CAProvider.decode(server, "caProvider")
        let auth = try d.nested("auth", goStruct: "KubernetesAuth")
        hasAuth = auth != nil
        authMemberCount = auth?.memberCount ?? 0
        let cert = try auth?.nested("cert", goStruct: "CertAuth")
        hasCertAuth = cert != nil
        clientCert = try SecretKeySelector.decode(cert, "clientCert")
        _ = try SecretKeySelector.decode(cert, "clientKey")
        let token = try auth?.nested("token", goStruct: "TokenAuth")
        hasTokenAuth = token != nil
        bearerToken = try SecretKeySelector.decode(token, "bearerToken")
        serviceAccount = try ServiceAccountSelector.decode(auth, "serviceAccount")
        authRef = try SecretKeySelector.decode(d, "authRef")
        remoteNamespace = try d.string("remoteNamespace")
    }
}

/// `spec.provider.fake`: static data for tests and demos.
public struct FakeProvider: Sendable {
    public struct Entry: Sendable {
        public var key: String?
        public var value: String?
        public var version: String?
        public var fieldPath: FieldPath
        public var path: String {
            get { fieldPath.description }
            set { fieldPath = FieldPath(newValue) }
        }
    }
    public var data: [Entry]
    public var hasData: Bool
    public var validationResult: Int64?
    public var fieldPath: FieldPath
    public var path: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        hasData = d.has("data")
        data = try d.decodeArray("data", goStruct: "FakeProviderData") { (e) throws(APIDecodingError) in
            _ = try e.stringMap("valueMap")
            return Entry(key: try e.string("key"), value: try e.string("value"), version: try e.string("version"), fieldPath: e.fieldPath)
        }
        validationResult = try d.integer("validationResult", goType: "int")
    }
}
