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
}
