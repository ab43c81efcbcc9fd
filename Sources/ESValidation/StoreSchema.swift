import ESAPI

enum StoreSchema {
    static let awsServices = AWSProvider.services
    static let vaultVersions = ["v1", "v2"]
    static let azureAuthTypes = ["ServicePrincipal", "ManagedIdentity", "WorkloadIdentity"]
    static let azureEnvironments = ["PublicCloud", "USGovernmentCloud", "ChinaCloud", "GermanCloud", "AzureStackCloud"]
    static let caProviderTypes = ["Secret", "ConfigMap"]

    static func spec(_ store: SecretStore, into e: inout FieldErrors) {
        let spec = store.spec
        for condition in spec.conditions {
            for (i, ns) in condition.namespaces.enumerated() {
                e.string("\(condition.path).namespaces[\(i)]", ns, minLength: 1, maxLength: 63, pattern: .dnsLabel)
            }
        }
        guard spec.hasProviderBlock else {
            e.required("spec.provider")
            return
        }
        e.properties("spec.provider", count: spec.providerNames.count, min: 1, max: 1)
        guard let provider = spec.provider else { return }
        let p = provider.path
        switch provider.config {
        case .aws(let aws):
            if aws.service == nil { e.required("\(p).service") }
            e.enumeration("\(p).service", aws.service, awsServices)
            if aws.region == nil { e.required("\(p).region") }
            for ref in [aws.accessKeyIDSecretRef, aws.secretAccessKeySecretRef, aws.sessionTokenSecretRef] { selector(ref, into: &e) }
        case .vault(let vault):
            if vault.server == nil { e.required("\(p).server") }
            e.enumeration("\(p).version", vault.version, vaultVersions)
            if let ca = vault.caProvider { caProvider(ca, into: &e) }
            if let auth = vault.auth {
                if let k = auth.kubernetes, k.role == nil { e.required("\(auth.location).kubernetes.role") }
                if let l = auth.ldap, l.username == nil { e.required("\(auth.location).ldap.username") }
                if let u = auth.userPass, u.username == nil { e.required("\(auth.location).userPass.username") }
                if let i = auth.iam, i.vaultRole == nil { e.required("\(auth.location).iam.vaultRole") }
                if let g = auth.gcp, g.role == nil { e.required("\(auth.location).gcp.role") }
                selector(auth.tokenSecretRef, into: &e)
            }
        case .azurekv(let azure):
            if azure.vaultUrl == nil { e.required("\(p).vaultUrl") }
            e.enumeration("\(p).authType", azure.authType, azureAuthTypes)
            e.enumeration("\(p).environmentType", azure.environmentType, azureEnvironments)
            if azure.hasCustomCloudConfig, azure.activeDirectoryEndpoint == nil {
                e.required("\(p).customCloudConfig.activeDirectoryEndpoint")
            }
            selector(azure.clientId, into: &e)
            selector(azure.clientSecret, into: &e)
        case .gcpsm(let gcp):
            selector(gcp.secretAccessKeySecretRef, into: &e)
        case .kubernetes(let kube):
            if kube.hasAuth { e.properties("\(p).auth", count: kube.authMemberCount, min: 1, max: 1) }
            if let ca = kube.caProvider { caProvider(ca, into: &e) }
            selector(kube.clientCert, into: &e)
            selector(kube.bearerToken, into: &e)
            selector(kube.authRef, into: &e)
        case .fake(let fake):
            if !fake.hasData { e.required("\(p).data") }
            for entry in fake.data {
                if entry.key == nil { e.required("\(entry.path).key") }
                if entry.value == nil { e.required("\(entry.path).value") }
            }
        case .other:
            break
        }
    }

    static func caProvider(_ ca: CAProvider, into e: inout FieldErrors) {
        if ca.type == nil { e.required("\(ca.path).type") }
        e.enumeration("\(ca.path).type", ca.type, caProviderTypes)
        if ca.name == nil { e.required("\(ca.path).name") }
        e.string("\(ca.path).namespace", ca.namespace, minLength: 1, maxLength: 63, pattern: .dnsLabel)
    }

    static func selector(_ ref: SecretKeySelector?, into e: inout FieldErrors) {
        guard let ref else { return }
        e.string("\(ref.path).name", ref.name, minLength: 1, maxLength: 253, pattern: .dnsSubdomain)
        e.string("\(ref.path).namespace", ref.namespace, minLength: 1, maxLength: 63, pattern: .dnsLabel)
        e.string("\(ref.path).key", ref.key, minLength: 1, maxLength: 253, pattern: .secretKey)
    }
}
