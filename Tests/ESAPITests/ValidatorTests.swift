import ESAPI
import ESJSON
import ESValidation
import ESYAML
import Testing

/// Validates a case's object with the webhook rules of its kind.
func validateWebhookRules(_ json: JSON) throws -> ValidationResult {
    switch json["kind"]?.stringValue {
    case "ExternalSecret": return Validator.validate(externalSecret: try ExternalSecret(json: json))
    default: return Validator.validate(store: try SecretStore(json: json))
    }
}

@Suite struct ValidatorTests {
    @Test(arguments: externalSecretCases)
    func externalSecretRules(_ rule: RuleCase) throws {
        #expect(rule.kind == "ExternalSecret")
        let result = try validateWebhookRules(rule.json)
        #expect(result.errors == rule.errors)
        #expect(result.warnings == rule.warnings)
        #expect(result.message == rule.errors.joined(separator: "\n"))
    }

    @Test(arguments: storeCases)
    func storeRules(_ rule: RuleCase) throws {
        #expect(rule.kind.hasSuffix("SecretStore"))
        let result = try validateWebhookRules(rule.json)
        #expect(result.errors == rule.errors)
        #expect(result.warnings == rule.warnings)
    }

    @Test func issuesCarryFieldPaths() throws {
        let es = try ExternalSecret(json: try YAML.parse(externalSecretYAML("""
          data:
          - secretKey: a
            remoteRef: {key: k}
          - secretKey: a
            remoteRef: {key: k}
        """)))
        #expect(Validator.validate(externalSecret: es).issues == [ValidationIssue("duplicate secretKey found: a", path: "spec.data[1].secretKey")])
    }
}

/// Schema checks the API server applies from the CRDs (reported by `validate`, not by the webhook).
@Suite struct SchemaValidatorTests {
    static let cases: [(String, String, [String])] = [
        ("creationPolicy enum", externalSecretYAML("  target:\n    creationPolicy: Foo\n" + dataEntry),
         [#"spec.target.creationPolicy: Unsupported value: "Foo": supported values: "Owner", "Orphan", "Merge", "None", "CreateOrMerge""#]),
        ("v1beta1 lacks CreateOrMerge", externalSecretYAML("  target:\n    creationPolicy: CreateOrMerge\n" + dataEntry, version: "v1beta1"),
         [#"spec.target.creationPolicy: Unsupported value: "CreateOrMerge": supported values: "Owner", "Orphan", "Merge", "None""#]),
        ("deletionPolicy enum", externalSecretYAML("  target:\n    deletionPolicy: Keep\n" + dataEntry),
         [#"spec.target.deletionPolicy: Unsupported value: "Keep": supported values: "Delete", "Merge", "Retain""#]),
        ("store kind enum", externalSecretYAML("  secretStoreRef:\n    name: s\n    kind: Vault\n" + dataEntry),
         [#"spec.secretStoreRef.kind: Unsupported value: "Vault": supported values: "SecretStore", "ClusterSecretStore""#]),
        ("refreshPolicy enum", externalSecretYAML("  refreshPolicy: Always\n" + dataEntry),
         [#"spec.refreshPolicy: Unsupported value: "Always": supported values: "CreatedOnce", "Periodic", "OnChange""#]),
        ("secretKey pattern", externalSecretYAML("  data:\n  - secretKey: a b\n    remoteRef:\n      key: k"),
         [#"spec.data[0].secretKey: Invalid value: "a b": spec.data[0].secretKey in body should match '^[-._a-zA-Z0-9]+$'"#]),
        ("secretKey and remoteRef required", externalSecretYAML("  data:\n  - {}"),
         ["spec.data[0].secretKey: Required value", "spec.data[0].remoteRef: Required value"]),
        ("remoteRef key required and strategies", externalSecretYAML(
            "  data:\n  - secretKey: a\n    remoteRef:\n      decodingStrategy: Hex"),
         ["spec.data[0].remoteRef.key: Required value",
          #"spec.data[0].remoteRef.decodingStrategy: Unsupported value: "Hex": supported values: "Auto", "Base64", "Base64URL", "None""#]),
        ("sourceRef with two members", externalSecretYAML(
            "  dataFrom:\n  - sourceRef:\n      storeRef: {name: a}\n      generatorRef: {kind: Password, name: p}"),
         ["spec.dataFrom[0].sourceRef: Invalid value: 2: spec.dataFrom[0].sourceRef in body should have at most 1 properties"]),
        ("empty sourceRef", externalSecretYAML("  dataFrom:\n  - sourceRef: {}"),
         ["spec.dataFrom[0].sourceRef: Invalid value: 0: spec.dataFrom[0].sourceRef in body should have at least 1 properties"]),
        ("generator kind enum", externalSecretYAML("  dataFrom:\n  - sourceRef:\n      generatorRef: {kind: Dice, name: p}"),
         [#"spec.dataFrom[0].sourceRef.generatorRef.kind: Unsupported value: "Dice": supported values: "ACRAccessToken", "BeyondtrustWorkloadCredentialsDynamicSecret", "ClusterGenerator", "CloudsmithAccessToken", "ECRAuthorizationToken", "Fake", "GCRAccessToken", "GithubAccessToken", "GitlabDeployToken", "QuayAccessToken", "Password", "SSHKey", "STSSessionToken", "UUID", "VaultDynamicSecret", "Webhook", "Grafana", "MFA""#]),
        ("target name pattern", externalSecretYAML("  target:\n    name: Not_Valid\n" + dataEntry),
         [#"spec.target.name: Invalid value: "Not_Valid": spec.target.name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"#]),
        ("engineVersion enum", externalSecretYAML("  target:\n    template:\n      engineVersion: v1\n" + dataEntry),
         [#"spec.target.template.engineVersion: Unsupported value: "v1": supported values: "v2""#]),
        ("sync window schedule", externalSecretYAML(
            "  syncWindows:\n    kind: allow\n    windows:\n    - schedule: every night\n      duration: 1h\n" + dataEntry),
         [#"spec.syncWindows.windows[0].schedule: Invalid value: "every night": spec.syncWindows.windows[0].schedule in body should match '^(@(annually|yearly|monthly|weekly|daily|midnight|hourly)|@every [^\s]+.*|[^\s]+( [^\s]+){4})$'"#]),
        ("sync windows need windows", externalSecretYAML("  syncWindows:\n    kind: sometimes\n    windows: []\n" + dataEntry),
         [#"spec.syncWindows.kind: Unsupported value: "sometimes": supported values: "allow", "deny""#,
          "spec.syncWindows.windows: Invalid value: 0: spec.syncWindows.windows in body should have at least 1 items"]),
        ("valid sync windows", externalSecretYAML(
            "  syncWindows:\n    kind: deny\n    windows:\n    - schedule: \"@every 1h\"\n      duration: 5m\n    - schedule: \"*/5 0 * * 1-5\"\n      duration: 1m\n" + dataEntry),
         []),
        ("store provider required", "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: s, namespace: default}\nspec: {}",
         ["spec.provider: Required value"]),
        ("store provider with two members", storeYAML(provider: awsProvider + "\n    fake:\n      data: []"),
         ["spec.provider: Invalid value: 2: spec.provider in body should have at most 1 properties"]),
        ("aws service and region", storeYAML(provider: "    aws:\n      service: Lambda"),
         [#"spec.provider.aws.service: Unsupported value: "Lambda": supported values: "SecretsManager", "ParameterStore", "CertificateManager""#,
          "spec.provider.aws.region: Required value"]),
        ("vault server and version", storeYAML(provider: "    vault:\n      version: v3"),
         ["spec.provider.vault.server: Required value",
          #"spec.provider.vault.version: Unsupported value: "v3": supported values: "v1", "v2""#]),
        ("azure vault url", storeYAML(provider: "    azurekv:\n      authType: Password"),
         ["spec.provider.azurekv.vaultUrl: Required value",
          #"spec.provider.azurekv.authType: Unsupported value: "Password": supported values: "ServicePrincipal", "ManagedIdentity", "WorkloadIdentity""#]),
        ("fake data entries", storeYAML(provider: "    fake:\n      data:\n      - key: k"),
         ["spec.provider.fake.data[0].value: Required value"]),
        ("kubernetes auth one-of", storeYAML(provider:
            "    kubernetes:\n      auth:\n        serviceAccount: {name: a}\n        token:\n          bearerToken: {name: t, key: k}"),
         ["spec.provider.kubernetes.auth: Invalid value: 2: spec.provider.kubernetes.auth in body should have at most 1 properties"]),
        ("condition namespaces", storeYAML("ClusterSecretStore", provider: awsProvider, extraSpec: "  conditions:\n  - namespaces: [Team_A]\n"),
         [#"spec.conditions[0].namespaces[0]: Invalid value: "Team_A": spec.conditions[0].namespaces[0] in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"#]),
        ("secret key selector key pattern", storeYAML(provider: aws(
            "      auth:\n        secretRef:\n          accessKeyIDSecretRef: {name: s, key: \"a/b\"}")),
         [#"spec.provider.aws.auth.secretRef.accessKeyIDSecretRef.key: Invalid value: "a/b": spec.provider.aws.auth.secretRef.accessKeyIDSecretRef.key in body should match '^[-._a-zA-Z0-9]+$'"#]),
    ]

    @Test(arguments: cases.indices)
    func schemaRule(_ index: Int) throws {
        let (name, yaml, expected) = Self.cases[index]
        let json = try YAML.parse(yaml)
        let issues: [ValidationIssue]
        if json["kind"]?.stringValue == "ExternalSecret" {
            issues = SchemaValidator.validate(externalSecret: try ExternalSecret(json: json))
        } else {
            issues = SchemaValidator.validate(store: try SecretStore(json: json))
        }
        #expect(issues.map(\.message) == expected, "\(name)")
    }

    /// Webhook cases the API server would already reject from the schema.
    static let schemaInvalidRuleCases: Set<String> = [
        "dataFrom sourceRef without generatorRef or storeRef", "two providers", "no provider", "aws unknown service",
    ]

    @Test func webhookRuleCasesAreSchemaValid() throws {
        for rule in externalSecretCases + storeCases where !Self.schemaInvalidRuleCases.contains(rule.name) {
            let json = rule.json
            let issues = json["kind"]?.stringValue == "ExternalSecret"
                ? SchemaValidator.validate(externalSecret: try ExternalSecret(json: json))
                : SchemaValidator.validate(store: try SecretStore(json: json))
            #expect(issues.isEmpty, "\(rule.name): \(issues)")
        }
    }
}

@Suite struct TemplateRuleTests {
    @Test func renderTimeTemplateCheckMatchesTheWebhook() throws {
        for rule in externalSecretCases {
            let es = try ExternalSecret(json: rule.json)
            let templateErrors = Validator.validateTemplate(of: es)
            let expected = rule.errors.filter { $0.hasPrefix("template.type=") || $0.hasPrefix("templateFrom target=") }
            #expect(templateErrors == expected, "\(rule.name)")
        }
    }
}
