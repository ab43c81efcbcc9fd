import ESAPI
import ESJSON
import ESKube
import ESRegex
import Foundation

/// The `kubernetes` provider: Secrets of another namespace or cluster (`remoteNamespace`, default
/// `default`), authenticated by a bearer token, a client certificate, a service account token
/// (TokenRequest) or a kubeconfig Secret (`authRef`).
///
/// Tenancy: every Secret/ConfigMap/ServiceAccount a SecretStore references is read in the store's own
/// namespace (a different `namespace` in the reference is refused); a ClusterSecretStore reads them
/// from the namespace the reference names, or the ExternalSecret's namespace when it names none.
public struct KubernetesProvider: SecretsProvider {
    public init() {}

    public var name: String { "kubernetes" }
    public var capabilities: StoreCapabilities { .readWrite }

    static let clients = RemoteClientCache()

    public func newClient(store: SecretStore, namespace: String, kube: KubeClient) async throws -> any SecretsClient {
        guard let spec = store.json[path: ["spec", "provider", "kubernetes"]], spec.objectValue != nil else {
            throw ProviderError.invalid("no store type or wrong store type")
        }
        let refs = ReferenceReader(kube: kube, isCluster: store.kind == .clusterSecretStore,
                                   storeNamespace: store.json[path: ["metadata", "namespace"]]?.stringValue ?? "",
                                   requestNamespace: namespace)
        let remoteNamespace = spec["remoteNamespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        if refs.isCluster, namespace.isEmpty, Self.usesReferentAuth(spec) {
            // Referent auth: credentials live in each ExternalSecret's namespace, so the store alone
            // cannot be checked (upstream reports ValidationUnknown).
            return ReferentAuthClient()
        }

        var config: JSON
        if let authRef = spec["authRef"], !authRef.isNull {
            let text = try await refs.secretValue(authRef, defaultKey: "value")
            let kubeconfig: KubeConfig
            do { kubeconfig = try KubeConfig.parse(kubeconfig: text) } catch {
                throw ProviderError.invalid("failed to parse kubeconfig: \(error)")
            }
            let client = await Self.clients.client(key: "kubeconfig:" + text) { KubeClient(config: kubeconfig) }
            return KubernetesSecretsClient(remote: client, namespace: remoteNamespace)
        }

        var url = spec[path: ["server", "url"]]?.stringValue ?? ""
        if url.isEmpty { url = "kubernetes.default" }
        if !url.hasPrefix("https://"), !url.hasPrefix("http://") { url = "https://" + url }
        var cluster: JSON = ["server": .string(url)]
        if let bundle = spec[path: ["server", "caBundle"]]?.stringValue, !bundle.isEmpty {
            cluster["certificate-authority-data"] = .string(bundle)
        } else if let provider = spec[path: ["server", "caProvider"]], !provider.isNull {
            let pem = try await refs.caProviderValue(provider)
            cluster["certificate-authority-data"] = .string(Data(pem.utf8).base64EncodedString())
        }

        var user = JSONObject()
        let auth = spec["auth"] ?? .null
        if let token = auth[path: ["token", "bearerToken"]], !token.isNull {
            user["token"] = .string(try await refs.secretValue(token, defaultKey: nil).trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let cert = auth["cert"], !cert.isNull {
            let certPEM = try await refs.secretValue(cert["clientCert"] ?? .null, defaultKey: nil)
            let keyPEM = try await refs.secretValue(cert["clientKey"] ?? .null, defaultKey: nil)
            user["client-certificate-data"] = .string(Data(certPEM.utf8).base64EncodedString())
            user["client-key-data"] = .string(Data(keyPEM.utf8).base64EncodedString())
        } else if let sa = auth["serviceAccount"], !sa.isNull {
            user["token"] = .string(try await refs.serviceAccountToken(sa))
        } else {
            throw ProviderError.invalid("no auth provider given")
        }

        config = [
            "apiVersion": "v1", "kind": "Config", "current-context": "remote",
            "clusters": [["name": "remote", "cluster": .object(cluster.objectValue ?? JSONObject())]],
            "users": [["name": "remote", "user": .object(user)]],
            "contexts": [["name": "remote", "context": ["cluster": "remote", "user": "remote"]]],
        ]
        let text = config.serializedString()
        let kubeconfig: KubeConfig
        do { kubeconfig = try KubeConfig.parse(kubeconfig: text) } catch {
            throw ProviderError.invalid("invalid kubernetes provider configuration: \(error)")
        }
        let client = await Self.clients.client(key: text) { KubeClient(config: kubeconfig) }
        return KubernetesSecretsClient(remote: client, namespace: remoteNamespace)
    }
}

extension KubernetesProvider {
    /// A credential reference without `namespace` in a ClusterSecretStore.
    static func usesReferentAuth(_ spec: JSON) -> Bool {
        let refs: [JSON?] = [spec["authRef"], spec[path: ["auth", "token", "bearerToken"]], spec[path: ["auth", "cert", "clientCert"]],
                             spec[path: ["auth", "cert", "clientKey"]], spec[path: ["auth", "serviceAccount"]],
                             spec[path: ["server", "caProvider"]]]
        return refs.contains { ref in
            guard let ref, !ref.isNull else { return false }
            return (ref["namespace"]?.stringValue ?? "").isEmpty
        }
    }
}

/// The client of a ClusterSecretStore validated without an ExternalSecret (referent auth).
struct ReferentAuthClient: SecretsClient {
    func getSecret(_ ref: RemoteRef) async throws -> [UInt8] { throw ProviderError.invalid("referent auth needs a namespace") }
    func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]] { throw ProviderError.invalid("referent auth needs a namespace") }
    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] { throw ProviderError.invalid("referent auth needs a namespace") }
    func validate() async -> ValidationOutcome { .unknown }
    func close() async {}
}

/// Reads the Secrets, ConfigMaps and service-account tokens a store references, within the
/// namespaces the store may use.
struct ReferenceReader {
    let kube: KubeClient
    let isCluster: Bool
    let storeNamespace: String
    let requestNamespace: String

    func namespace(of reference: JSON) throws(ProviderError) -> String {
        let named = reference["namespace"]?.stringValue
        if !isCluster {
            if let named, named != storeNamespace {
                throw ProviderError.invalid(
                    "namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore")
            }
            return storeNamespace
        }
        if let named, !named.isEmpty { return named }
        guard !requestNamespace.isEmpty else { throw ProviderError.invalid("cluster scope requires namespace") }
        return requestNamespace
    }

    func secretValue(_ selector: JSON, defaultKey: String?) async throws -> String {
        let name = selector["name"]?.stringValue ?? ""
        guard let key = selector["key"]?.stringValue ?? defaultKey, !name.isEmpty else {
            throw ProviderError.invalid("secret reference needs name and key")
        }
        let ns = try namespace(of: selector)
        let secret: JSON
        do {
            secret = try await kube.get(.secrets, namespace: ns, name: name)
        } catch let error as KubeError {
            throw ProviderError.auth("could not get secret \(ns)/\(name): \(error.message)")
        }
        guard let encoded = secret[path: ["data", key]]?.stringValue, let data = Data(base64Encoded: encoded) else {
            throw ProviderError.auth("cannot find secret data for key: \"\(key)\"")
        }
        return String(decoding: data, as: UTF8.self)
    }

    func caProviderValue(_ provider: JSON) async throws -> String {
        let name = provider["name"]?.stringValue ?? ""
        let key = provider["key"]?.stringValue ?? "ca.crt"
        let ns = try namespace(of: provider)
        if provider["type"]?.stringValue == "ConfigMap" {
            let cm: JSON
            do { cm = try await kube.get(.configMaps, namespace: ns, name: name) } catch let error as KubeError {
                throw ProviderError.auth("could not get configmap \(ns)/\(name): \(error.message)")
            }
            guard let value = cm[path: ["data", key]]?.stringValue else {
                throw ProviderError.auth("failed to get caProvider configmap \(name) -> \(key)")
            }
            return value
        }
        return try await secretValue(["name": .string(name), "key": .string(key), "namespace": .string(ns)], defaultKey: key)
    }

    func serviceAccountToken(_ selector: JSON) async throws -> String {
        let name = selector["name"]?.stringValue ?? ""
        let ns = try namespace(of: selector)
        let audiences = (selector["audiences"]?.arrayValue ?? []).compactMap(\.stringValue)
        do {
            return try await kube.createToken(namespace: ns, serviceAccount: name, audiences: audiences, expirationSeconds: 600)
        } catch let error as KubeError {
            throw ProviderError.auth("could not create token for service account \(ns)/\(name): \(error.message)")
        }
    }
}

/// Remote API clients by configuration, so each reconcile does not open new connections.
actor RemoteClientCache {
    private var clients: [String: KubeClient] = [:]
    private var order: [String] = []

    func client(key: String, make: () -> KubeClient) -> KubeClient {
        if let c = clients[key] { return c }
        let c = make()
        clients[key] = c
        order.append(key)
        if order.count > 64 { clients.removeValue(forKey: order.removeFirst()) }
        return c
    }
}

/// Reads Secrets of `namespace` through the remote client.
struct KubernetesSecretsClient: SecretsClient {
    let remote: KubeClient
    let namespace: String

    static func providerError(_ error: any Error, key: String) -> ProviderError {
        guard let kube = error as? KubeError else { return .transient("\(error)") }
        if kube.isNotFound { return .secretDoesNotExist }
        if kube.isUnauthorized || kube.isForbidden { return .auth(kube.message) }
        if kube.isTooManyRequests { return .throttled(kube.message) }
        if kube.code >= 500 || kube.code == 0 { return .transient(kube.message) }
        return .invalid(kube.message)
    }

    func secretData(_ key: String) async throws -> JSON {
        do {
            return try await remote.get(.secrets, namespace: namespace, name: key)
        } catch {
            throw Self.providerError(error, key: key)
        }
    }

    static func decodedData(_ secret: JSON) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for (k, v) in secret["data"]?.objectValue ?? JSONObject() {
            if let s = v.stringValue, let d = Data(base64Encoded: s) { out[k] = Array(d) }
        }
        return out
    }

    func getSecret(_ ref: RemoteRef) async throws -> [UInt8] {
        let secret = try await secretData(ref.key)
        if ref.metadataPolicy == .fetch {
            let metadata: JSON = ["labels": secret[path: ["metadata", "labels"]] ?? [:],
                                  "annotations": secret[path: ["metadata", "annotations"]] ?? [:]]
            if ref.property.isEmpty { return metadata.serialized() }
            guard let value = GJSONPath.value(in: metadata.serializedString(), at: ref.property) else {
                throw ProviderError.secretDoesNotExist
            }
            return Array(value.utf8)
        }
        let data = Self.decodedData(secret)
        if !ref.property.isEmpty {
            guard let value = data[ref.property] else {
                throw ProviderError.invalid("property \(ref.property) does not exist in key \(ref.key)")
            }
            return value
        }
        var object = JSONObject()
        for key in data.keys.sorted() { object[key] = .string(String(decoding: data[key] ?? [], as: UTF8.self)) }
        return JSON.object(object).serialized()
    }

    func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]] {
        let data = Self.decodedData(try await secretData(ref.key))
        guard !ref.property.isEmpty else { return data }
        guard let raw = data[ref.property] else {
            throw ProviderError.invalid("property \(ref.property) does not exist in key \(ref.key)")
        }
        guard let object = (try? JSON.parse(raw))?.objectValue else {
            throw ProviderError.invalid("failed to unmarshal secret: property \(ref.property) is not a JSON object")
        }
        var out: [String: [UInt8]] = [:]
        for (k, v) in object { out[k] = v.stringValue.map { Array($0.utf8) } ?? v.serialized() }
        return out
    }

    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] {
        let selector = find.tags.keys.sorted().map { "\($0)=\(find.tags[$0] ?? "")" }.joined(separator: ",")
        let items: [JSON]
        do {
            items = try await remote.listAll(.secrets, namespace: namespace, labelSelector: selector.isEmpty ? nil : selector).items
        } catch {
            throw Self.providerError(error, key: "")
        }
        var matcher: GoRegex? = nil
        if let pattern = find.nameRegexp {
            do { matcher = try GoRegex(pattern) } catch { throw ProviderError.invalid(error.description) }
        }
        var out: [String: [UInt8]] = [:]
        for item in items {
            guard let name = item[path: ["metadata", "name"]]?.stringValue else { continue }
            if let matcher, !matcher.matches(name) { continue }
            let data = Self.decodedData(item)
            var object = JSONObject()
            for key in data.keys.sorted() { object[key] = .string(String(decoding: data[key] ?? [], as: UTF8.self)) }
            out[name] = JSON.object(object).serialized()
        }
        return out
    }

    func validate() async -> ValidationOutcome {
        do {
            _ = try await remote.list(.secrets, namespace: namespace, limit: 1)
            return .ready
        } catch let error as KubeError where error.isForbidden || error.isUnauthorized {
            return .error("client is not allowed to get secrets")
        } catch {
            return .unknown
        }
    }

    func close() async {}
}
