/// Batches concurrent current-version reads of distinct secrets into BatchGetSecretValue calls (20 ids
/// each), per endpoint + identity. Below `directLimit` calls in flight a read is sent at once as a plain
/// GetSecretValue (no added latency when idle); beyond it, reads queue and go out together as soon as a call
/// completes. Ids the batch does not answer are read one by one; if BatchGetSecretValue itself is refused
/// (e.g. the IAM policy only allows GetSecretValue) the identity falls back to single reads for good.
actor SecretsManagerReadBatcher {
    private struct Waiter {
        var secretID: String
        var continuation: CheckedContinuation<SecretsManagerSecretValue, any Error>
    }

    private struct Lane {
        var inFlight = 0
        var queue: [Waiter] = []
        var batchingRefused = false
    }

    private var lanes: [String: Lane] = [:]
    let directLimit: Int

    init(directLimit: Int = 4) { self.directLimit = directLimit }

    func currentValue(of secretID: String, lane key: String, api: SecretsManagerClient) async throws -> SecretsManagerSecretValue {
        var lane = lanes[key] ?? Lane()
        if lane.batchingRefused || lane.inFlight < directLimit {
            lane.inFlight += 1
            lanes[key] = lane
            defer { finished(key, api: api) }
            return try await api.getSecretValue(secretID: secretID, versionStage: "AWSCURRENT")
        }
        return try await withCheckedThrowingContinuation { continuation in
            lane.queue.append(Waiter(secretID: secretID, continuation: continuation))
            lanes[key] = lane
        }
    }

    /// A call of `key` ended: send whatever queued meanwhile, 20 ids per call.
    private func finished(_ key: String, api: SecretsManagerClient) {
        guard var lane = lanes[key] else { return }
        lane.inFlight -= 1
        let queued = lane.queue
        lane.queue = []
        var start = 0
        while start < queued.count {
            let chunk = Array(queued[start..<min(start + SecretsManagerClient.batchLimit, queued.count)])
            start += chunk.count
            lane.inFlight += 1
            let refused = lane.batchingRefused
            Task { await self.send(chunk, lane: key, api: api, batch: !refused) }
        }
        if lane.inFlight == 0 && lane.queue.isEmpty && !lane.batchingRefused { lanes[key] = nil } else { lanes[key] = lane }
    }

    private func send(_ waiters: [Waiter], lane key: String, api: SecretsManagerClient, batch: Bool) async {
        defer { finished(key, api: api) }
        guard batch, waiters.count > 1 else {
            await sendSingly(waiters, api: api)
            return
        }
        let ids = Array(Set(waiters.map(\.secretID)))
        do {
            let page = try await api.batchGetSecretValue(secretIDs: ids)
            var unanswered: [Waiter] = []
            for waiter in waiters {
                if let value = page.values.first(where: { $0.name == waiter.secretID || $0.arn == waiter.secretID }) {
                    waiter.continuation.resume(returning: value)
                } else if let failure = page.errors.first(where: { $0.secretID == waiter.secretID }) {
                    waiter.continuation.resume(throwing: failure.error)
                } else {
                    unanswered.append(waiter)
                }
            }
            if !unanswered.isEmpty { await sendSingly(unanswered, api: api) }
        } catch let error as AWSError where error.kind == .auth || error.kind == .invalid {
            lanes[key]?.batchingRefused = true
            await sendSingly(waiters, api: api)
        } catch {
            for waiter in waiters { waiter.continuation.resume(throwing: error) }
        }
    }

    private func sendSingly(_ waiters: [Waiter], api: SecretsManagerClient) async {
        await withTaskGroup(of: Void.self) { group in
            for waiter in waiters {
                group.addTask {
                    waiter.continuation.resume(with: await Result(catching: {
                        try await api.getSecretValue(secretID: waiter.secretID, versionStage: "AWSCURRENT")
                    }))
                }
            }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
