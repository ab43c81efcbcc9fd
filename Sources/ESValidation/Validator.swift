import ESAPI

/// Upstream ESO's admission rules (`externalsecret_validator.go`, `secretstore_validator.go`, the
/// providers' `ValidateStore`): the errors the webhook denies with and the warnings it returns.
/// Schema rules the API server applies from the CRDs are in `SchemaValidator`.
public enum Validator {
    public static func validate(externalSecret: ExternalSecret) -> ValidationResult {
        ValidationResult(issues: ExternalSecretRules.validate(externalSecret))
    }

    public static func validate(store: SecretStore) -> ValidationResult {
        StoreRules.validate(store)
    }

    /// The template rules the controller re-checks at render time (upstream `ValidateSecretTemplate`:
    /// privileged Secret types, then templateFrom targets for Secret targets), so a cluster without
    /// the webhook is still protected. Empty when the template is acceptable.
    public static func validateTemplate(of externalSecret: ExternalSecret) -> [String] {
        guard let template = externalSecret.spec.target.template else { return [] }
        var issues: [ValidationIssue] = []
        if let issue = ExternalSecretRules.privilegedTemplate(template) { issues.append(issue) }
        if externalSecret.spec.target.manifest.map(\.isSecret) ?? true {
            ExternalSecretRules.templateFromTargets(template, into: &issues)
        }
        return issues.map(\.message)
    }
}
