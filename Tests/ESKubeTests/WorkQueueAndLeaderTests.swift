import ESJSON
import ESKube
import ESTestAPIServer
import Testing

@Suite struct WorkQueueTests {
    @Test func deduplicatesAndRequeuesKeysAddedWhileProcessing() async throws {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("b")
        await queue.add("a")
        #expect(await queue.count == 2)
        let first = await queue.get()
        #expect(first == "a")
        await queue.add("a")            // re-added while processing: held back
        #expect(await queue.count == 1)
        #expect(await queue.get() == "b")
        await queue.done("a")           // now it is queued again
        #expect(await queue.get() == "a")
        await queue.done("a")
        await queue.done("b")
        #expect(await queue.count == 0)
    }

    @Test func rateLimitedBackoffGrowsAndForgetResets() async throws {
        let queue = WorkQueue<String>(baseDelay: .milliseconds(10), maxDelay: .seconds(1))
        #expect(await queue.backoff(failures: 0) == .milliseconds(10))
        #expect(await queue.backoff(failures: 3) == .milliseconds(80))
        #expect(await queue.backoff(failures: 30) == .seconds(1))
        await queue.addRateLimited("k")
        await queue.addRateLimited("k")
        #expect(await queue.requeues("k") == 2)
        #expect(await queue.get() == "k")
        await queue.done("k")
        await queue.forget("k")
        #expect(await queue.requeues("k") == 0)
    }

    @Test func delayedAddsAndShutdown() async throws {
        let queue = WorkQueue<String>()
        await queue.addAfter("later", .milliseconds(30))
        #expect(await queue.count == 0)
        #expect(await queue.get() == "later")   // waits for the delay
        let waiter = Task { await queue.get() }
        try await Task.sleep(for: .milliseconds(10))
        await queue.shutDown()
        #expect(await waiter.value == nil)
    }
}

@Suite struct LeaderElectionTests {
    @Test func exactlyOneLeadsAndTheOtherTakesOver() async throws {
        try await withAPIServer { server, client in
            let leaders = EventLog()
            func elector(_ id: String) -> LeaderElector {
                LeaderElector(client: client, config: LeaderElectionConfig(
                    namespace: "default", name: "external-secrets-controller", identity: id,
                    leaseDuration: .milliseconds(1500), renewDeadline: .milliseconds(1000), retryPeriod: .milliseconds(100),
                    releaseOnCancel: false))
            }
            let a = elector("a"), b = elector("b")
            let runA = Task { await a.run(onStartedLeading: { await leaders.add("a") }, onStoppedLeading: { await leaders.add("a stopped") }) }
            let runB = Task { await b.run(onStartedLeading: { await leaders.add("b") }, onStoppedLeading: { await leaders.add("b stopped") }) }
            try await eventually { a.isLeader || b.isLeader }
            try await Task.sleep(for: .milliseconds(500))
            #expect(a.isLeader != b.isLeader)
            let (leader, follower, leaderTask, followerTask) = a.isLeader ? (a, b, runA, runB) : (b, a, runB, runA)
            let lease = try #require(server.store.object("leases", group: "coordination.k8s.io", namespace: "default",
                                                         name: "external-secrets-controller"))
            #expect(lease[path: ["spec", "holderIdentity"]]?.stringValue == leader.config.identity)

            // Stop the leader without releasing (as if the process died): the other takes over once the lease expires.
            leaderTask.cancel()
            try await eventually { follower.isLeader }
            try await eventually { await leaders.contains(follower.config.identity) }
            let taken = try #require(server.store.object("leases", group: "coordination.k8s.io", namespace: "default",
                                                         name: "external-secrets-controller"))
            #expect(taken[path: ["spec", "holderIdentity"]]?.stringValue == follower.config.identity)
            #expect(taken[path: ["spec", "leaseTransitions"]]?.intValue == 1)
            followerTask.cancel()
            _ = await leaderTask.value
            _ = await followerTask.value
        }
    }

    @Test func releaseOnCancelHandsOverImmediately() async throws {
        try await withAPIServer { server, client in
            let config = LeaderElectionConfig(namespace: "default", name: "handover", identity: "first",
                                              leaseDuration: .seconds(30), renewDeadline: .seconds(20), retryPeriod: .milliseconds(50))
            let first = LeaderElector(client: client, config: config)
            let run = Task { await first.run(onStartedLeading: {}) }
            try await eventually { first.isLeader }
            run.cancel()
            _ = await run.value
            let lease = try #require(server.store.object("leases", group: "coordination.k8s.io", namespace: "default", name: "handover"))
            #expect(lease[path: ["spec", "holderIdentity"]] == nil)
            var secondConfig = config
            secondConfig.identity = "second"
            let second = LeaderElector(client: client, config: secondConfig)
            let run2 = Task { await second.run(onStartedLeading: {}) }
            try await eventually { second.isLeader }
            run2.cancel()
        }
    }
}
