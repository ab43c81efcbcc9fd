import ESJSON
import ESKube
import ESProviderAWS
import ESProviders
import Foundation
import Logging
import Synchronization

/// Everything `external-secrets controller` runs, packaged so `serve` can run the same thing in its
/// own process: the ExternalSecret and store controllers over a `KubeClient`, with the built-in
/// providers (`fake`, `kubernetes`) plus `aws`, ESO templating, and optional leader election.
///
/// ```swift
/// let controller = EmbeddedController(kube: client, options: ControllerOptions())
/// let task = Task { await controller.run() }          // until cancelled
/// webhook.onAdmitted = { object in controller.notifyAdmitted(object) }   // sync on admission
/// ```
public final class EmbeddedController: Sendable {
    public let options: ControllerOptions
    let kube: KubeClient
    let logger: Logger
    let registry: ProviderRegistry
    /// The controllers of the current term (a fresh set per leadership term: queues do not restart).
    private let current = Mutex<ExternalSecretsController?>(nil)

    public init(kube: KubeClient, options: ControllerOptions = .init(), logger: Logger = Logger(label: "controller")) {
        self.kube = kube
        self.options = options
        self.logger = logger
        var registry = ProviderRegistry.builtIn
        registry.register(AWSSecretsProvider())
        self.registry = registry
    }

    func makeController() -> ExternalSecretsController {
        let api = KubeClusterAPI(client: kube)
        return ExternalSecretsController(
            api: api, factory: RegistryClientFactory(registry: registry, kube: kube), configuration: options.configuration,
            templating: ESOSecretTemplating(api: api, leftDelimiter: options.templateLeftDelimiter,
                                            rightDelimiter: options.templateRightDelimiter),
            keyRenderer: ESOSecretTemplating.keyRenderer(leftDelimiter: options.templateLeftDelimiter,
                                                         rightDelimiter: options.templateRightDelimiter),
            logger: logger)
    }

    func runTerm() async {
        let controller = makeController()
        current.withLock { $0 = controller }
        await controller.run()
        current.withLock { if $0 === controller { $0 = nil } }
    }

    /// Runs until the calling task is cancelled. With leader election, reconciles only while leading
    /// (and campaigns again after losing the lease).
    public func run() async {
        guard options.enableLeaderElection else {
            await runTerm()
            return
        }
        let elector = LeaderElector(client: kube, config: LeaderElectionConfig(namespace: options.leaderElectionNamespace,
                                                                                name: options.leaderElectionID),
                                    logger: logger)
        while !Task.isCancelled {
            await elector.run(onStartedLeading: { await self.runTerm() })
            if !Task.isCancelled { try? await Task.sleep(nanoseconds: 1_000_000_000) }
        }
    }

    /// Sync on admission: the webhook's `onAdmitted` hook for admitted ExternalSecret CREATE/UPDATE.
    /// Ignored while this replica is not leading.
    public func notifyAdmitted(_ object: JSON) {
        current.withLock { $0 }?.notifyAdmitted(object)
    }
}

/// The controller flags (upstream names and defaults, except `--concurrent` 8).
public struct ControllerOptions: Sendable {
    public var configuration = ReconcilerConfiguration()
    public var enableLeaderElection = false
    public var leaderElectionID = "external-secrets-controller"
    /// The namespace of the Lease: the pod's namespace in-cluster, else `default`.
    public var leaderElectionNamespace: String = ControllerOptions.podNamespace()
    public var templateLeftDelimiter = "{{"
    public var templateRightDelimiter = "}}"

    public init() {}

    public static func podNamespace() -> String {
        if let ns = ProcessInfo.processInfo.environment["POD_NAMESPACE"], !ns.isEmpty { return ns }
        if let ns = try? String(contentsOfFile: "/var/run/secrets/kubernetes.io/serviceaccount/namespace", encoding: .utf8) {
            let trimmed = ns.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { return trimmed }
        }
        return "default"
    }
}
