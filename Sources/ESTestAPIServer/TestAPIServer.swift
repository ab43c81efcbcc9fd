import ESCertificates
import ESHTTP
import ESJSON
import ESServer
import ESTLS
import ESYAML
import Foundation
import Logging
import Synchronization

/// An in-memory Kubernetes API server over HTTPS on 127.0.0.1 (ephemeral port) for tests and local
/// development. Clients authenticate with `token` (or a TokenRequest-issued token) and trust `caPEM`.
public final class TestAPIServer: Sendable {
    public let store: ObjectStore
    public let faults: FaultInjector
    public let token: String
    public let caPEM: String
    public let url: String
    public var port: Int { server.port }
    let handler: APIHandler
    let server: HTTPServer
    let certDirectory: String

    public static func start(crdDirectory: String? = nil) async throws -> TestAPIServer {
        try await start(options: TestAPIServerOptions(crdDirectory: crdDirectory))
    }

    public static func start(options: TestAPIServerOptions) async throws -> TestAPIServer {
        let certs = try CertificateIssuer.issue(dnsNames: ["localhost", "kubernetes.default.svc"], ipAddresses: ["127.0.0.1"],
                                                caValidity: .seconds(86_400), certificateValidity: .seconds(86_400))
        let directory = NSTemporaryDirectory() + "es-test-apiserver-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try certs.write(toDirectory: directory)

        let store = ObjectStore(historyLimit: options.historyLimit)
        try seed(store, crdDirectory: options.crdDirectory)
        let faults = FaultInjector()
        let token = "test-admin-" + UUID().uuidString.lowercased()
        let handler = APIHandler(store: store, faults: faults, tokens: ServiceAccountTokens(), options: options,
                                 adminToken: token)
        var logger = Logger(label: "test-apiserver")
        logger.logLevel = .warning
        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, tls: TLSConfiguration(certDirectory: directory),
            limits: HTTPServerLimits(idleTimeout: .seconds(3600), readTimeout: .seconds(30)),
            eventLoopCount: options.eventLoopCount, name: "test-apiserver")
        let server = HTTPServer(configuration: configuration, handler: handler, logger: logger)
        try server.start()
        let url = "https://127.0.0.1:\(server.port)"
        handler.serverAddress.withLock { $0 = "127.0.0.1:\(server.port)" }
        return TestAPIServer(store: store, faults: faults, token: token, caPEM: certs.caCertificatePEM, url: url,
                             handler: handler, server: server, certDirectory: directory)
    }

    private init(store: ObjectStore, faults: FaultInjector, token: String, caPEM: String, url: String,
                 handler: APIHandler, server: HTTPServer, certDirectory: String) {
        self.store = store
        self.faults = faults
        self.token = token
        self.caPEM = caPEM
        self.url = url
        self.handler = handler
        self.server = server
        self.certDirectory = certDirectory
    }

    /// Namespaces every cluster has, then the CRDs from `crdDirectory`.
    static func seed(_ store: ObjectStore, crdDirectory: String?) throws {
        guard let nsType = store.resourceType(group: "", resource: "namespaces"),
              let crdType = store.resourceType(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
        else { return }
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            _ = try store.create(nsType, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        guard let crdDirectory else { return }
        let files = try FileManager.default.contentsOfDirectory(atPath: crdDirectory)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        for file in files {
            let text = try String(contentsOfFile: crdDirectory + "/" + file, encoding: .utf8)
            for document in try YAML.parseDocuments(text) where document.value["kind"]?.stringValue == "CustomResourceDefinition" {
                _ = try store.create(crdType, namespace: nil, document.value)
            }
        }
    }

    /// A kubeconfig (YAML) for kubectl and `KubeConfig.load`, with the CA inline and the admin token.
    public func kubeconfig(namespace: String = "default") -> String {
        let ca = Data(caPEM.utf8).base64EncodedString()
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: test-apiserver
              cluster:
                server: \(url)
                certificate-authority-data: \(ca)
            users:
            - name: test-admin
              user:
                token: \(token)
            contexts:
            - name: test
              context:
                cluster: test-apiserver
                user: test-admin
                namespace: \(namespace)
            current-context: test

            """
    }

    public func writeKubeconfig(to path: String) throws {
        try kubeconfig().write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Where admission webhooks that reference `service: {namespace, name}` are reached, e.g.
    /// `https://127.0.0.1:PORT` of a webhook server started by the test (the path is appended).
    public func registerService(namespace: String, name: String, url: String) {
        handler.admission.serviceEndpoints.withLock { $0["\(namespace)/\(name)"] = url }
    }

    /// Accepts another bearer token (e.g. to test token rotation), or stops accepting one.
    public func addToken(_ token: String) { _ = handler.auth.withLock { $0.insert(token) } }
    public func removeToken(_ token: String) { _ = handler.auth.withLock { $0.remove(token) } }

    /// Claims of a TokenRequest-issued token, when its signature verifies and it has not expired.
    public func verifyServiceAccountToken(_ token: String) -> JSON? {
        handler.tokens.verify(token, now: Timestamps.now())
    }

    /// "METHOD target" of every request served so far (most recent 10,000+).
    public var requests: [String] { handler.requestLog.withLock { $0 } }
    public func clearRequests() { handler.requestLog.withLock { $0.removeAll() } }

    public func stop() async {
        store.dropWatches()
        await server.shutdown(gracePeriod: .seconds(1))
        try? FileManager.default.removeItem(atPath: certDirectory)
    }
}
