/// A source of AWS credentials.
public protocol AWSCredentialsProvider: Sendable {
    func credentials() async throws -> AWSCredentials
}

/// Long-lived keys (from a Secret or the environment).
public struct StaticCredentialsProvider: AWSCredentialsProvider {
    public let value: AWSCredentials
    public init(_ value: AWSCredentials) { self.value = value }
    public func credentials() async throws -> AWSCredentials { value }
}

/// Caches what `fetch` returns until `refreshBefore` ahead of its expiry; concurrent callers share one fetch.
public actor CachingCredentialsProvider: AWSCredentialsProvider {
    private let fetch: @Sendable () async throws -> AWSCredentials
    private let refreshBefore: Double
    private let now: @Sendable () -> Double
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?

    public init(refreshBefore: Duration = .seconds(300), now: @escaping @Sendable () -> Double = { Double(AWSTimestamp.now().secondsSinceEpoch) },
                fetch: @escaping @Sendable () async throws -> AWSCredentials) {
        self.fetch = fetch
        self.refreshBefore = Double(refreshBefore.components.seconds)
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, isFresh(cached) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        let value = try await task.value
        cached = value
        return value
    }

    private func isFresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return now() < expiration - refreshBefore
    }
}

/// No credentials could be found; every use reports why.
public struct UnavailableCredentialsProvider: AWSCredentialsProvider {
    public let error: any Error
    public init(error: any Error) { self.error = error }
    public func credentials() async throws -> AWSCredentials { throw error }
}
