import ESProviders


/// Coalesces identical provider reads: N ExternalSecrets reading the same remote key of the same
/// store (same store resourceVersion) within `window` seconds cause one provider call. In-flight
/// calls are shared; failures are never kept past the in-flight call. Entries are keyed by the
/// store's identity, so a result is only ever shared between readers of the same store, after each
/// reader passed its own store-access checks.
public actor FetchCoalescer {
    enum Operation: Hashable, Sendable { case secret(RemoteRef), map(RemoteRef), find(FindRef) }
    struct Key: Hashable, Sendable { var store: String; var operation: Operation }
    enum Value: Sendable { case bytes([UInt8]), map([String: [UInt8]]) }

    private struct Entry {
        var task: Task<Result<Value, any Error>, Never>
        var completedAt: Double?
    }

    private var entries: [Key: Entry] = [:]
    private var insertsSincePrune = 0
    public let window: Double
    private let onProviderCall: @Sendable (_ provider: String, _ call: String, _ success: Bool) -> Void
    public private(set) var providerCalls = 0

    public init(window: Double = 1.0,
                onProviderCall: @escaping @Sendable (_ provider: String, _ call: String, _ success: Bool) -> Void = { _, _, _ in }) {
        self.window = window
        self.onProviderCall = onProviderCall
    }

    func value(_ key: Key, provider: String, call: String, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = Self.now()
        if let entry = entries[key], entry.completedAt.map({ now - $0 <= window }) ?? true {
            return try await entry.task.value.get()
        }
        providerCalls += 1
        let task = Task<Result<Value, any Error>, Never> {
            do { return .success(try await compute()) } catch { return .failure(error) }
        }
        entries[key] = Entry(task: task, completedAt: nil)
        insertsSincePrune += 1
        if insertsSincePrune >= 1024 { prune(now: now) }
        let result = await task.value
        switch result {
        case .success:
            entries[key]?.completedAt = Self.now()
            onProviderCall(provider, call, true)
        case .failure:
            entries.removeValue(forKey: key)
            onProviderCall(provider, call, false)
        }
        return try result.get()
    }

    private func prune(now: Double) {
        insertsSincePrune = 0
        entries = entries.filter { $0.value.completedAt.map { now - $0 <= window } ?? true }
    }

    static func now() -> Double { ExternalSecretReconciler.monotonic() }
}

/// A client whose reads go through a `FetchCoalescer`.
struct CoalescingSecretsClient: SecretsClient {
    let base: any SecretsClient
    let storeIdentity: String
    let providerName: String
    let coalescer: FetchCoalescer

    func getSecret(_ ref: RemoteRef) async throws -> [UInt8] {
        let base = self.base
        let value = try await coalescer.value(.init(store: storeIdentity, operation: .secret(ref)), provider: providerName,
                                              call: "GetSecret") { .bytes(try await base.getSecret(ref)) }
        if case .bytes(let b) = value { return b }
        return []
    }

    func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]] {
        let base = self.base
        let value = try await coalescer.value(.init(store: storeIdentity, operation: .map(ref)), provider: providerName,
                                              call: "GetSecretMap") { .map(try await base.getSecretMap(ref)) }
        if case .map(let m) = value { return m }
        return [:]
    }

    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] {
        let base = self.base
        let value = try await coalescer.value(.init(store: storeIdentity, operation: .find(find)), provider: providerName,
                                              call: "GetAllSecrets") { .map(try await base.getAllSecrets(find)) }
        if case .map(let m) = value { return m }
        return [:]
    }

    func validate() async -> ValidationOutcome { await base.validate() }
    func close() async { await base.close() }
}
