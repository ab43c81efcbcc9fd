import ESProviderAWS
import Synchronization
import Testing

final class ManualClock: Sendable {
    let value = Mutex<Double>(0)
    func set(_ v: Double) { value.withLock { $0 = v } }
    func now() -> Double { value.withLock { $0 } }
}

final class Tally: Sendable {
    let value = Mutex(0)
    @discardableResult func bump() -> Int { value.withLock { $0 += 1; return $0 } }
    var count: Int { value.withLock { $0 } }
}

@Suite("Credential caching and call coalescing")
struct CredentialsCachingTests {

    @Test func cachedUntilShortlyBeforeExpiry() async throws {
        let clock = ManualClock()
        let fetches = Tally()
        let provider = CachingCredentialsProvider(refreshBefore: .seconds(300), now: { clock.now() }) {
            let n = fetches.bump()
            return AWSCredentials(accessKeyID: "AKID\(n)", secretAccessKey: "s", sessionToken: "t",
                                  expiration: clock.now() + 1000)
        }
        clock.set(0)
        #expect(try await provider.credentials().accessKeyID == "AKID1")
        clock.set(699)
        #expect(try await provider.credentials().accessKeyID == "AKID1")
        clock.set(701)   // inside the 300 s refresh window before expiry at 1000
        #expect(try await provider.credentials().accessKeyID == "AKID2")
        #expect(fetches.count == 2)
    }

    @Test func failedFetchesAreNotCached() async throws {
        let attempts = Tally()
        let provider = CachingCredentialsProvider {
            let n = attempts.bump()
            if n == 1 { throw AWSError(kind: .transient, code: "", message: "down", status: 0, operation: "AssumeRole") }
            return AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")
        }
        await #expect(throws: AWSError.self) { try await provider.credentials() }
        #expect(try await provider.credentials().accessKeyID == "AKID")
    }

    @Test func concurrentIdenticalCallsShareOneExecution() async throws {
        let calls = InFlightCalls<String>()
        let gate = AsyncStream<Void>.makeStream()
        let executions = Tally()
        let leader = Task {
            try await calls.run("k") { @Sendable () async throws -> String in
                executions.bump()
                for await _ in gate.stream { break }
                return "value"
            }
        }
        while await calls.started == 0 { await Task.yield() }
        let followers = (0..<5).map { _ in
            Task { try await calls.run("k") { @Sendable () async throws -> String in executions.bump(); return "other" } }
        }
        while await calls.joined < 5 { await Task.yield() }
        gate.continuation.yield()
        #expect(try await leader.value == "value")
        for f in followers { #expect(try await f.value == "value") }
        #expect(executions.count == 1)
        // Nothing is kept afterwards: the next call runs again.
        let fresh = try await calls.run("k") { @Sendable () async throws -> String in "fresh" }
        #expect(fresh == "fresh")
    }
}
