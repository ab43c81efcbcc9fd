/// Which ExternalSecrets write a Secret whose name differs from their own (`namespace/targetName` →
/// ExternalSecret names), so a change to a managed Secret re-syncs the ExternalSecrets that own it.
/// ExternalSecrets writing the Secret of their own name (the default, and by far the common case)
/// are not stored: the controller finds them by name, so the index stays empty at any scale.
actor TargetIndex {
    private var byTarget: [String: Set<String>] = [:]
    private var targetOf: [String: String] = [:]

    func set(namespace: String, externalSecret: String, target: String?) {
        let esKey = namespace + "/" + externalSecret
        if let previous = targetOf.removeValue(forKey: esKey) {
            byTarget[previous]?.remove(externalSecret)
            if byTarget[previous]?.isEmpty == true { byTarget.removeValue(forKey: previous) }
        }
        guard let target, target != externalSecret else { return }
        let targetKey = namespace + "/" + target
        targetOf[esKey] = targetKey
        byTarget[targetKey, default: []].insert(externalSecret)
    }

    /// ExternalSecrets whose target is `secret` under another name than their own.
    func externalSecrets(namespace: String, secret: String) -> [String] {
        Array(byTarget[namespace + "/" + secret] ?? [])
    }

    var count: Int { targetOf.count }
}
