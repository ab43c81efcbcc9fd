import ESAPI

/// The OpenAPI checks the API server applies from our CRDs before any webhook runs (enums, required
/// fields, patterns, lengths, property and item counts), worded as kubectl shows them. The
/// webhook never reports these; the offline `validate` command does, so it catches what
/// `kubectl apply` would.
public enum SchemaValidator {
    public static func validate(externalSecret es: ExternalSecret) -> [ValidationIssue] {
        var e = FieldErrors()
        ExternalSecretSchema.spec(es.spec, version: es.version, path: "spec", into: &e)
        return e.issues
    }

    public static func validate(store: SecretStore) -> [ValidationIssue] {
        var e = FieldErrors()
        StoreSchema.spec(store, into: &e)
        return e.issues
    }
}

enum Enums {
    static let storeKinds = ["SecretStore", "ClusterSecretStore"]
    static let creationPoliciesV1 = ["Owner", "Orphan", "Merge", "None", "CreateOrMerge"]
    static let creationPoliciesV1beta1 = ["Owner", "Orphan", "Merge", "None"]
    static let deletionPolicies = ["Delete", "Merge", "Retain"]
    static let refreshPolicies = ["CreatedOnce", "Periodic", "OnChange"]
    static let engineVersions = ["v2"]
    static let mergePolicies = ["Replace", "Merge"]
    static let templateAs = ["Values", "KeysAndValues"]
    static let templateTargets = ["Data", "Annotations", "Labels"]
    static let decodingStrategies = ["Auto", "Base64", "Base64URL", "None"]
    static let conversionStrategies = ["Default", "Unicode"]
    static let metadataPolicies = ["None", "Fetch"]
    static let nullBytePolicies = ["Ignore", "Fail"]
    static let syncWindowKinds = ["allow", "deny"]
}

enum ExternalSecretSchema {
    static func spec(_ spec: ExternalSecretSpec, version: APIVersion, path: String, into e: inout FieldErrors) {
        if let ref = spec.secretStoreRef { storeRef(ref, into: &e) }
        target(spec.target, version: version, path: "\(path).target", into: &e)
        e.enumeration("\(path).refreshPolicy", spec.refreshPolicy, Enums.refreshPolicies)
        if let windows = spec.syncWindows {
            let p = "\(path).syncWindows"
            if windows.kind == nil { e.required("\(p).kind") }
            e.enumeration("\(p).kind", windows.kind, Enums.syncWindowKinds)
            if !windows.hasWindows { e.required("\(p).windows") } else { e.minItems("\(p).windows", count: windows.windows.count, 1) }
            for w in windows.windows {
                if w.schedule == nil { e.required("\(w.path).schedule") }
                e.string("\(w.path).schedule", w.schedule, pattern: .cronSchedule)
                if w.duration == nil { e.required("\(w.path).duration") }
            }
        }
        for item in spec.data {
            if item.secretKey == nil { e.required("\(item.path).secretKey") }
            e.string("\(item.path).secretKey", item.secretKey, minLength: 1, maxLength: 253, pattern: .secretKey)
            if let ref = item.remoteRef { remoteRef(ref, version: version, into: &e) } else { e.required("\(item.path).remoteRef") }
            if let source = item.sourceRef { sourceRef(source, into: &e) }
        }
        for item in spec.dataFrom {
            if let extract = item.extract { remoteRef(extract, version: version, into: &e) }
            if let find = item.find {
                e.enumeration("\(find.location).conversionStrategy", find.conversionStrategy, Enums.conversionStrategies)
                e.enumeration("\(find.location).decodingStrategy", find.decodingStrategy, Enums.decodingStrategies)
                e.enumeration("\(find.location).nullBytePolicy", find.nullBytePolicy, Enums.nullBytePolicies)
            }
            for rewrite in item.rewrite {
                e.properties(rewrite.path, count: rewrite.memberCount, min: 1, max: 1)
                if rewrite.hasRegexp {
                    if rewrite.regexpSource == nil { e.required("\(rewrite.path).regexp.source") }
                    if rewrite.regexpTarget == nil { e.required("\(rewrite.path).regexp.target") }
                }
                if rewrite.hasTransform, rewrite.transformTemplate == nil { e.required("\(rewrite.path).transform.template") }
            }
            if let source = item.sourceRef { sourceRef(source, into: &e) }
        }
    }

    static func storeRef(_ ref: SecretStoreRef, into e: inout FieldErrors) {
        e.string("\(ref.path).name", ref.name, minLength: 1, maxLength: 253, pattern: .dnsSubdomain)
        e.enumeration("\(ref.path).kind", ref.kind, Enums.storeKinds)
    }

    static func target(_ target: ExternalSecretTarget, version: APIVersion, path: String, into e: inout FieldErrors) {
        e.string("\(path).name", target.name, minLength: 1, maxLength: 253, pattern: .dnsSubdomain)
        e.enumeration("\(path).creationPolicy", target.creationPolicy,
                      version == .v1 ? Enums.creationPoliciesV1 : Enums.creationPoliciesV1beta1)
        e.enumeration("\(path).deletionPolicy", target.deletionPolicy, Enums.deletionPolicies)
        if let manifest = target.manifest {
            if manifest.apiVersion == nil { e.required("\(manifest.path).apiVersion") }
            e.string("\(manifest.path).apiVersion", manifest.apiVersion, minLength: 1)
            if manifest.kind == nil { e.required("\(manifest.path).kind") }
            e.string("\(manifest.path).kind", manifest.kind, minLength: 1)
        }
        guard let template = target.template else { return }
        e.enumeration("\(template.path).engineVersion", template.engineVersion, Enums.engineVersions)
        e.enumeration("\(template.path).mergePolicy", template.mergePolicy, Enums.mergePolicies)
        for from in template.templateFrom {
            for ref in [from.configMap, from.secret].compactMap({ $0 }) {
                if ref.name == nil { e.required("\(ref.path).name") }
                if !ref.hasItems { e.required("\(ref.path).items") }
                for item in ref.items {
                    if item.key == nil { e.required("\(item.path).key") }
                    e.string("\(item.path).key", item.key, minLength: 1, maxLength: 253, pattern: .secretKey)
                    e.enumeration("\(item.path).templateAs", item.templateAs, Enums.templateAs)
                }
            }
            if version == .v1beta1 { e.enumeration("\(from.path).target", from.target, Enums.templateTargets) }
            if version == .v1 {
                e.enumeration("\(from.path).valuesDecodingStrategy", from.valuesDecodingStrategy, Enums.decodingStrategies)
            }
        }
    }

    static func remoteRef(_ ref: RemoteRef, version: APIVersion, into e: inout FieldErrors) {
        if ref.key == nil { e.required("\(ref.path).key") }
        e.enumeration("\(ref.path).metadataPolicy", ref.metadataPolicy, Enums.metadataPolicies)
        e.enumeration("\(ref.path).conversionStrategy", ref.conversionStrategy, Enums.conversionStrategies)
        e.enumeration("\(ref.path).decodingStrategy", ref.decodingStrategy, Enums.decodingStrategies)
        e.enumeration("\(ref.path).nullBytePolicy", ref.nullBytePolicy, Enums.nullBytePolicies)
    }

    static func sourceRef(_ source: SourceRef, into e: inout FieldErrors) {
        e.properties(source.path, count: source.memberCount, min: 1, max: 1)
        if let store = source.storeRef { storeRef(store, into: &e) }
        if let generator = source.generatorRef {
            if generator.kind == nil { e.required("\(generator.path).kind") }
            e.enumeration("\(generator.path).kind", generator.kind, GeneratorRef.kinds)
            if generator.name == nil { e.required("\(generator.path).name") }
            e.string("\(generator.path).name", generator.name, minLength: 1, maxLength: 253, pattern: .dnsSubdomain)
        }
    }
}
