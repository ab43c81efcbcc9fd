import ArgumentParser
import ESJSON
import ESReconciler

/// The reconciler's flags (upstream's controller flag names), shared by `serve` and `controller`.
public struct ControllerFlags: ParsableArguments {
    @Option(help: "Watch ExternalSecrets and SecretStores of this namespace only (empty: all).") public var namespace: String = ""
    @Option(help: "Parallel reconciles per controller.") public var concurrent: Int = 8
    @Option(help: "Only handle stores whose spec.controller is empty or equals this class.")
    public var controllerClass: String = "default"
    @Option(help: "Re-validation interval of stores that set no refreshInterval (Go duration).")
    public var storeRequeueInterval: String = "5m"
    @Option(help: "Refuse stores that are not Ready (true/false).") public var enableFloodGate: Bool = true
    @Option(help: "Reconcile ClusterSecretStores (true/false).") public var enableClusterStoreReconciler: Bool = true
    @Option(help: "Reconcile SecretStores (true/false).") public var enableSecretStoreReconciler: Bool = true
    @Option(help: "Left delimiter of templates.") public var templateLeftDelimiter: String = "{{"
    @Option(help: "Right delimiter of templates.") public var templateRightDelimiter: String = "}}"

    public init() {}

    public func validate() throws { _ = try makeOptions(enableLeaderElection: false, leaderElectionID: "x") }

    public func makeOptions(enableLeaderElection: Bool, leaderElectionID: String) throws -> ControllerOptions {
        var options = ControllerOptions()
        guard concurrent > 0 else { throw ValidationError("--concurrent must be positive") }
        options.configuration.concurrency = concurrent
        options.configuration.namespace = namespace.isEmpty ? nil : namespace
        options.configuration.controllerClass = controllerClass
        options.configuration.enableFloodGate = enableFloodGate
        options.configuration.enableClusterStoreReconciler = enableClusterStoreReconciler
        options.configuration.enableSecretStoreReconciler = enableSecretStoreReconciler
        guard let interval = GoDuration.seconds(storeRequeueInterval), interval > 0 else {
            throw ValidationError("--store-requeue-interval: invalid duration \"\(storeRequeueInterval)\"")
        }
        options.configuration.storeRequeueInterval = interval
        options.enableLeaderElection = enableLeaderElection
        options.leaderElectionID = leaderElectionID
        options.templateLeftDelimiter = templateLeftDelimiter
        options.templateRightDelimiter = templateRightDelimiter
        return options
    }
}
