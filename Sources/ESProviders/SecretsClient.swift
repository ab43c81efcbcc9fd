/// A connection to one store, built per reconcile by `SecretsProvider.newClient`.
///
/// Errors: throw `ProviderError` (any other error type is treated like `.transient`). Throw
/// `.notFound` ONLY when the provider positively said the secret does not exist: that is the single
/// error that may lead the reconciler to delete or empty a Secret.
public protocol SecretsClient: Sendable {
    /// One value; `ref.property` selects a sub-value, `ref.version` a version.
    func getSecret(_ ref: RemoteRef) async throws -> [UInt8]
    /// One provider secret expanded to many keys (`dataFrom[].extract`).
    func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]]
    /// Every secret matching `find` (`dataFrom[].find`), keyed by secret name.
    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]]
    /// The store check the store controller runs.
    func validate() async -> ValidationOutcome
    func close() async
}
