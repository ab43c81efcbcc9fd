import ArgumentParser
import ESCertController
import ESKube

/// `external-secrets check`: like `cmctl check api`: exits 0 only when the apiserver reaches the admission webhook
/// and verifies its certificate (two server-side dry-run creates of an ExternalSecret; nothing is stored).
public struct CheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that the apiserver reaches the external-secrets webhook and trusts its certificate.")

    @Option(help: "Path to a kubeconfig (default: KUBECONFIG, ~/.kube/config, then in-cluster).")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context to use.")
    var context: String?

    @Option(name: .shortAndLong, help: "Namespace for the dry-run ExternalSecret (default: the context's).")
    var namespace: String?

    @Option(help: "Keep retrying for up to this long (e.g. 2m); 0 tries once.", transform: CertsOptionParsing.duration)
    var wait: Duration?

    @Option(help: "Pause between attempts while waiting.", transform: CertsOptionParsing.duration)
    var interval: Duration = .seconds(5)

    public init() {}

    public func run() async throws {
        let config: KubeConfig
        do {
            config = try KubeConfig.load(kubeconfigPath: kubeconfig, context: context)
        } catch {
            throw CertsCommandFailure(message: "cannot load a kubeconfig: \(error)")
        }
        let kube = KubeClient(config: config)
        let targetNamespace = namespace ?? (config.namespace.isEmpty ? "default" : config.namespace)
        let deadline = ContinuousClock.now + (wait ?? .zero)
        while true {
            let outcome = await WebhookCheck.run(kube: kube, namespace: targetNamespace)
            if outcome.passed {
                print(outcome.message)
                return
            }
            guard ContinuousClock.now + interval < deadline else {
                throw CertsCommandFailure(message: outcome.message)
            }
            print("not ready: \(outcome.message)")
            try await Task.sleep(for: interval)
        }
    }
}
