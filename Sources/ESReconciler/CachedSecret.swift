import ESJSON

/// The form in which the managed-Secret informer caches Secrets: only what the reconciler reads from
/// the cache, which is metadata (the managed and created-by labels, owner references, uid, name).
///
/// - `managedFields` and the last-applied annotation are dropped (`CacheTransforms.stripServerBookkeeping`).
/// - `data` and `stringData` are dropped: the reconciler only needs to know whether the data still
///   matches the `reconcile.external-secrets.io/data-hash` annotation, so that annotation is kept
///   only when it does (checked here, once, when the Secret enters the cache).
///
/// Anything written to a Secret is computed from a complete copy read directly from the API server,
/// never from this form.
public enum CachedSecret {
    @Sendable public static func transform(_ secret: inout JSON) {
        CacheTransforms.stripServerBookkeeping(&secret)
        let dataMatchesHash = SecretData.isValidManaged(secret)
        if secret["data"] != nil { secret["data"] = nil }
        if secret["stringData"] != nil { secret["stringData"] = nil }
        if !dataMatchesHash, secret[path: ["metadata", "annotations", ManagedLabels.dataHash]] != nil {
            secret[path: ["metadata", "annotations", ManagedLabels.dataHash]] = nil
        }
    }

    /// ESO's "valid managed Secret" test on the cached form: managed label set and data matching its hash.
    public static func isValidManaged(_ cached: JSON) -> Bool {
        cached[path: ["metadata", "labels", ManagedLabels.managed]]?.stringValue == "true"
            && cached[path: ["metadata", "annotations", ManagedLabels.dataHash]]?.stringValue != nil
    }
}
