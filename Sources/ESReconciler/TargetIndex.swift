/// Which ExternalSecrets write which Secret (`namespace/targetName` → ExternalSecret names), so a
/// change to a managed Secret re-syncs the ExternalSecrets that own it.
actor TargetIndex {
    private var byTarget: [String: Set<String>] = [:]
    private var targetOf: [String: String] = [:]

    func set(namespace: String, externalSecret: String, target: String?) {
        let esKey = namespace + "/" + externalSecret
        if let previous = targetOf.removeValue(forKey: esKey) {
            byTarget[previous]?.remove(externalSecret)
            if byTarget[previous]?.isEmpty == true { byTarget.removeValue(forKey: previous) }
        }
        guard let target else { return }
        let targetKey = namespace + "/" + target
        targetOf[esKey] = targetKey
        byTarget[targetKey, default: []].insert(externalSecret)
    }

    func externalSecrets(namespace: String, secret: String) -> [String] {
        Array(byTarget[namespace + "/" + secret] ?? [])
    }
}
