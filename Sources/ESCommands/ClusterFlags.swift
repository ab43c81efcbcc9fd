import ArgumentParser
import ESKube

/// How a command finds its Kubernetes API server, shared by `serve` and `controller`.
public struct ClusterFlags: ParsableArguments {
    @Option(help: "Path to a kubeconfig file.") public var kubeconfig: String?
    @Option(help: "The kubeconfig context to use.") public var context: String?
    @Option(help: "Client-side requests per second to the API server.") public var clientQps: Double = 50
    @Option(help: "Client-side request burst to the API server.") public var clientBurst: Int = 100

    public init() {}

    public func validate() throws {
        guard clientQps > 0, clientBurst > 0 else { throw ValidationError("--client-qps and --client-burst must be positive") }
    }

    /// Where the cluster comes from.
    public enum Fallback: Sendable {
        /// `$KUBECONFIG`, `~/.kube/config`, then the in-cluster service account; no cluster is an error (`controller`).
        case required
        /// Only the in-cluster service account; otherwise "run standalone" (`serve`: a developer's `$KUBECONFIG`
        /// or `~/.kube/config` must not make `make run` write into whatever cluster it points at).
        case optional
    }

    /// The cluster configuration: `--kubeconfig`/`--context` first, then per `fallback`.
    public func resolve(_ fallback: Fallback, environment: [String: String]) throws -> KubeConfig? {
        do {
            if kubeconfig != nil || context != nil {
                return try KubeConfig.load(kubeconfigPath: kubeconfig, context: context)
            }
            switch fallback {
            case .required:
                if let local = try? KubeConfig.load(kubeconfigPath: nil, context: nil) { return local }
                return try KubeConfig.inCluster()
            case .optional:
                if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty { return try KubeConfig.inCluster() }
                return nil
            }
        } catch {
            throw ValidationError("no usable cluster configuration: \(error)")
        }
    }

    public func makeClient(_ config: KubeConfig) -> KubeClient {
        KubeClient(config: config, qps: clientQps, burst: clientBurst)
    }
}
