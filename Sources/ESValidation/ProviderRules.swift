import ESAPI

/// The providers' `ValidateStore` rules. Each provider reports its first error; only the
/// kubernetes provider warns.
enum ProviderRules {
    static func validate(_ provider: ProviderSpec, store: SecretStore) -> ValidationResult {
        var warnings: [String] = []
        let error: ValidationIssue?
        switch provider.config {
        case .aws(let aws): error = ProviderRules.aws(aws, store)
        case .vault(let vault): error = ProviderRules.vault(vault, store)
        case .azurekv(let azure): error = ProviderRules.azure(azure, store)
        case .gcpsm(let gcp): error = ProviderRules.gcp(gcp, store)
        case .kubernetes(let kube): error = ProviderRules.kubernetes(kube, store, warnings: &warnings)
        case .fake(let fake): error = ProviderRules.fake(fake)
        case .other: error = nil
        }
        return ValidationResult(issues: error.map { [$0] } ?? [], warnings: warnings)
    }

    /// A referent/strict selector failure, prefixed the way the provider words it.
    static func check(_ failure: String?, _ prefix: String, path: String?) -> ValidationIssue? {
        guard let failure else { return nil }
        return ValidationIssue(prefix.isEmpty ? failure : "\(prefix): \(failure)", path: path ?? "")
    }

    static func firstIssue(_ checks: [() -> ValidationIssue?]) -> ValidationIssue? {
        for check in checks { if let issue = check() { return issue } }
        return nil
    }

    // MARK: - AWS

    static func aws(_ aws: AWSProvider, _ store: SecretStore) -> ValidationIssue? {
        firstIssue([
            {
                guard let service = aws.service, !AWSProvider.services.contains(service) else { return nil }
                return ValidationIssue("unknown AWS Provider Service: \(service)", path: aws.path + ".service")
            },
            {
                guard aws.hasSecretsManager else { return nil }
                let days = aws.recoveryWindowInDays
                if days != 0 && !(7...30).contains(days) {
                    return ValidationIssue("invalid DeleteSecretInput: RecoveryWindowInDays must be between 7 and 30 days",
                                           path: aws.path + ".secretsManager.recoveryWindowInDays")
                }
                if days != 0 && aws.forceDeleteWithoutRecovery {
                    return ValidationIssue("invalid DeleteSecretInput: ForceDeleteWithoutRecovery conflicts with RecoveryWindowInDays",
                                           path: aws.path + ".secretsManager.forceDeleteWithoutRecovery")
                }
                return nil
            },
            { check(ReferentSelectors.referent(store, aws.accessKeyIDSecretRef), "invalid Auth.SecretRef.AccessKeyID", path: aws.accessKeyIDSecretRef?.path) },
            { check(ReferentSelectors.referent(store, aws.secretAccessKeySecretRef), "invalid Auth.SecretRef.SecretAccessKey", path: aws.secretAccessKeySecretRef?.path) },
            { check(ReferentSelectors.referent(store, aws.sessionTokenSecretRef), "invalid Auth.SecretRef.SessionToken", path: aws.sessionTokenSecretRef?.path) },
            { check(ReferentSelectors.referent(store, aws.jwtServiceAccountRef), "invalid Auth.JWT.ServiceAccountRef", path: aws.jwtServiceAccountRef?.path) },
        ])
    }

    // MARK: - Vault

    static func vault(_ vault: VaultProvider, _ store: SecretStore) -> ValidationIssue? {
        var checks: [() -> ValidationIssue?] = []
        if let auth = vault.auth {
            if let appRole = auth.appRole {
                checks.append { check(ReferentSelectors.referent(store, appRole.secretRef), "invalid Auth.AppRole.SecretRef", path: appRole.secretRef?.path) }
                checks.append {
                    guard (appRole.roleId ?? "").isEmpty else { return nil }
                    if let roleRef = appRole.roleRef {
                        return check(ReferentSelectors.referent(store, roleRef), "invalid Auth.AppRole.RoleRef", path: roleRef.path)
                    }
                    return ValidationIssue("invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied", path: auth.location + ".appRole")
                }
            }
            if let cert = auth.cert {
                checks.append { check(ReferentSelectors.referent(store, cert.clientCert), "invalid Auth.Cert.ClientCert", path: cert.clientCert?.path) }
                checks.append { check(ReferentSelectors.referent(store, cert.secretRef), "invalid Auth.Cert.SecretRef", path: cert.secretRef?.path) }
            }
            if let jwt = auth.jwt {
                checks.append {
                    if let secretRef = jwt.secretRef {
                        return check(ReferentSelectors.referent(store, secretRef), "invalid Auth.Jwt.SecretRef", path: secretRef.path)
                    }
                    if jwt.hasKubernetesServiceAccountToken {
                        return check(ReferentSelectors.referent(store, jwt.kubernetesServiceAccountToken),
                                     "invalid Auth.Jwt.KubernetesServiceAccountToken.ServiceAccountRef",
                                     path: jwt.kubernetesServiceAccountToken?.path)
                    }
                    return ValidationIssue(
                        "neither `secretRef` nor `kubernetesServiceAccountToken` was supplied as token source for jwt authentication",
                        path: auth.location + ".jwt")
                }
            }
            if let kube = auth.kubernetes {
                checks.append { check(ReferentSelectors.referent(store, kube.serviceAccountRef), "invalid Auth.Kubernetes.ServiceAccountRef", path: kube.serviceAccountRef?.path) }
                checks.append { check(ReferentSelectors.referent(store, kube.secretRef), "invalid Auth.Kubernetes.SecretRef", path: kube.secretRef?.path) }
            }
            if let ldap = auth.ldap {
                checks.append { check(ReferentSelectors.referent(store, ldap.secretRef), "invalid Auth.Ldap.SecretRef", path: ldap.secretRef?.path) }
            }
            if let userPass = auth.userPass {
                checks.append { check(ReferentSelectors.referent(store, userPass.secretRef), "invalid Auth.UserPass.SecretRef", path: userPass.secretRef?.path) }
            }
            if let token = auth.tokenSecretRef {
                checks.append { check(ReferentSelectors.referent(store, token), "invalid Auth.TokenSecretRef", path: token.path) }
            }
            if let iam = auth.iam {
                // Upstream reports every IAM selector as Auth.TokenSecretRef.
                checks.append { check(ReferentSelectors.referent(store, iam.jwtServiceAccountRef), "invalid Auth.TokenSecretRef", path: iam.jwtServiceAccountRef?.path) }
                for ref in [iam.accessKeyIDSecretRef, iam.secretAccessKeySecretRef, iam.sessionTokenSecretRef] {
                    checks.append { check(ReferentSelectors.referent(store, ref), "invalid Auth.TokenSecretRef", path: ref?.path) }
                }
            }
        }
        checks.append {
            switch (vault.tlsCertSecretRef, vault.tlsKeySecretRef) {
            case (let cert?, let key?):
                return check(ReferentSelectors.referent(store, cert), "invalid ClientTLS.ClientCert", path: cert.path)
                    ?? check(ReferentSelectors.referent(store, key), "invalid ClientTLS.SecretRef", path: key.path)
            case (nil, nil):
                return nil
            default:
                return ValidationIssue("when provided, both ClientTLS.ClientCert and ClientTLS.SecretRef should be provided",
                                       path: vault.location + ".tls")
            }
        }
        checks.append {
            guard vault.checkAndSetRequired, vault.version == "v1" else { return nil }
            return ValidationIssue("checkAndSet is not supported with Vault KV version v1", path: vault.location + ".checkAndSet.required")
        }
        return firstIssue(checks)
    }

    // MARK: - Azure Key Vault

    static func azure(_ azure: AzureKVProvider, _ store: SecretStore) -> ValidationIssue? {
        firstIssue([
            { check(ReferentSelectors.referent(store, azure.clientId), "invalid AuthSecretRef.ClientID", path: azure.clientId?.path) },
            { check(ReferentSelectors.referent(store, azure.clientSecret), "invalid AuthSecretRef.ClientSecret", path: azure.clientSecret?.path) },
            { check(ReferentSelectors.referent(store, azure.serviceAccountRef), "invalid ServiceAccountRef", path: azure.serviceAccountRef?.path) },
            {
                guard azure.hasCustomCloudConfig else { return nil }
                if azure.useAzureSDK != true {
                    return ValidationIssue(
                        "CustomCloudConfig requires UseAzureSDK to be set to true - the legacy SDK does not support custom clouds",
                        path: azure.path + ".useAzureSDK")
                }
                if (azure.activeDirectoryEndpoint ?? "").isEmpty {
                    return ValidationIssue("activeDirectoryEndpoint is required in CustomCloudConfig",
                                           path: azure.path + ".customCloudConfig")
                }
                return nil
            },
            {
                guard azure.environmentType == "AzureStackCloud", !azure.hasCustomCloudConfig else { return nil }
                return ValidationIssue("CustomCloudConfig is required when EnvironmentType is AzureStackCloud",
                                       path: azure.path + ".environmentType")
            },
        ])
    }

    // MARK: - GCP Secret Manager

    static func gcp(_ gcp: GCPSMProvider, _ store: SecretStore) -> ValidationIssue? {
        firstIssue([
            { check(ReferentSelectors.referent(store, gcp.secretAccessKeySecretRef), "invalid auth secret data", path: gcp.secretAccessKeySecretRef?.path) },
            { check(ReferentSelectors.referent(store, gcp.workloadIdentityServiceAccountRef),
                    "invalid workload identity service account reference", path: gcp.workloadIdentityServiceAccountRef?.path) },
        ])
    }

    // MARK: - Kubernetes

    static func kubernetes(_ kube: KubernetesProvider, _ store: SecretStore, warnings: inout [String]) -> ValidationIssue? {
        if kube.authRef == nil && (kube.caBundle ?? "").isEmpty && kube.caProvider == nil {
            warnings.append("No caBundle or caProvider specified; TLS connections will use system certificate roots.")
        }
        return firstIssue([
            {
                guard let ca = kube.caProvider else { return nil }
                if store.kind == .clusterSecretStore && ca.namespace == nil {
                    return ValidationIssue("CAProvider.namespace must not be empty with ClusterSecretStore", path: ca.path)
                }
                if store.kind == .secretStore && ca.namespace != nil {
                    return ValidationIssue("CAProvider.namespace must be empty with SecretStore", path: ca.path + ".namespace")
                }
                return nil
            },
            {
                guard kube.hasCertAuth else { return nil }
                let path = kube.path + ".auth.cert.clientCert"
                if (kube.clientCert?.name ?? "").isEmpty { return ValidationIssue("ClientCert.Name cannot be empty", path: path) }
                if (kube.clientCert?.key ?? "").isEmpty { return ValidationIssue("ClientCert.Key cannot be empty", path: path) }
                return check(ReferentSelectors.strict(store, kube.clientCert), "", path: path)
            },
            {
                guard kube.hasTokenAuth else { return nil }
                let path = kube.path + ".auth.token.bearerToken"
                if (kube.bearerToken?.name ?? "").isEmpty { return ValidationIssue("BearerToken.Name cannot be empty", path: path) }
                if (kube.bearerToken?.key ?? "").isEmpty { return ValidationIssue("BearerToken.Key cannot be empty", path: path) }
                return check(ReferentSelectors.strict(store, kube.bearerToken), "", path: path)
            },
            { check(ReferentSelectors.referent(store, kube.serviceAccount), "", path: kube.serviceAccount?.path) },
        ])
    }

    // MARK: - Fake

    static func fake(_ fake: FakeProvider) -> ValidationIssue? {
        for (i, entry) in fake.data.enumerated() {
            if (entry.key ?? "").isEmpty { return ValidationIssue("key must be set in data \(i)", path: entry.path) }
            if (entry.value ?? "").isEmpty { return ValidationIssue("at least one value must be set in data \(i)", path: entry.path) }
        }
        return nil
    }
}
