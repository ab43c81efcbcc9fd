import ESAPI

/// `validateExternalSecret` (rules in upstream's evaluation order; every error is kept).
enum ExternalSecretRules {
    static func validate(_ es: ExternalSecret) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        policies(es.spec.target, into: &issues)
        if es.spec.data.isEmpty && es.spec.dataFrom.isEmpty {
            issues.append(ValidationIssue("either data or dataFrom should be specified", path: "spec"))
        }
        if let template = es.spec.target.template {
            if let issue = privilegedTemplate(template) { issues.append(issue) }
            if es.spec.target.manifest.map(\.isSecret) ?? true {
                templateFromTargets(template, into: &issues)
            }
        }
        for item in es.spec.dataFrom { dataFrom(item, into: &issues) }
        if es.spec.target.effectiveDeletionPolicy == "Retain" { duplicateKeys(es.spec.data, into: &issues) }
        return issues
    }

    /// Rule 1: deletion policies that need a Secret the controller owns (or that exists).
    static func policies(_ target: ExternalSecretTarget, into issues: inout [ValidationIssue]) {
        let creation = target.effectiveCreationPolicy
        let deletion = target.effectiveDeletionPolicy
        if deletion == "Delete" && ["Merge", "None", "CreateOrMerge"].contains(creation) {
            issues.append(ValidationIssue(
                "deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner",
                path: "spec.target.deletionPolicy"))
        }
        if deletion == "Merge" && creation == "None" {
            issues.append(ValidationIssue(
                "deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with",
                path: "spec.target.deletionPolicy"))
        }
    }

    static let serviceAccountTokenType = "kubernetes.io/service-account-token"
    static let serviceAccountNameAnnotation = "kubernetes.io/service-account.name"

    /// Rule 3: Secret types that would let a template mint credentials (first hit only).
    static func privilegedTemplate(_ template: ExternalSecretTemplate) -> ValidationIssue? {
        if template.type == serviceAccountTokenType {
            if template.annotations.contains(where: { $0.key == serviceAccountNameAnnotation }) {
                return ValidationIssue(
                    "template.type=\"\(serviceAccountTokenType)\" with annotation \"\(serviceAccountNameAnnotation)\" is not allowed",
                    path: template.path + ".metadata.annotations")
            }
            if let from = template.templateFrom.first(where: { $0.target?.lowercased() == "annotations" }) {
                return ValidationIssue(
                    "template.type=\"\(serviceAccountTokenType)\" with templateFrom target=\"Annotations\" is not allowed",
                    path: from.path + ".target")
            }
        }
        if template.type == "bootstrap.kubernetes.io/token" {
            return ValidationIssue("template.type=\"bootstrap.kubernetes.io/token\" is not allowed", path: template.path + ".type")
        }
        return nil
    }

    /// Rule 4: a Secret target only takes templates into data, annotations and labels.
    static func templateFromTargets(_ template: ExternalSecretTemplate, into issues: inout [ValidationIssue]) {
        for from in template.templateFrom {
            guard let target = from.target, !target.isEmpty else { continue }
            if ["data", "annotations", "labels"].contains(target.lowercased()) { continue }
            issues.append(ValidationIssue(
                "templateFrom target=\(goQuote(target)) is not allowed when targeting a Secret, must be one of \"Data\", \"Annotations\" or \"Labels\"",
                path: from.path + ".target"))
        }
    }

    /// Rule 5: each dataFrom entry names exactly one source.
    static func dataFrom(_ item: ExternalSecretDataFrom, into issues: inout [ValidationIssue]) {
        let generator = item.sourceRef?.generatorRef != nil
        let sources = (item.find != nil ? 1 : 0) + (item.extract != nil ? 1 : 0) + (generator ? 1 : 0)
        if sources > 1 {
            issues.append(ValidationIssue("extract, find, or generatorRef cannot be set at the same time", path: item.path))
        }
        if item.find == nil && item.extract == nil && item.sourceRef == nil {
            issues.append(ValidationIssue("either extract, find, or sourceRef must be set to dataFrom", path: item.path))
        }
        if let sourceRef = item.sourceRef, sourceRef.generatorRef == nil, sourceRef.storeRef == nil {
            issues.append(ValidationIssue("generatorRef or storeRef must be set when using sourceRef in dataFrom",
                                          path: sourceRef.path))
        }
    }

    /// Rule 6: with `deletionPolicy: Retain`, each Secret key is written once.
    static func duplicateKeys(_ data: [ExternalSecretData], into issues: inout [ValidationIssue]) {
        // A handful of keys is compared pairwise (cheaper than hashing each one); many go through a set.
        if data.count <= 16 {
            for i in data.indices {
                let key = data[i].secretKey ?? ""
                if data[..<i].contains(where: { ($0.secretKey ?? "") == key }) {
                    issues.append(ValidationIssue("duplicate secretKey found: \(key)", path: data[i].path + ".secretKey"))
                }
            }
            return
        }
        var seen = Set<String>()
        for item in data {
            let key = item.secretKey ?? ""
            if !seen.insert(key).inserted {
                issues.append(ValidationIssue("duplicate secretKey found: \(key)", path: item.path + ".secretKey"))
            }
        }
    }
}
