/// Process-wide credential providers keyed by how they were obtained (never by secret values), so STS results
/// survive across reconciles until shortly before they expire.
actor CredentialsProviderCache {
    private var providers: [String: CachingCredentialsProvider] = [:]
    private let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    func provider(_ key: String, make: @Sendable () -> CachingCredentialsProvider) -> CachingCredentialsProvider {
        if let existing = providers[key] { return existing }
        if providers.count >= capacity { providers.removeAll(keepingCapacity: true) }
        let created = make()
        providers[key] = created
        return created
    }
}
