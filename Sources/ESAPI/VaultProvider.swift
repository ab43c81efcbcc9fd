import ESJSON

/// `spec.provider.vault` (also `openBao`).
public struct VaultProvider: Sendable {
    public var server: String?
    public var path: String?
    /// `v1` or `v2` (default).
    public var version: String?
    public var namespace: String?
    public var caBundle: String?
    public var caProvider: CAProvider?
    public var tlsCertSecretRef: SecretKeySelector?
    public var tlsKeySecretRef: SecretKeySelector?
    public var checkAndSetRequired: Bool
    public var auth: VaultAuth?
    /// Field path of the block.
    public var fieldPath: FieldPath
    public var location: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        server = try d.string("server")
        path = try d.string("path")
        version = try d.string("version")
        namespace = try d.string("namespace")
        caBundle = try d.bytes("caBundle")
        caProvider = try CAProvider.decode(d, "caProvider")
        _ = try d.bool("readYourWrites")
        _ = try d.bool("forwardInconsistent")
        _ = try d.stringMap("headers")
        let tls = try d.nested("tls", goStruct: "VaultClientTLS")
        tlsCertSecretRef = try SecretKeySelector.decode(tls, "certSecretRef")
        tlsKeySecretRef = try SecretKeySelector.decode(tls, "keySecretRef")
        checkAndSetRequired = try d.nested("checkAndSet", goStruct: "VaultCheckAndSet")?.bool("required") ?? false
        auth = try d.decode("auth", goStruct: "VaultAuth", VaultAuth.init(from:))
    }
}

/// `vault.auth`: the login methods.
public struct VaultAuth: Sendable {
    public struct AppRole: Sendable {
        public var path: String?
        public var roleId: String?
        public var roleRef: SecretKeySelector?
        public var secretRef: SecretKeySelector?
    }
    public struct Kubernetes: Sendable {
        public var mountPath: String?
        public var role: String?
        public var serviceAccountRef: ServiceAccountSelector?
        public var secretRef: SecretKeySelector?
    }
    public struct UserSecret: Sendable {
        public var path: String?
        public var username: String?
        public var secretRef: SecretKeySelector?
    }
    public struct JWT: Sendable {
        public var path: String?
        public var role: String?
        public var secretRef: SecretKeySelector?
        public var kubernetesServiceAccountToken: ServiceAccountSelector?
        public var hasKubernetesServiceAccountToken: Bool
    }
    public struct Cert: Sendable {
        public var path: String?
        public var clientCert: SecretKeySelector?
        public var secretRef: SecretKeySelector?
    }
    public struct IAM: Sendable {
        public var path: String?
        public var vaultRole: String?
        public var jwtServiceAccountRef: ServiceAccountSelector?
        public var accessKeyIDSecretRef: SecretKeySelector?
        public var secretAccessKeySecretRef: SecretKeySelector?
        public var sessionTokenSecretRef: SecretKeySelector?
    }
    public struct GCP: Sendable {
        public var path: String?
        public var role: String?
    }

    public var namespace: String?
    public var tokenSecretRef: SecretKeySelector?
    public var appRole: AppRole?
    public var kubernetes: Kubernetes?
    public var ldap: UserSecret?
    public var userPass: UserSecret?
    public var jwt: JWT?
    public var cert: Cert?
    public var iam: IAM?
    public var gcp: GCP?
    public var fieldPath: FieldPath
    public var location: String {
        get { fieldPath.description }
        set { fieldPath = FieldPath(newValue) }
    }

    init(from d: FieldDecoder) throws(APIDecodingError) {
        fieldPath = d.fieldPath
        namespace = try d.string("namespace")
        tokenSecretRef = try SecretKeySelector.decode(d, "tokenSecretRef")
        appRole = try d.decode("appRole", goStruct: "VaultAppRole") { (a) throws(APIDecodingError) in
            AppRole(path: try a.string("path"), roleId: try a.string("roleId"),
                    roleRef: try SecretKeySelector.decode(a, "roleRef"), secretRef: try SecretKeySelector.decode(a, "secretRef"))
        }
        kubernetes = try d.decode("kubernetes", goStruct: "VaultKubernetesAuth") { (k) throws(APIDecodingError) in
            Kubernetes(mountPath: try k.string("mountPath"), role: try k.string("role"),
                       serviceAccountRef: try ServiceAccountSelector.decode(k, "serviceAccountRef"),
                       secretRef: try SecretKeySelector.decode(k, "secretRef"))
        }
        ldap = try d.decode("ldap", goStruct: "VaultLdapAuth", VaultAuth.userSecret)
        userPass = try d.decode("userPass", goStruct: "VaultUserPassAuth", VaultAuth.userSecret)
        jwt = try d.decode("jwt", goStruct: "VaultJwtAuth") { (j) throws(APIDecodingError) in
            let token = try j.nested("kubernetesServiceAccountToken", goStruct: "VaultKubernetesServiceAccountTokenAuth")
            _ = try token?.stringArray("audiences")
            _ = try token?.integer("expirationSeconds", goType: "int64")
            return JWT(path: try j.string("path"), role: try j.string("role"),
                       secretRef: try SecretKeySelector.decode(j, "secretRef"),
                       kubernetesServiceAccountToken: try ServiceAccountSelector.decode(token, "serviceAccountRef"),
                       hasKubernetesServiceAccountToken: token != nil)
        }
        cert = try d.decode("cert", goStruct: "VaultCertAuth") { (c) throws(APIDecodingError) in
            Cert(path: try c.string("path"), clientCert: try SecretKeySelector.decode(c, "clientCert"),
                 secretRef: try SecretKeySelector.decode(c, "secretRef"))
        }
        iam = try d.decode("iam", goStruct: "VaultIamAuth") { (i) throws(APIDecodingError) in
            let secretRef = try i.nested("secretRef", goStruct: "VaultAwsAuthSecretRef")
            let jwt = try i.nested("jwt", goStruct: "VaultAwsJWTAuth")
            return IAM(path: try i.string("path"), vaultRole: try i.string("vaultRole"),
                       jwtServiceAccountRef: try ServiceAccountSelector.decode(jwt, "serviceAccountRef"),
                       accessKeyIDSecretRef: try SecretKeySelector.decode(secretRef, "accessKeyIDSecretRef"),
                       secretAccessKeySecretRef: try SecretKeySelector.decode(secretRef, "secretAccessKeySecretRef"),
                       sessionTokenSecretRef: try SecretKeySelector.decode(secretRef, "sessionTokenSecretRef"))
        }
        gcp = try d.decode("gcp", goStruct: "VaultGCPAuth") { (g) throws(APIDecodingError) in
            GCP(path: try g.string("path"), role: try g.string("role"))
        }
    }

    static func userSecret(_ u: FieldDecoder) throws(APIDecodingError) -> UserSecret {
        UserSecret(path: try u.string("path"), username: try u.string("username"),
                   secretRef: try SecretKeySelector.decode(u, "secretRef"))
    }
}
