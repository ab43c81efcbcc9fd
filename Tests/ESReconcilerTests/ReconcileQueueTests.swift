import ESReconciler
import Testing

@Suite struct ReconcileQueueTests {
    @Test func deduplicatesQueuedKeys() async {
        let queue = ReconcileQueue<String>()
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.depth == 2)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
    }

    @Test func keyAddedWhileProcessingComesBackAfterDone() async {
        let queue = ReconcileQueue<String>()
        await queue.add("a")
        #expect(await queue.next() == "a")
        await queue.add("a")
        #expect(await queue.depth == 0, "not handed to a second worker while processing")
        await queue.done("a")
        #expect(await queue.depth == 1)
        #expect(await queue.next() == "a")
    }

    @Test func delayedAddArrives() async {
        let queue = ReconcileQueue<String>()
        await queue.add("later", after: 0.05)
        #expect(await queue.depth == 0)
        #expect(await queue.next() == "later")
    }

    @Test func backoffDoublesUpToTheCap() async {
        let queue = ReconcileQueue<String>(baseBackoff: 1, maxBackoff: 420)
        #expect(await queue.backoff(forFailures: 0) == 1)
        #expect(await queue.backoff(forFailures: 3) == 8)
        #expect(await queue.backoff(forFailures: 20) == 420)
        await queue.addRateLimited("x")
        await queue.addRateLimited("x")
        #expect(await queue.failureCount("x") == 2)
        await queue.forget("x")
        #expect(await queue.failureCount("x") == 0)
    }

    @Test func shutDownReleasesWaiters() async {
        let queue = ReconcileQueue<String>()
        async let waiting = queue.next()
        try? await Task.sleep(nanoseconds: 20_000_000)
        await queue.shutDown()
        #expect(await waiting == nil)
    }
}
