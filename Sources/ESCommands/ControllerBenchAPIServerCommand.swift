import ArgumentParser
import Dispatch
import ESTestAPIServer
import Foundation

/// `external-secrets controller-bench-apiserver` (hidden): the in-memory test API server with the
/// external-secrets.io CRDs, for `bench/reconciler-scale.sh`. Writes a kubeconfig and serves until
/// SIGINT/SIGTERM. Synchronous, so it runs whichever `main()` the root command uses.
struct ControllerBenchAPIServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-bench-apiserver",
        abstract: "Run the test API server for the reconciler benchmarks.",
        shouldDisplay: false)

    @Option(help: "Where to write the kubeconfig.") var kubeconfigOut: String
    @Option(help: "Directory of CustomResourceDefinition YAML files.") var crds: String = "deploy/crds"

    func run() throws {
        let failure = BenchFailure()
        let done = DispatchSemaphore(value: 0)
        let (crds, out) = (crds, kubeconfigOut)
        Task.detached {
            do {
                let server = try await TestAPIServer.start(options: TestAPIServerOptions(crdDirectory: crds,
                                                                                         bookmarkInterval: .seconds(30)))
                try server.writeKubeconfig(to: out)
                print("test API server on \(server.url); kubeconfig in \(out)")
                _ = await ServeSignals.waitForTermination()
                await server.stop()
            } catch {
                await failure.set("\(error)")
            }
            done.signal()
        }
        done.wait()
        if let message = failure.message { throw ValidationError(message) }
    }
}
