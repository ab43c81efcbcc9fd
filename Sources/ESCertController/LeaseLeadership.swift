// Leader election on a coordination.k8s.io/v1 Lease (client-go's algorithm, simplified).
import ESCertificates
import ESJSON
import ESKube
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Holds the Lease while renewing it every `retryPeriod`; another replica takes over once the record has not
/// changed for `leaseDuration` by its own clock (no cross-node clock comparison). Steps down when it cannot renew
/// within two thirds of the lease, and releases the Lease when cancelled.
public final class LeaseLeadership: Leadership {
    public let kube: KubeClient
    public let namespace: String
    public let name: String
    public let identity: String
    public let leaseDuration: Duration
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var leading = false
        var lastRenewal: ContinuousClock.Instant?
        var observedRecord: String?
        var observedAt: ContinuousClock.Instant?
        var subscriber: AsyncStream<Bool>.Continuation?
    }

    public init(kube: KubeClient, namespace: String, name: String, identity: String, leaseDuration: Duration,
                logger: Logger) {
        self.kube = kube
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.logger = logger
    }

    /// `hostname_<random>`: unique per process.
    public static func defaultIdentity() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : "external-secrets"
        return "\(host)_\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }

    public var isLeader: Bool {
        state.withLock { state in
            guard state.leading, let last = state.lastRenewal else { return false }
            return last.duration(to: .now) < renewDeadline
        }
    }

    public func transitions() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(4))
        state.withLock { $0.subscriber = continuation }
        return stream
    }

    var renewDeadline: Duration { leaseDuration * 2 / 3 }
    var retryPeriod: Duration { max(.milliseconds(100), leaseDuration / 7) }

    public func run() async {
        while !Task.isCancelled {
            let acquired: Bool
            do {
                acquired = try await tryAcquireOrRenew()
            } catch {
                logger.debug("lease update failed", metadata: ["lease": "\(namespace)/\(name)", "error": "\(error)"])
                acquired = false
            }
            let (changed, leading) = state.withLock { state -> (Bool, Bool) in
                if acquired { state.lastRenewal = .now }
                let leading = acquired || (state.leading && (state.lastRenewal.map { $0.duration(to: .now) < renewDeadline } ?? false))
                let changed = leading != state.leading
                state.leading = leading
                return (changed, leading)
            }
            if changed {
                logger.info(leading ? "acquired lease" : "lost lease", metadata: ["lease": "\(namespace)/\(name)",
                                                                                  "identity": "\(identity)"])
                _ = state.withLock { $0.subscriber?.yield(leading) }
            }
            try? await Task.sleep(for: retryPeriod)
        }
        // Cancellation is why we are here: release from a task that is not cancelled, or the API call aborts at once.
        await Task.detached { await self.release() }.value
        state.withLock { $0.subscriber?.finish() }
    }

    /// One round: create, renew or take over the Lease. True when we hold it afterwards.
    private func tryAcquireOrRenew() async throws -> Bool {
        let now = KubeTime.formatMicro(KubeTime.now())
        let seconds = max(1, Int(UnixTime.seconds(leaseDuration)))
        let lease: JSON
        do {
            lease = try await kube.get(.leases, namespace: namespace, name: name)
        } catch let error as KubeError where error.isNotFound {
            let created: JSON = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": ["name": .string(name), "namespace": .string(namespace)],
                "spec": ["holderIdentity": .string(identity), "leaseDurationSeconds": .number(JSONNumber(seconds)),
                         "acquireTime": .string(now), "renewTime": .string(now), "leaseTransitions": 0],
            ]
            _ = try await kube.create(.leases, namespace: namespace, created)
            return true
        }
        let spec = lease["spec"] ?? [:]
        let holder = spec["holderIdentity"]?.stringValue ?? ""
        let record = "\(holder)|\(spec["renewTime"]?.stringValue ?? "")"
        let heldDuration = Duration.seconds(spec["leaseDurationSeconds"]?.intValue ?? seconds)
        let expired = state.withLock { state -> Bool in
            if state.observedRecord != record {
                state.observedRecord = record
                state.observedAt = .now
            }
            return state.observedAt.map { $0.duration(to: .now) >= heldDuration } ?? false
        }
        if !holder.isEmpty && holder != identity && !expired {
            return false
        }
        var updated = lease
        updated[path: ["spec", "holderIdentity"]] = .string(identity)
        updated[path: ["spec", "leaseDurationSeconds"]] = .number(JSONNumber(seconds))
        updated[path: ["spec", "renewTime"]] = .string(now)
        if holder != identity {
            updated[path: ["spec", "acquireTime"]] = .string(now)
            let transitions = spec["leaseTransitions"]?.intValue ?? 0
            updated[path: ["spec", "leaseTransitions"]] = .number(JSONNumber(transitions + 1))
        }
        _ = try await kube.update(.leases, namespace: namespace, updated)
        return true
    }

    /// Gives the Lease up so another replica need not wait for it to expire.
    private func release() async {
        guard state.withLock({ $0.leading }) else { return }
        state.withLock { $0.leading = false }
        do {
            var lease = try await kube.get(.leases, namespace: namespace, name: name)
            guard lease[path: ["spec", "holderIdentity"]]?.stringValue == identity else { return }
            lease[path: ["spec", "holderIdentity"]] = .string("")
            lease[path: ["spec", "leaseDurationSeconds"]] = .number(JSONNumber(1))
            _ = try await kube.update(.leases, namespace: namespace, lease)
        } catch {
            logger.debug("lease release failed", metadata: ["error": "\(error)"])
        }
    }
}
