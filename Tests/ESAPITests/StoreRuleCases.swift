let fakeWarning = "store store isn't currently maintained. Please plan and prepare accordingly."
let noCAWarning = "No caBundle or caProvider specified; TLS connections will use system certificate roots."

let awsProvider = """
        aws:
          service: SecretsManager
          region: us-east-1
    """

func aws(_ extra: String) -> String {
    """
            aws:
              service: SecretsManager
              region: us-east-1
        \(extra)
        """
}

func vault(_ extra: String, version: String = "v2") -> String {
    """
            vault:
              server: https://vault
              version: \(version)
        \(extra)
        """
}

let storeCases: [RuleCase] = [
    // validateStore stages.
    RuleCase(name: "valid aws store", yaml: storeYAML(provider: awsProvider), errors: []),
    RuleCase(name: "negative refreshInterval seconds", yaml: storeYAML(provider: awsProvider, extraSpec: "  refreshInterval: -1\n"),
             errors: ["invalid refreshInterval -1: must not be negative"]),
    RuleCase(name: "refreshInterval not a duration", yaml: storeYAML(provider: awsProvider, extraSpec: "  refreshInterval: nonsense\n"),
             errors: [#"invalid refreshInterval "nonsense": time: invalid duration "nonsense""#]),
    RuleCase(name: "refreshInterval without unit", yaml: storeYAML(provider: awsProvider, extraSpec: "  refreshInterval: \"300\"\n"),
             errors: [#"invalid refreshInterval "300": time: missing unit in duration "300""#]),
    RuleCase(name: "negative refreshInterval duration", yaml: storeYAML(provider: awsProvider, extraSpec: "  refreshInterval: -5m\n"),
             errors: [#"invalid refreshInterval "-5m": must not be negative"#]),
    RuleCase(name: "refreshInterval duration", yaml: storeYAML(provider: awsProvider, extraSpec: "  refreshInterval: 1h30m\n"), errors: []),
    RuleCase(name: "refreshInterval zero string", yaml: storeYAML(provider: awsProvider, extraSpec: "  refreshInterval: \"0\"\n"), errors: []),
    RuleCase(name: "refreshInterval seconds", yaml: storeYAML(provider: awsProvider, extraSpec: "  refreshInterval: 300\n"), errors: []),
    RuleCase(name: "two providers", yaml: storeYAML(provider: awsProvider + "\n    fake:\n      data: []"),
             errors: ["store error for store: secret stores must only have exactly one backend specified, found 2"]),
    RuleCase(name: "no provider", yaml: storeYAML(provider: "    {}"),
             errors: ["store error for store: secret stores must only have exactly one backend specified, found 0"]),
    RuleCase(name: "namespaces condition is fine", yaml: storeYAML("ClusterSecretStore", provider: awsProvider,
             extraSpec: "  conditions:\n  - namespaces: [a, b]\n    namespaceRegexes: [\"^team-.*$\"]\n"), errors: []),

    RuleCase(name: "namespace regex that does not compile", yaml: storeYAML("ClusterSecretStore", provider: awsProvider,
             extraSpec: "  conditions:\n  - namespaceRegexes: ['(a']\n"),
             errors: ["failed to compile 0th namespace regex in 0th condition: error parsing regexp: missing closing ): `(a`"]),
    RuleCase(name: "every namespace regex is checked before returning", yaml: storeYAML("ClusterSecretStore", provider: awsProvider,
             extraSpec: "  conditions:\n  - namespaceRegexes: ['ok', '\\1']\n  - namespaces: [a]\n    namespaceRegexes: ['(?=x)']\n  refreshInterval: -1\n"),
             errors: ["failed to compile 1th namespace regex in 0th condition: error parsing regexp: invalid escape sequence: `\\1`",
                      "failed to compile 0th namespace regex in 1th condition: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"]),

    // AWS.
    RuleCase(name: "aws unknown service", yaml: storeYAML(provider: "    aws:\n      service: Lambda\n      region: x"),
             errors: ["unknown AWS Provider Service: Lambda"]),
    RuleCase(name: "aws recovery window out of range", yaml: storeYAML(provider: aws("      secretsManager:\n        recoveryWindowInDays: 3")),
             errors: ["invalid DeleteSecretInput: RecoveryWindowInDays must be between 7 and 30 days"]),
    RuleCase(name: "aws recovery window with force delete", yaml: storeYAML(provider: aws(
        "      secretsManager:\n        recoveryWindowInDays: 7\n        forceDeleteWithoutRecovery: true")),
             errors: ["invalid DeleteSecretInput: ForceDeleteWithoutRecovery conflicts with RecoveryWindowInDays"]),
    RuleCase(name: "aws force delete alone", yaml: storeYAML(provider: aws("      secretsManager:\n        forceDeleteWithoutRecovery: true")),
             errors: []),
    RuleCase(name: "aws access key in another namespace", yaml: storeYAML(provider: aws(
        "      auth:\n        secretRef:\n          accessKeyIDSecretRef: {name: s, key: k, namespace: other}\n          secretAccessKeySecretRef: {name: s, key: k}")),
             errors: ["invalid Auth.SecretRef.AccessKeyID: \(referentError)"]),
    RuleCase(name: "aws secret key in another namespace", yaml: storeYAML(provider: aws(
        "      auth:\n        secretRef:\n          accessKeyIDSecretRef: {name: s, key: k, namespace: default}\n          secretAccessKeySecretRef: {name: s, key: k, namespace: other}")),
             errors: ["invalid Auth.SecretRef.SecretAccessKey: \(referentError)"]),
    RuleCase(name: "aws session token in another namespace", yaml: storeYAML(provider: aws(
        "      auth:\n        secretRef:\n          sessionTokenSecretRef: {name: s, key: k, namespace: other}")),
             errors: ["invalid Auth.SecretRef.SessionToken: \(referentError)"]),
    RuleCase(name: "aws jwt service account in another namespace", yaml: storeYAML(provider: aws(
        "      auth:\n        jwt:\n          serviceAccountRef: {name: sa, namespace: other}")),
             errors: ["invalid Auth.JWT.ServiceAccountRef: \(referentError)"]),
    RuleCase(name: "aws cluster store may name any namespace", yaml: storeYAML("ClusterSecretStore", provider: aws(
        "      auth:\n        secretRef:\n          accessKeyIDSecretRef: {name: s, key: k, namespace: other}\n        jwt:\n          serviceAccountRef: {name: sa, namespace: x}")),
             errors: []),

    // Vault.
    RuleCase(name: "vault token auth", yaml: storeYAML(provider: vault("      auth:\n        tokenSecretRef: {name: t, key: token}")), errors: []),
    RuleCase(name: "vault appRole secret in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        appRole:\n          roleId: r\n          secretRef: {name: s, key: k, namespace: other}")),
             errors: ["invalid Auth.AppRole.SecretRef: \(referentError)"]),
    RuleCase(name: "vault appRole without role", yaml: storeYAML(provider: vault(
        "      auth:\n        appRole:\n          secretRef: {name: s, key: k}")),
             errors: ["invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied"]),
    RuleCase(name: "vault appRole roleRef in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        appRole:\n          roleRef: {name: s, key: k, namespace: other}\n          secretRef: {name: s, key: k}")),
             errors: ["invalid Auth.AppRole.RoleRef: \(referentError)"]),
    RuleCase(name: "vault cert client cert in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        cert:\n          clientCert: {name: s, namespace: other}\n          secretRef: {name: s}")),
             errors: ["invalid Auth.Cert.ClientCert: \(referentError)"]),
    RuleCase(name: "vault cert key in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        cert:\n          clientCert: {name: s}\n          secretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.Cert.SecretRef: \(referentError)"]),
    RuleCase(name: "vault jwt secret in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        jwt:\n          secretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.Jwt.SecretRef: \(referentError)"]),
    RuleCase(name: "vault jwt service account token in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        jwt:\n          kubernetesServiceAccountToken:\n            serviceAccountRef: {name: sa, namespace: other}")),
             errors: ["invalid Auth.Jwt.KubernetesServiceAccountToken.ServiceAccountRef: \(referentError)"]),
    RuleCase(name: "vault jwt without token source", yaml: storeYAML(provider: vault("      auth:\n        jwt:\n          role: r")),
             errors: ["neither `secretRef` nor `kubernetesServiceAccountToken` was supplied as token source for jwt authentication"]),
    RuleCase(name: "vault kubernetes service account in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        kubernetes:\n          role: r\n          serviceAccountRef: {name: sa, namespace: other}")),
             errors: ["invalid Auth.Kubernetes.ServiceAccountRef: \(referentError)"]),
    RuleCase(name: "vault kubernetes secret in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        kubernetes:\n          role: r\n          secretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.Kubernetes.SecretRef: \(referentError)"]),
    RuleCase(name: "vault ldap secret in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        ldap:\n          username: u\n          secretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.Ldap.SecretRef: \(referentError)"]),
    RuleCase(name: "vault userPass secret in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        userPass:\n          username: u\n          secretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.UserPass.SecretRef: \(referentError)"]),
    RuleCase(name: "vault token secret in another namespace", yaml: storeYAML(provider: vault(
        "      auth:\n        tokenSecretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.TokenSecretRef: \(referentError)"]),
    RuleCase(name: "vault iam secret reported as TokenSecretRef", yaml: storeYAML(provider: vault(
        "      auth:\n        iam:\n          vaultRole: r\n          secretRef:\n            accessKeyIDSecretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.TokenSecretRef: \(referentError)"]),
    RuleCase(name: "vault tls with only a certificate", yaml: storeYAML(provider: vault("      tls:\n        certSecretRef: {name: c}")),
             errors: ["when provided, both ClientTLS.ClientCert and ClientTLS.SecretRef should be provided"]),
    RuleCase(name: "vault tls certificate in another namespace", yaml: storeYAML(provider: vault(
        "      tls:\n        certSecretRef: {name: c, namespace: other}\n        keySecretRef: {name: k}")),
             errors: ["invalid ClientTLS.ClientCert: \(referentError)"]),
    RuleCase(name: "vault tls key in another namespace", yaml: storeYAML(provider: vault(
        "      tls:\n        certSecretRef: {name: c}\n        keySecretRef: {name: k, namespace: other}")),
             errors: ["invalid ClientTLS.SecretRef: \(referentError)"]),
    RuleCase(name: "vault checkAndSet with kv v1", yaml: storeYAML(provider: vault("      checkAndSet:\n        required: true", version: "v1")),
             errors: ["checkAndSet is not supported with Vault KV version v1"]),
    RuleCase(name: "vault checkAndSet with kv v2", yaml: storeYAML(provider: vault("      checkAndSet:\n        required: true")), errors: []),
    RuleCase(name: "vault auth errors come before tls errors", yaml: storeYAML(provider: vault(
        "      tls:\n        certSecretRef: {name: c}\n      auth:\n        tokenSecretRef: {name: s, namespace: other}")),
             errors: ["invalid Auth.TokenSecretRef: \(referentError)"]),

    // Azure Key Vault.
    RuleCase(name: "azure client id in another namespace", yaml: storeYAML(provider:
        "    azurekv:\n      vaultUrl: https://v\n      authSecretRef:\n        clientId: {name: s, namespace: other}"),
             errors: ["invalid AuthSecretRef.ClientID: \(referentError)"]),
    RuleCase(name: "azure client secret in another namespace", yaml: storeYAML(provider:
        "    azurekv:\n      vaultUrl: https://v\n      authSecretRef:\n        clientSecret: {name: s, namespace: other}"),
             errors: ["invalid AuthSecretRef.ClientSecret: \(referentError)"]),
    RuleCase(name: "azure service account in another namespace", yaml: storeYAML(provider:
        "    azurekv:\n      vaultUrl: https://v\n      serviceAccountRef: {name: sa, namespace: other}"),
             errors: ["invalid ServiceAccountRef: \(referentError)"]),
    RuleCase(name: "azure custom cloud without SDK", yaml: storeYAML(provider:
        "    azurekv:\n      vaultUrl: https://v\n      customCloudConfig:\n        activeDirectoryEndpoint: https://login"),
             errors: ["CustomCloudConfig requires UseAzureSDK to be set to true - the legacy SDK does not support custom clouds"]),
    RuleCase(name: "azure custom cloud without endpoint", yaml: storeYAML(provider:
        "    azurekv:\n      vaultUrl: https://v\n      useAzureSDK: true\n      customCloudConfig:\n        activeDirectoryEndpoint: \"\""),
             errors: ["activeDirectoryEndpoint is required in CustomCloudConfig"]),
    RuleCase(name: "azure stack without custom cloud", yaml: storeYAML(provider:
        "    azurekv:\n      vaultUrl: https://v\n      environmentType: AzureStackCloud"),
             errors: ["CustomCloudConfig is required when EnvironmentType is AzureStackCloud"]),
    RuleCase(name: "azure stack with custom cloud", yaml: storeYAML(provider:
        "    azurekv:\n      vaultUrl: https://v\n      environmentType: AzureStackCloud\n      useAzureSDK: true\n      customCloudConfig:\n        activeDirectoryEndpoint: https://login"),
             errors: []),

    // GCP Secret Manager.
    RuleCase(name: "gcp secret in another namespace", yaml: storeYAML(provider:
        "    gcpsm:\n      projectID: p\n      auth:\n        secretRef:\n          secretAccessKeySecretRef: {name: s, namespace: other}"),
             errors: ["invalid auth secret data: \(referentError)"]),
    RuleCase(name: "gcp workload identity in another namespace", yaml: storeYAML(provider:
        "    gcpsm:\n      projectID: p\n      auth:\n        workloadIdentity:\n          serviceAccountRef: {name: sa, namespace: other}"),
             errors: ["invalid workload identity service account reference: \(referentError)"]),

    // Fake.
    RuleCase(name: "fake is unmaintained", yaml: storeYAML(provider: "    fake:\n      data:\n      - key: k\n        value: v"),
             errors: [], warnings: [fakeWarning]),
    RuleCase(name: "fake empty key", yaml: storeYAML(provider: "    fake:\n      data:\n      - key: k\n        value: v\n      - key: \"\"\n        value: v"),
             errors: ["key must be set in data 1"], warnings: [fakeWarning]),
    RuleCase(name: "fake empty value", yaml: storeYAML(provider: "    fake:\n      data:\n      - key: k\n        value: \"\""),
             errors: ["at least one value must be set in data 0"], warnings: [fakeWarning]),

    // Kubernetes.
    RuleCase(name: "kubernetes without CA warns", yaml: storeYAML(provider:
        "    kubernetes:\n      auth:\n        serviceAccount: {name: sa}"),
             errors: [], warnings: [noCAWarning]),
    RuleCase(name: "kubernetes with authRef does not warn", yaml: storeYAML(provider:
        "    kubernetes:\n      authRef: {name: kubeconfig, key: config}"), errors: []),
    RuleCase(name: "kubernetes cluster store CA provider without namespace", yaml: storeYAML("ClusterSecretStore", provider:
        "    kubernetes:\n      server:\n        caProvider: {type: ConfigMap, name: ca}\n      auth:\n        serviceAccount: {name: sa}"),
             errors: ["CAProvider.namespace must not be empty with ClusterSecretStore"]),
    RuleCase(name: "kubernetes namespaced store CA provider with namespace", yaml: storeYAML(provider:
        "    kubernetes:\n      server:\n        caProvider: {type: ConfigMap, name: ca, namespace: default}\n      auth:\n        serviceAccount: {name: sa}"),
             errors: ["CAProvider.namespace must be empty with SecretStore"]),
    RuleCase(name: "kubernetes cert without name", yaml: storeYAML(provider:
        "    kubernetes:\n      server:\n        caBundle: Zm9v\n      auth:\n        cert:\n          clientCert: {key: tls.crt}"),
             errors: ["ClientCert.Name cannot be empty"]),
    RuleCase(name: "kubernetes cert without key", yaml: storeYAML(provider:
        "    kubernetes:\n      server:\n        caBundle: Zm9v\n      auth:\n        cert:\n          clientCert: {name: c}"),
             errors: ["ClientCert.Key cannot be empty"]),
    RuleCase(name: "kubernetes cluster store cert without namespace", yaml: storeYAML("ClusterSecretStore", provider:
        "    kubernetes:\n      server:\n        caBundle: Zm9v\n      auth:\n        cert:\n          clientCert: {name: c, key: k}"),
             errors: ["cluster scope requires namespace"]),
    RuleCase(name: "kubernetes token without name", yaml: storeYAML(provider:
        "    kubernetes:\n      server:\n        caBundle: Zm9v\n      auth:\n        token:\n          bearerToken: {key: token}"),
             errors: ["BearerToken.Name cannot be empty"]),
    RuleCase(name: "kubernetes token without key", yaml: storeYAML(provider:
        "    kubernetes:\n      server:\n        caBundle: Zm9v\n      auth:\n        token:\n          bearerToken: {name: t}"),
             errors: ["BearerToken.Key cannot be empty"]),
    RuleCase(name: "kubernetes token in another namespace", yaml: storeYAML(provider:
        "    kubernetes:\n      server:\n        caBundle: Zm9v\n      auth:\n        token:\n          bearerToken: {name: t, key: k, namespace: other}"),
             errors: [referentError]),
    RuleCase(name: "kubernetes service account in another namespace keeps the warning", yaml: storeYAML(provider:
        "    kubernetes:\n      auth:\n        serviceAccount: {name: sa, namespace: other}"),
             errors: [referentError], warnings: [noCAWarning]),
    RuleCase(name: "kubernetes cluster store token with namespace", yaml: storeYAML("ClusterSecretStore", provider:
        "    kubernetes:\n      server:\n        caProvider: {type: Secret, name: ca, namespace: x}\n      auth:\n        token:\n          bearerToken: {name: t, key: k, namespace: x}"),
             errors: []),

    // Providers without webhook rules are accepted as written.
    RuleCase(name: "doppler store", yaml: storeYAML(provider:
        "    doppler:\n      auth:\n        secretRef:\n          dopplerToken: {name: t, key: k}"), errors: []),
]
