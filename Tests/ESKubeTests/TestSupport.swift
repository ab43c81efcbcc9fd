import ESHTTPClient
import ESJSON
import ESKube
import ESTestAPIServer
import Foundation

/// Starts a test API server, builds a client for it from the kubeconfig it writes, runs `body`, stops it.
func withAPIServer(options: TestAPIServerOptions = TestAPIServerOptions(), qps: Double = 1000, burst: Int = 1000,
                   retryPolicy: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(5)),
                   _ body: (TestAPIServer, KubeClient) async throws -> Void) async throws {
    let server = try await TestAPIServer.start(options: options)
    do {
        let config = try KubeConfig.parse(kubeconfig: server.kubeconfig())
        let client = KubeClient(config: config, qps: qps, burst: burst, retryPolicy: retryPolicy)
        try await body(server, client)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

func secret(_ name: String, namespace: String = "default", labels: [String: String] = [:],
            data: [String: String] = [:]) -> JSON {
    var object: JSON = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
    if !labels.isEmpty {
        object[path: ["metadata", "labels"]] = .object(JSONObject(labels.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
    }
    if !data.isEmpty {
        object["stringData"] = .object(JSONObject(data.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
    }
    return object
}

func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "eskube-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Expects `body` to throw a KubeError and returns it.
func expectKubeError(_ body: () async throws -> Void) async -> KubeError? {
    do {
        try await body()
        return nil
    } catch let error as KubeError {
        return error
    } catch {
        return nil
    }
}
