import ESAPI
import ESHTTPClient
import ESJSON
import ESKube
import ESProviders
import Foundation

/// Credentials for one store, with a key naming their origin (used for caching and call coalescing; it holds
/// no secret material).
struct ResolvedCredentials: Sendable {
    var provider: any AWSCredentialsProvider
    var identity: String
}

/// Upstream's `auth.New`: `auth.jwt` → `auth.secretRef` → the controller's environment, then
/// `additionalRoles` and `role` chained through STS AssumeRole.
struct AWSAuthResolver: Sendable {
    let config: ESAPI.AWSProvider
    let store: SecretStore
    let namespace: String
    let region: String
    let kube: KubeClient
    let environment: [String: String]
    let http: HTTPClient
    let endpoints: AWSEndpointResolver
    let cache: CredentialsProviderCache
    let retry: AWSRetryPolicy
    let observer: AWSCallObserver?

    static let roleAnnotation = "eks.amazonaws.com/role-arn"
    static let audienceAnnotation = "eks.amazonaws.com/audience"
    static let defaultAudience = "sts.amazonaws.com"
    static let webIdentitySessionName = "external-secrets-provider-aws"

    /// nil when a ClusterSecretStore uses referent auth and no namespace is known (store validation).
    func resolve() async throws(ProviderError) -> ResolvedCredentials? {
        var credentials: ResolvedCredentials
        if let serviceAccount = config.jwtServiceAccountRef {
            guard let ns = credentialNamespace(serviceAccount.namespace) else { return nil }
            credentials = try await webIdentity(serviceAccount, namespace: ns)
        } else if config.accessKeyIDSecretRef != nil || config.secretAccessKeySecretRef != nil {
            let selectors = [config.secretAccessKeySecretRef, config.accessKeyIDSecretRef, config.sessionTokenSecretRef]
            let namespaces = selectors.compactMap { $0 }.map { credentialNamespace($0.namespace) }
            if namespaces.contains(where: { $0 == nil }) { return nil }
            credentials = try await staticKeys()
        } else {
            credentials = await environmentChain()
        }
        for role in config.additionalRoles where !role.isEmpty {
            credentials = await assumeRole(from: credentials, roleARN: role, externalID: nil, tags: [], transitive: [])
        }
        if let role = config.role, !role.isEmpty {
            let tags = sessionTags()
            credentials = await assumeRole(from: credentials, roleARN: role, externalID: config.externalID, tags: tags,
                                           transitive: tags.isEmpty ? [] : config.transitiveTagKeys)
        }
        return credentials
    }

    /// SecretStore: always the store's namespace. ClusterSecretStore: the selector's namespace, else the
    /// ExternalSecret's; nil when neither is known.
    func credentialNamespace(_ selectorNamespace: String?) -> String? {
        if store.kind == .secretStore {
            return store.metadata.namespace.isEmpty ? namespace : store.metadata.namespace
        }
        if let selectorNamespace, !selectorNamespace.isEmpty { return selectorNamespace }
        return namespace.isEmpty ? nil : namespace
    }

    var stsEndpoint: String { endpoints.endpoint(for: .sts, region: region) }

    func stsClient(_ credentials: (any AWSCredentialsProvider)?) -> STSClient {
        STSClient(client: AWSServiceClient(service: .sts, region: region, endpoint: stsEndpoint, http: http,
                                           credentials: credentials, retry: retry, observer: observer))
    }

    // MARK: auth.secretRef

    func staticKeys() async throws(ProviderError) -> ResolvedCredentials {
        let secret = try await secretValue(config.secretAccessKeySecretRef, what: "SecretAccessKey")
        let keyID = try await secretValue(config.accessKeyIDSecretRef, what: "accessKeyID")
        var token: String?
        if let tokenRef = config.sessionTokenSecretRef {
            token = try await secretValue(tokenRef, what: "SessionToken")
        }
        let credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
        let fingerprint = HexEncoding.lowercase(AWSCrypto.sha256(Array((secret + "\u{0}" + (token ?? "")).utf8))).prefix(16)
        return ResolvedCredentials(provider: StaticCredentialsProvider(credentials),
                                   identity: "static:\(keyID):\(fingerprint)")
    }

    func secretValue(_ selector: SecretKeySelector?, what: String) async throws(ProviderError) -> String {
        let name = selector?.name ?? ""
        let key = selector?.key ?? ""
        let ns = credentialNamespace(selector?.namespace) ?? namespace
        let secret: JSON
        do {
            secret = try await kube.get(.secrets, namespace: ns, name: name)
        } catch {
            throw ProviderError.invalid("could not fetch \(what) secret: \(error)")
        }
        guard let encoded = secret["data"]?[key]?.stringValue, let data = Data(base64Encoded: encoded) else {
            throw ProviderError.invalid("could not fetch \(what) secret: cannot find secret data for key: \"\(key)\"")
        }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: auth.jwt

    func webIdentity(_ selector: ServiceAccountSelector, namespace ns: String) async throws(ProviderError) -> ResolvedCredentials {
        let name = selector.name ?? ""
        let account: JSON
        do {
            account = try await kube.get(.serviceAccounts, namespace: ns, name: name)
        } catch {
            throw ProviderError.invalid("unable to fetch serviceaccount \(name): \(error)")
        }
        let annotations = account["metadata"]?["annotations"]
        guard let roleARN = annotations?[Self.roleAnnotation]?.stringValue, !roleARN.isEmpty else {
            throw ProviderError.invalid("an IAM role must be associated with service account \(name) (namespace: \(ns))")
        }
        let audiences = [annotations?[Self.audienceAnnotation]?.stringValue ?? Self.defaultAudience] + selector.audiences
        let kube = self.kube
        let sts = stsClient(nil)
        let key = "web:\(ns)/\(name):\(roleARN):\(audiences.joined(separator: ",")):\(stsEndpoint)"
        let provider = await cache.provider(key) {
            CachingCredentialsProvider {
                let token = try await kube.createToken(namespace: ns, serviceAccount: name, audiences: audiences,
                                                       expirationSeconds: nil)
                return try await sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: Self.webIdentitySessionName,
                                                               webIdentityToken: token)
            }
        }
        return ResolvedCredentials(provider: provider, identity: key)
    }

    // MARK: environment

    func environmentChain() async -> ResolvedCredentials {
        let http = self.http, retry = self.retry, observer = self.observer, endpoints = self.endpoints
        do {
            let base = try EnvironmentCredentials.provider(environment: environment, sts: { region in
                STSClient(client: AWSServiceClient(service: .sts, region: region,
                                                   endpoint: endpoints.endpoint(for: .sts, region: region), http: http,
                                                   credentials: nil, retry: retry, observer: observer))
            }, region: region)
            if base is StaticCredentialsProvider {
                let keyID = environment["AWS_ACCESS_KEY_ID"] ?? ""
                return ResolvedCredentials(provider: base, identity: "env:\(keyID)")
            }
            let key = "env-web:\(environment["AWS_ROLE_ARN"] ?? ""):\(stsEndpoint)"
            let provider = await cache.provider(key) { CachingCredentialsProvider { try await base.credentials() } }
            return ResolvedCredentials(provider: provider, identity: key)
        } catch {
            // Like the SDK's default chain, a missing identity surfaces when credentials are first needed.
            return ResolvedCredentials(provider: UnavailableCredentialsProvider(error: error), identity: "env:none")
        }
    }

    // MARK: role chaining

    func sessionTags() -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = config.sessionTags.compactMap { tag in
            guard let key = tag.key, !key.isEmpty else { return nil }
            return (key, tag.value ?? "")
        }
        if let policy = config.sessionTagsPolicy, policy == "Simple" || policy == "Custom" {
            tags += [("esoNamespace", namespace), ("esoStoreName", store.metadata.name), ("esoStoreKind", store.kind.rawValue)]
        }
        return tags
    }

    func assumeRole(from base: ResolvedCredentials, roleARN: String, externalID: String?,
                    tags: [(key: String, value: String)], transitive: [String]) async -> ResolvedCredentials {
        let tagText = tags.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let key = "role:\(base.identity)>\(roleARN)|\(externalID ?? "")|\(tagText)|\(transitive.joined(separator: ","))|\(stsEndpoint)"
        let sts = stsClient(base.provider)
        let sessionName = "aws-go-sdk-\(UInt64(Date().timeIntervalSince1970 * 1_000_000_000))"
        let provider = await cache.provider(key) {
            CachingCredentialsProvider {
                try await sts.assumeRole(roleARN: roleARN, sessionName: sessionName, externalID: externalID, tags: tags,
                                         transitiveTagKeys: transitive)
            }
        }
        return ResolvedCredentials(provider: provider, identity: key)
    }
}
