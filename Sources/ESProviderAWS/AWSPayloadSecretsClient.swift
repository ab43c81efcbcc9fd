import ESProviders

/// What Secrets Manager and Parameter Store share: both read one payload per key (after their own version,
/// cache and metadata handling) and answer `property` and `extract` from it the same way, and both validate
/// by resolving their credentials.
protocol AWSPayloadSecretsClient: SecretsClient {
    var credentials: ResolvedCredentials { get }

    /// The secret's value, or its tags as a JSON object for `metadataPolicy: Fetch`.
    func payload(for ref: RemoteRef) async throws -> [UInt8]
}

extension AWSPayloadSecretsClient {
    func getSecret(_ ref: RemoteRef) async throws -> [UInt8] {
        let payload = try await payload(for: ref)
        if ref.property.isEmpty { return payload }
        return try AWSPropertyPath.select(ref.property, in: payload, key: ref.key)
    }

    func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]] {
        try AWSPropertyPath.expand(try await getSecret(ref), key: ref.key)
    }

    /// Ready when the store's credentials resolve (upstream's `Validate`).
    func validate() async -> ValidationOutcome {
        do {
            _ = try await credentials.provider.credentials()
            return .ready
        } catch {
            return .error("\(error)")
        }
    }

    func close() async {}
}
