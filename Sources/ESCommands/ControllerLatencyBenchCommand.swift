import ArgumentParser
import Dispatch
import ESJSON
import ESKube
import ESProviders
import ESReconciler
import ESTestAPIServer
import Foundation

/// `external-secrets controller-latency-bench` (hidden): apply→Secret latency of the controller, with
/// and without sync on admission, against the in-process test API server. Every ExternalSecret reads
/// its own key, so no read is served by the coalescer. "With" calls
/// `notifyAdmitted` with the object right before it is created, as the admission webhook does while
/// the API server is storing it. Prints p50/p99 in milliseconds as JSON.
/// Synchronous (blocks on the async work) so it runs whichever `main()` the root command uses.
struct ControllerLatencyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-latency-bench",
        abstract: "Measure apply-to-Secret latency with and without sync on admission.",
        shouldDisplay: false)

    @Option(help: "ExternalSecrets applied per mode.") var applies: Int = 200
    @Option(help: "Directory of CustomResourceDefinition YAML files.") var crds: String = "deploy/crds"
    @Option(help: "Latency added to every provider read, in milliseconds (a remote provider's round trip).")
    var providerDelayMs: Int = 0

    func run() throws {
        let failure = BenchFailure()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await measure() } catch { await failure.set("\(error)") }
            done.signal()
        }
        done.wait()
        if let message = failure.message { throw ValidationError(message) }
    }

    func measure() async throws {
        let server = try await TestAPIServer.start(crdDirectory: crds)
        let kube = KubeClient(config: try KubeConfig.parse(kubeconfig: server.kubeconfig()), qps: 100_000, burst: 100_000)
        let api = KubeClusterAPI(client: kube)
        let factory = DelayedProviderFactory(base: RegistryClientFactory(registry: .builtIn, kube: kube),
                                             delay: .milliseconds(providerDelayMs))
        let controller = ExternalSecretsController(api: api, factory: factory)
        let running = Task { await controller.run() }
        defer { running.cancel() }

        _ = try await kube.create(.namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "lat"]])
        _ = try await kube.create(.secretStores, namespace: "lat", [
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore", "metadata": ["name": "fake", "namespace": "lat"],
            "spec": ["provider": ["fake": ["data": .array((0..<(2 * applies)).map { ["key": .string("k-\($0)"), "value": "v"] })]]],
        ])
        try await waitFor { (try? await kube.get(.secretStores, namespace: "lat", name: "fake"))?[path: ["status", "conditions"]] != nil }

        var results: [String: JSON] = [:]
        for (round, (mode, admission)) in [("withoutSyncOnAdmission", false), ("withSyncOnAdmission", true)].enumerated() {
            var latencies: [Double] = []
            for i in 0..<applies {
                let name = "\(mode.lowercased())-\(i)"
                let object: JSON = [
                    "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                    "metadata": ["name": .string(name), "namespace": "lat"],
                    "spec": ["secretStoreRef": ["name": "fake", "kind": "SecretStore"], "refreshInterval": "1h",
                             "data": [["secretKey": "value", "remoteRef": ["key": .string("k-\(round * applies + i)")]]]],
                ]
                let start = ContinuousClock.now
                if admission { controller.notifyAdmitted(object) }
                _ = try await kube.create(.externalSecrets, namespace: "lat", object)
                try await waitFor { (try? await kube.get(.secrets, namespace: "lat", name: name)) != nil }
                let elapsed = ContinuousClock.now - start
                latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            latencies.sort()
            func percentile(_ p: Double) -> Double {
                latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)]
            }
            results["providerDelayMs"] = .number(JSONNumber(providerDelayMs))
            results[mode] = ["p50ms": .number(JSONNumber((percentile(0.5) * 10).rounded() / 10)),
                             "p99ms": .number(JSONNumber((percentile(0.99) * 10).rounded() / 10)),
                             "applies": .number(JSONNumber(applies))]
        }
        running.cancel()
        await running.value
        await server.stop()
        print(JSON.object(JSONObject(results.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })).serializedString())
    }

    func waitFor(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw ValidationError("timed out")
    }
}

/// The error a benchmark task ended with, read after it finished.
final class BenchFailure: @unchecked Sendable {
    private(set) var message: String?
    func set(_ text: String) async { message = text }
}

/// Adds a fixed delay to every provider read (benchmarks only).
struct DelayedProviderFactory: ProviderClientFactory {
    let base: any ProviderClientFactory
    let delay: Duration

    func makeClient(store: JSON, namespace: String) async throws -> any SecretsClient {
        DelayedSecretsClient(base: try await base.makeClient(store: store, namespace: namespace), delay: delay)
    }
}

struct DelayedSecretsClient: SecretsClient {
    let base: any SecretsClient
    let delay: Duration

    func getSecret(_ ref: RemoteRef) async throws -> [UInt8] {
        try await Task.sleep(for: delay)
        return try await base.getSecret(ref)
    }
    func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]] {
        try await Task.sleep(for: delay)
        return try await base.getSecretMap(ref)
    }
    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] {
        try await Task.sleep(for: delay)
        return try await base.getAllSecrets(find)
    }
    func validate() async -> ValidationOutcome { await base.validate() }
    func close() async { await base.close() }
}
