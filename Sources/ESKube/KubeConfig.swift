import ESHTTPClient
import ESJSON
import ESYAML
import Foundation

/// How to reach and authenticate to an API server.
public struct KubeConfig: Sendable {
    /// "https://host:port" (no trailing slash).
    public var server: String
    public var tls: HTTPClientTLS
    public var credentials: KubeCredentials
    /// The default namespace: the context's namespace, the pod's namespace in-cluster, else "default".
    public var namespace: String
    /// Per-request timeout for non-watch calls.
    public var timeout: Duration
    /// A token file is re-read when its cached copy is older than this (and after any 401).
    public var tokenFileRefreshInterval: Duration

    public init(server: String, tls: HTTPClientTLS = HTTPClientTLS(), credentials: KubeCredentials = .none,
                namespace: String = "default", timeout: Duration = .seconds(30),
                tokenFileRefreshInterval: Duration = .seconds(60)) {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.timeout = timeout
        self.tokenFileRefreshInterval = tokenFileRefreshInterval
    }

    /// Loads a kubeconfig: `kubeconfigPath` (the `--kubeconfig` flag) wins, then the first file in
    /// `$KUBECONFIG`, then `~/.kube/config`. `context` (the `--context` flag) overrides `current-context`.
    public static func load(kubeconfigPath: String?, context: String?) throws -> KubeConfig {
        let environment = ProcessInfo.processInfo.environment
        let path: String
        if let kubeconfigPath, !kubeconfigPath.isEmpty {
            path = kubeconfigPath
        } else if let fromEnv = environment["KUBECONFIG"]?.split(separator: ":").first(where: { !$0.isEmpty }) {
            path = String(fromEnv)
        } else {
            path = (environment["HOME"] ?? NSHomeDirectory()) + "/.kube/config"
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KubeConfigError("unable to read kubeconfig \(path): \(error.localizedDescription)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try KubeconfigParser.parse(text, context: context, baseDirectory: directory.isEmpty ? "." : directory)
    }

    /// Parses kubeconfig text; relative file paths resolve against `baseDirectory`.
    public static func parse(kubeconfig text: String, context: String? = nil, baseDirectory: String = ".") throws -> KubeConfig {
        try KubeconfigParser.parse(text, context: context, baseDirectory: baseDirectory)
    }

    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The pod's own configuration: `KUBERNETES_SERVICE_HOST`/`_PORT`, the projected token (re-read
    /// as the kubelet rotates it), the cluster CA and the pod namespace.
    public static func inCluster(serviceAccountDirectory: String = KubeConfig.serviceAccountDirectory,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KubeConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw KubeConfigError("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        let tokenPath = serviceAccountDirectory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeConfigError("open \(tokenPath): no such file or directory")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let namespace = (try? String(contentsOfFile: serviceAccountDirectory + "/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return KubeConfig(server: "https://\(hostPart):\(port)",
                          tls: HTTPClientTLS(caFile: serviceAccountDirectory + "/ca.crt"),
                          credentials: .tokenFile(tokenPath),
                          namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
    }
}

/// How requests authenticate (client certificates live in `KubeConfig.tls`).
public enum KubeCredentials: Sendable {
    case none
    case token(String)
    /// Re-read periodically and after a 401, so rotated projected tokens are picked up.
    case tokenFile(String)
    case exec(ExecCredentialPlugin)
}

public struct KubeConfigError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads the parts of a kubeconfig that matter: clusters, users, contexts, current-context.
enum KubeconfigParser {
    static func parse(_ text: String, context requestedContext: String?, baseDirectory: String) throws -> KubeConfig {
        let root: JSON
        do { root = try YAML.parse(text) } catch { throw KubeConfigError("error loading kubeconfig: \(error)") }
        let contextName = (requestedContext?.isEmpty == false ? requestedContext : nil)
            ?? root["current-context"]?.stringValue ?? ""
        guard !contextName.isEmpty else {
            throw KubeConfigError("invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable")
        }
        guard let context = named(root["contexts"], contextName)?["context"] else {
            throw KubeConfigError("context \"\(contextName)\" does not exist")
        }
        let clusterName = context["cluster"]?.stringValue ?? ""
        guard let cluster = named(root["clusters"], clusterName)?["cluster"] else {
            throw KubeConfigError("invalid configuration: context was not found for specified context: \(contextName): cluster \"\(clusterName)\" not found")
        }
        let userName = context["user"]?.stringValue ?? ""
        let user = named(root["users"], userName)?["user"] ?? [:]

        guard let server = cluster["server"]?.stringValue, !server.isEmpty else {
            throw KubeConfigError("invalid configuration: no server found for cluster \"\(clusterName)\"")
        }
        var tls = HTTPClientTLS()
        tls.insecureSkipVerify = cluster["insecure-skip-tls-verify"]?.boolValue ?? false
        if let data = cluster["certificate-authority-data"]?.stringValue {
            tls.caPEM = try decodeBase64(data, field: "certificate-authority-data")
        } else if let file = cluster["certificate-authority"]?.stringValue {
            tls.caFile = resolve(file, baseDirectory)
        }
        if let data = user["client-certificate-data"]?.stringValue {
            tls.clientCertificatePEM = try decodeBase64(data, field: "client-certificate-data")
        } else if let file = user["client-certificate"]?.stringValue {
            tls.clientCertificatePEM = try readFile(resolve(file, baseDirectory))
        }
        if let data = user["client-key-data"]?.stringValue {
            tls.clientKeyPEM = try decodeBase64(data, field: "client-key-data")
        } else if let file = user["client-key"]?.stringValue {
            tls.clientKeyPEM = try readFile(resolve(file, baseDirectory))
        }

        let credentials: KubeCredentials
        if let token = user["token"]?.stringValue, !token.isEmpty {
            credentials = .token(token)
        } else if let file = user["tokenFile"]?.stringValue, !file.isEmpty {
            credentials = .tokenFile(resolve(file, baseDirectory))
        } else if let exec = user["exec"], exec.objectValue != nil {
            credentials = .exec(try ExecCredentialPlugin(exec, baseDirectory: baseDirectory))
        } else {
            credentials = .none
        }
        let namespace = context["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return KubeConfig(server: server, tls: tls, credentials: credentials, namespace: namespace)
    }

    private static func named(_ list: JSON?, _ name: String) -> JSON? {
        list?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    static func resolve(_ path: String, _ base: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst() }
        return base + "/" + path
    }

    private static func readFile(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KubeConfigError("unable to read \(path): \(error.localizedDescription)")
        }
    }

    private static func decodeBase64(_ text: String, field: String) throws -> String {
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw KubeConfigError("invalid configuration: \(field) is not valid base64")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
