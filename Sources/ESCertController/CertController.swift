// The cert-controller loop: keep the stored certificates valid, publish the bundle, serve what is stored.
import ESCertificates
import Logging
import Synchronization

/// Keeps the webhook's certificates issued, rotated and injected.
///
/// - The leader plans with `RotationPlanner`, saves to `storage` and injects the bundle into `targets`.
/// - Every replica writes what `storage` holds into the certificate directory (the server hot-reloads it).
/// - `readiness` is true only while the served certificate is valid for one more check interval and chains to
///   every published bundle.
public final class CertController: Sendable {
    public let configuration: CertControllerConfiguration
    let storage: any CertificateStorage
    let targets: (any CABundleTargets)?
    let leadership: any Leadership
    let logger: Logger
    let servedCertificate: @Sendable () -> CertificateFiles?
    private let state = Mutex(State())

    private struct State {
        var bundles: [InjectedBundle] = []
        var reconciled = false
        var lastError: String?
        var pendingRequest: RotationRequest?
        var counts = RotationCounts()
        var wake: AsyncStream<Void>.Continuation?
    }

    /// What one reconcile did.
    public struct Report: Sendable, Equatable {
        public var isLeader: Bool
        public var steps: [RotationStep]
        public var saved: Bool
        public var injected: Int
        public var wroteCertificateDirectory: Bool
    }

    public init(
        configuration: CertControllerConfiguration, storage: any CertificateStorage, targets: (any CABundleTargets)?,
        leadership: any Leadership = SoleLeader(), logger: Logger,
        servedCertificate: (@Sendable () -> CertificateFiles?)? = nil
    ) {
        self.configuration = configuration
        self.storage = storage
        self.targets = targets
        self.leadership = leadership
        self.logger = logger
        let directory = configuration.certDirectory
        self.servedCertificate = servedCertificate ?? {
            try? CertificateFiles.readIfPresent(fromDirectory: directory)
        }
    }

    /// Standalone mode (no cluster): the certificate directory is the storage and its ca.crt the only bundle.
    public static func standalone(configuration: CertControllerConfiguration, logger: Logger) -> CertController {
        CertController(configuration: configuration, storage: DirectoryCertificateStorage(path: configuration.certDirectory),
                       targets: nil, logger: logger)
    }

    // MARK: Readiness

    /// Readiness now (evaluated on each call against the last seen bundles).
    public var readiness: CertReadiness { readiness(at: UnixTime.now()) }

    public func readiness(at now: Int64) -> CertReadiness {
        let (bundles, reconciled) = state.withLock { ($0.bundles, $0.reconciled) }
        guard reconciled else {
            return CertReadiness(isReady: false, reason: "certificates not reconciled yet")
        }
        return CertReadiness.evaluate(
            served: servedCertificate(), bundles: bundles, requireInjection: targets != nil,
            dnsName: configuration.policy.primaryName, until: now + UnixTime.seconds(configuration.checkInterval))
    }

    /// Asks for an early rotation; the running loop carries it out at once (the CA hand-over still takes its
    /// usual passes). Stays pending while a CA rotation is in progress. Only the leader acts on it.
    public func requestRotation(_ request: RotationRequest) {
        let wake = state.withLock { state in
            state.pendingRequest = request
            return state.wake
        }
        wake?.yield()
    }

    /// What this replica has done since it started (leader passes only).
    public var rotationCounts: RotationCounts { state.withLock { $0.counts } }

    /// Whether a requested rotation has not been carried out yet.
    public var hasPendingRotationRequest: Bool { state.withLock { $0.pendingRequest != nil } }

    /// The last reconcile error, nil after a success.
    public var lastError: String? { state.withLock { $0.lastError } }

    // MARK: Reconcile

    /// One pass. Throws on storage or API failures (the loop retries).
    @discardableResult
    public func reconcile(now: Int64 = UnixTime.now()) async throws -> Report {
        do {
            let report = try await reconcilePass(now: now)
            state.withLock { $0.lastError = nil }
            CertControllerMetrics.recordReconcile(success: true)
            return report
        } catch {
            state.withLock { $0.lastError = "\(error)" }
            CertControllerMetrics.recordReconcile(success: false)
            throw error
        }
    }

    private func reconcilePass(now: Int64) async throws -> Report {
        let isLeader = leadership.isLeader
        var stored = try await storage.load()
        var bundles = try await targets?.currentBundles() ?? []
        var report = Report(isLeader: isLeader, steps: [], saved: false, injected: 0, wroteCertificateDirectory: false)

        if stored.externallyManaged {
            logger.debug("certificates are managed elsewhere (no ca.key); serving them unchanged",
                         metadata: ["storage": "\(storage.displayName)"])
        } else if isLeader {
            let request = state.withLock { $0.pendingRequest }
            let plan = try RotationPlanner.plan(
                current: stored.files, injectedBundles: bundles.map(\.bundlePEM), policy: configuration.policy, now: now,
                request: request)
            report.steps = plan.steps
            state.withLock { $0.counts.record(plan.steps) }
            CertControllerMetrics.recordSteps(plan.steps)
            for step in plan.steps {
                logger.info("\(step)", metadata: ["storage": "\(storage.displayName)"])
            }
            if plan.files != stored.files {
                try await storage.save(plan.files, replacing: stored)
                stored.files = plan.files
                report.saved = true
                await storage.recordChanges(plan.steps)
            }
            if let request, plan.honoredRequest {
                state.withLock { if $0.pendingRequest == request { $0.pendingRequest = nil } }
            }
            if let targets {
                report.injected = try await targets.inject(plan.files.caCertificatePEM)
                if report.injected > 0 {
                    logger.info("injected the CA bundle", metadata: ["webhooks": "\(report.injected)"])
                    bundles = try await targets.currentBundles()
                }
            }
        }

        if let files = stored.files {
            CertControllerMetrics.recordExpiry(files)
        }
        if let files = stored.files, !storageIsCertificateDirectory {
            report.wroteCertificateDirectory = try writeCertificateDirectory(files)
        }
        let finalBundles = bundles
        state.withLock {
            $0.bundles = finalBundles
            $0.reconciled = true
        }
        return report
    }

    private var storageIsCertificateDirectory: Bool {
        (storage as? DirectoryCertificateStorage)?.path == configuration.certDirectory
    }

    /// Writes ca.crt, tls.crt, tls.key (never ca.key) into the certificate directory when they differ. A directory
    /// that cannot be written (e.g. the Secret itself mounted read-only, kubelet keeps it current) is logged, not
    /// fatal: the served files are still checked by readiness.
    private func writeCertificateDirectory(_ files: CertificateFiles) throws -> Bool {
        var served = files
        served.caKeyPEM = nil
        var onDisk = try? CertificateFiles.readIfPresent(fromDirectory: configuration.certDirectory)
        onDisk?.caKeyPEM = nil
        guard onDisk != served else { return false }
        do {
            try served.write(toDirectory: configuration.certDirectory)
        } catch {
            logger.warning("cannot write the certificate directory; serving whatever it holds", metadata: [
                "dir": "\(configuration.certDirectory)", "error": "\(error)",
            ])
            return false
        }
        logger.info("wrote certificates", metadata: ["dir": "\(configuration.certDirectory)"])
        return true
    }

    // MARK: Loop

    /// Reconciles at start, every check interval, whenever storage, a bundle target or leadership changes, and
    /// sooner after a failure (exponential backoff from 1 s up to the check interval). Returns when cancelled.
    public func run() async {
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let interval = configuration.checkInterval
        state.withLock { $0.wake = wake }
        defer { state.withLock { $0.wake = nil } }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.leadership.run() }
            group.addTask {
                for await leading in self.leadership.transitions() {
                    self.logger.info(leading ? "became the cert-controller leader" : "lost cert-controller leadership")
                    wake.yield()
                }
            }
            group.addTask {
                for await _ in self.storage.changes() { wake.yield() }
            }
            if let targets {
                group.addTask {
                    for await _ in targets.changes() { wake.yield() }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake.yield()
                }
            }
            wake.yield()
            var failures = 0
            for await _ in wakeups {
                if Task.isCancelled { break }
                do {
                    try await reconcile()
                    failures = 0
                } catch {
                    if Task.isCancelled { break }
                    failures += 1
                    let delay = min(Duration.seconds(1 << min(failures - 1, 10)), interval)
                    logger.error("cert-controller reconcile failed", metadata: [
                        "error": "\(error)", "retryIn": "\(CertDuration.format(delay))",
                    ])
                    group.addTask {
                        try? await Task.sleep(for: delay)
                        wake.yield()
                    }
                }
            }
            wake.finish()
            group.cancelAll()
        }
    }
}
