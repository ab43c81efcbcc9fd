import ArgumentParser
import ESJSON
import ESTestAPIServer
import Foundation

/// `external-secrets test-apiserver` (hidden): runs the in-memory test API server on loopback,
/// writes a kubeconfig for it, optionally seeds Secrets, and serves until SIGINT/SIGTERM. For
/// benchmarks (`bench/kube-informer.sh`) and for trying kubectl by hand.
struct TestAPIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-apiserver",
        abstract: "Run the in-memory test Kubernetes API server.",
        shouldDisplay: false)

    @Option(help: "Where to write the kubeconfig.")
    var kubeconfigOut: String

    @Option(help: "Directory of CustomResourceDefinition YAML files to register.")
    var crds: String?

    @Option(help: "Number of Secrets to create before serving.")
    var seedSecrets: Int = 0

    @Option(help: "Namespace for seeded Secrets.")
    var seedNamespace: String = "default"

    @Option(help: "Bytes of data in each seeded Secret.")
    var secretBytes: Int = 1024

    func run() async throws {
        let server = try await TestAPIServer.start(options: TestAPIServerOptions(crdDirectory: crds, bookmarkInterval: .seconds(30)))
        if seedSecrets > 0, let secrets = server.store.resourceType(group: "", resource: "secrets") {
            let payload = Data(repeating: UInt8(ascii: "x"), count: max(0, secretBytes)).base64EncodedString()
            for i in 0..<seedSecrets {
                let secret: JSON = [
                    "apiVersion": "v1", "kind": "Secret",
                    "metadata": ["name": .string("bench-\(i)"), "namespace": .string(seedNamespace),
                                 "labels": ["reconcile.external-secrets.io/managed": "true"]],
                    "data": ["value": .string(payload)],
                ]
                _ = try server.store.create(secrets, namespace: seedNamespace, secret)
            }
        }
        try server.writeKubeconfig(to: kubeconfigOut)
        print("test-apiserver listening on \(server.url); kubeconfig written to \(kubeconfigOut)")
        await waitForTerminationSignal()
        await server.stop()
    }

    private func waitForTerminationSignal() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let (signals, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        for await _ in signals { break }
        for source in sources { source.cancel() }
    }
}
