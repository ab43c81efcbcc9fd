import ESAPI
import ESJSON

/// `validateStore`: conditions, refresh interval, the single provider, the provider's own rules,
/// then the maintenance warning. Stops at the first failing stage.
enum StoreRules {
    static func validate(_ store: SecretStore) -> ValidationResult {
        let conditionIssues = namespaceRegexes(store.spec.conditions)
        if !conditionIssues.isEmpty { return ValidationResult(issues: conditionIssues) }
        if let issue = refreshInterval(store.spec.refreshInterval) { return ValidationResult(issues: [issue]) }
        let names = store.spec.providerNames
        guard names.count == 1, let provider = store.spec.provider else {
            return ValidationResult(issues: [ValidationIssue(
                "store error for \(store.metadata.name): secret stores must only have exactly one backend specified, found \(names.count)",
                path: "spec.provider")])
        }
        var result = ProviderRules.validate(provider, store: store)
        if provider.name == "fake" {
            result.warnings.append(
                "store \(store.metadata.name) isn't currently maintained. Please plan and prepare accordingly.")
        }
        return result
    }

    /// Stage 1: every `namespaceRegexes` entry must compile (all are checked).
    static func namespaceRegexes(_ conditions: [StoreCondition]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for (ci, condition) in conditions.enumerated() {
            for (ri, pattern) in condition.namespaceRegexes.enumerated() {
                if let error = NamespaceRegexCompiler.compileError(pattern) {
                    issues.append(ValidationIssue(
                        "failed to compile \(ri)th namespace regex in \(ci)th condition: \(error)",
                        path: "\(condition.path).namespaceRegexes[\(ri)]"))
                }
            }
        }
        return issues
    }

    /// Stage 2: seconds must not be negative; a string must be a non-negative Go duration.
    static func refreshInterval(_ interval: StoreRefreshInterval?) -> ValidationIssue? {
        let path = "spec.refreshInterval"
        switch interval {
        case nil: return nil
        case .seconds(let n):
            return n < 0 ? ValidationIssue("invalid refreshInterval \(n): must not be negative", path: path) : nil
        case .text(let s):
            do {
                if try GoDuration.parseNanoseconds(s) < 0 {
                    return ValidationIssue("invalid refreshInterval \(goQuote(s)): must not be negative", path: path)
                }
                return nil
            } catch {
                return ValidationIssue("invalid refreshInterval \(goQuote(s)): \(error.description)", path: path)
            }
        }
    }
}
