import ESJSON
import Foundation
import Logging

/// Timing and identity for leader election on a `coordination.k8s.io/v1` Lease.
public struct LeaderElectionConfig: Sendable {
    public var namespace: String
    public var name: String
    public var identity: String
    /// How long a lease is valid after its last renewal, as seen by the other candidates.
    public var leaseDuration: Duration
    /// The leader gives up if it could not renew for this long.
    public var renewDeadline: Duration
    /// Time between acquire/renew attempts.
    public var retryPeriod: Duration
    /// On cancellation the leader clears the holder so another candidate takes over at once.
    public var releaseOnCancel: Bool

    public init(namespace: String, name: String, identity: String = LeaderElector.defaultIdentity(),
                leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
                retryPeriod: Duration = .seconds(2), releaseOnCancel: Bool = true) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }
}

/// client-go's leader election: acquire the Lease when it is free or expired (by the local clock
/// since its record last changed), renew it every `retryPeriod`, and give up after `renewDeadline`
/// without a successful renewal.
public final class LeaderElector: Sendable {
    public let config: LeaderElectionConfig
    let client: KubeClient
    let logger: Logger

    private struct Observation {
        var record: JSON?
        var observedAt = ContinuousClock.now
        var leading = false
        var leader: String?
    }

    private let state = Locked(Observation())

    public init(client: KubeClient, config: LeaderElectionConfig, logger: Logger = Logger(label: "leader-election")) {
        self.client = client
        self.config = config
        self.logger = logger
    }

    /// Pod name (`POD_NAME`, else the host name) plus "_" and a random suffix.
    public static func defaultIdentity() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["POD_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName
        let suffix = UUID().uuidString.lowercased().prefix(8)
        return "\(base)_\(suffix)"
    }

    public var isLeader: Bool { state.withLock { $0.leading } }
    /// The holder identity last observed on the Lease.
    public var observedLeader: String? { state.withLock { $0.leader } }

    /// Campaigns until leadership is acquired, runs `onStartedLeading` (in a child task that is
    /// cancelled when leadership is lost), keeps renewing, and returns after leadership is lost or
    /// the calling task is cancelled; `onStoppedLeading` runs in both cases once leading began.
    public func run(onStartedLeading: @escaping @Sendable () async -> Void,
                    onStoppedLeading: @escaping @Sendable () async -> Void = {}) async {
        guard await acquire() else { return }
        logger.info("became leader", metadata: ["lease": "\(config.namespace)/\(config.name)", "identity": "\(config.identity)"])
        let leading = Task { await onStartedLeading() }
        await renewUntilLost()
        leading.cancel()
        state.withLock { $0.leading = false }
        if Task.isCancelled, config.releaseOnCancel {
            // The calling task is cancelled; release from a fresh task so the request can still run.
            await Task { await self.release() }.value
        }
        logger.info("stopped leading", metadata: ["lease": "\(config.namespace)/\(config.name)", "identity": "\(config.identity)"])
        await onStoppedLeading()
    }

    private func acquire() async -> Bool {
        while !Task.isCancelled {
            if await tryAcquireOrRenew() {
                state.withLock { $0.leading = true }
                return true
            }
            try? await Task.sleep(for: jittered(config.retryPeriod))
        }
        return false
    }

    private func renewUntilLost() async {
        let clock = ContinuousClock()
        var lastRenew = clock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: config.retryPeriod)
            if Task.isCancelled { return }
            if await tryAcquireOrRenew() {
                lastRenew = clock.now
            } else if clock.now - lastRenew >= config.renewDeadline {
                logger.warning("failed to renew lease", metadata: ["lease": "\(config.namespace)/\(config.name)"])
                return
            } else if let leader = observedLeader, leader != config.identity {
                return  // someone else holds it now
            }
        }
    }

    /// One attempt: create the Lease, take it over if expired, or renew it if ours.
    func tryAcquireOrRenew() async -> Bool {
        let now = KubeTime.now()
        let nowText = JSON.string(KubeTime.formatMicro(now))
        let leaseSeconds = Int(config.leaseDuration.components.seconds)
        let existing: JSON
        do {
            existing = try await client.get(.leases, namespace: config.namespace, name: config.name)
        } catch let error as KubeError where error.isNotFound {
            let lease: JSON = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": ["name": .string(config.name), "namespace": .string(config.namespace)],
                "spec": ["holderIdentity": .string(config.identity), "leaseDurationSeconds": .number(JSONNumber(leaseSeconds)),
                         "acquireTime": nowText, "renewTime": nowText, "leaseTransitions": 0],
            ]
            do {
                let created = try await client.create(.leases, namespace: config.namespace, lease)
                observe(created)
                return true
            } catch {
                return false
            }
        } catch {
            logger.debug("error retrieving lease", metadata: ["error": "\(error)"])
            return false
        }

        observe(existing)
        let holder = existing[path: ["spec", "holderIdentity"]]?.stringValue ?? ""
        let observedAt = state.withLock { $0.observedAt }
        let recordSeconds = existing[path: ["spec", "leaseDurationSeconds"]]?.intValue ?? leaseSeconds
        let expired = ContinuousClock.now >= observedAt + .seconds(recordSeconds)
        if !holder.isEmpty, holder != config.identity, !expired { return false }

        var lease = existing
        if holder != config.identity {
            lease[path: ["spec", "acquireTime"]] = nowText
            let transitions = existing[path: ["spec", "leaseTransitions"]]?.intValue ?? 0
            lease[path: ["spec", "leaseTransitions"]] = .number(JSONNumber(transitions + 1))
        }
        lease[path: ["spec", "holderIdentity"]] = .string(config.identity)
        lease[path: ["spec", "leaseDurationSeconds"]] = .number(JSONNumber(leaseSeconds))
        lease[path: ["spec", "renewTime"]] = nowText
        do {
            let updated = try await client.update(.leases, namespace: config.namespace, lease)
            observe(updated)
            return true
        } catch {
            return false
        }
    }

    private func release() async {
        guard var lease = try? await client.get(.leases, namespace: config.namespace, name: config.name),
              lease[path: ["spec", "holderIdentity"]]?.stringValue == config.identity else { return }
        lease[path: ["spec", "holderIdentity"]] = nil
        lease[path: ["spec", "leaseDurationSeconds"]] = 1
        lease[path: ["spec", "renewTime"]] = .string(KubeTime.formatMicro(KubeTime.now()))
        _ = try? await client.update(.leases, namespace: config.namespace, lease)
    }

    /// Remembers when the Lease record last changed, by the local clock (no trust in remote clocks).
    private func observe(_ lease: JSON) {
        let spec = lease["spec"]
        state.withLock { s in
            if s.record != spec {
                s.record = spec
                s.observedAt = ContinuousClock.now
            }
            s.leader = spec?["holderIdentity"]?.stringValue
        }
    }

    private func jittered(_ d: Duration) -> Duration { d * Double.random(in: 1.0...1.2) }
}
