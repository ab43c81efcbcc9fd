import ESAPI
import ESJSON
import ESHTTPClient
import ESKube
import ESProviders
import Foundation

/// The `aws` store provider: Secrets Manager and Parameter Store with upstream's auth modes. One instance
/// lives for the whole process: it owns the STS credential cache and the coalescing of concurrent reads.
public struct AWSSecretsProvider: SecretsProvider {
    public let name = "aws"
    let environment: [String: String]
    let http: HTTPClient
    let endpoints: AWSEndpointResolver
    let credentialsCache = CredentialsProviderCache()
    let secretsManagerCalls = InFlightCalls<SecretsManagerSecretValue>()
    let parameterCalls = InFlightCalls<SSMParameter>()
    let secretsManagerBatcher = SecretsManagerReadBatcher()
    let observer: AWSCallObserver

    /// `environment` supplies region/endpoint overrides and the default credential chain; `callObserver` sees
    /// every API call (in addition to the `externalsecret_provider_api_calls_count` metric).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, http: HTTPClient = HTTPClient(),
                callObserver: AWSCallObserver? = nil) {
        self.environment = environment
        self.http = http
        self.endpoints = AWSEndpointResolver(environment: environment)
        self.observer = { service, call, success in
            AWSAPIMetrics.record(service, call, success)
            callObserver?(service, call, success)
        }
    }

    /// GetSecretValue / GetParameter calls made versus joined onto an identical in-flight call.
    public func coalescingStatistics() async -> (made: Int, joined: Int) {
        let sm = (await secretsManagerCalls.started, await secretsManagerCalls.joined)
        let ps = (await parameterCalls.started, await parameterCalls.joined)
        return (sm.0 + ps.0, sm.1 + ps.1)
    }

    public func newClient(store: SecretStore, namespace: String, kube: KubeClient) async throws -> any SecretsClient {
        guard case .aws(let config)? = store.spec.provider?.config else {
            throw ProviderError.invalid("no AWS provider in store \(store.metadata.name)")
        }
        let service = config.service ?? ""
        guard service == "SecretsManager" || service == "ParameterStore" else {
            throw ProviderError.unsupported("unsupported AWS service: \(service)")
        }
        let region = try region(of: config)
        let retry = try retryPolicy(store.spec.retrySettings)
        let resolver = AWSAuthResolver(config: config, store: store, namespace: namespace, region: region, kube: kube,
                                       environment: environment, http: http, endpoints: endpoints,
                                       cache: credentialsCache, retry: retry, observer: observer)
        guard let credentials = try await resolver.resolve() else {
            return ReferentAuthSecretsClient()
        }
        let prefix = config.prefix ?? ""
        if service == "SecretsManager" {
            let client = AWSServiceClient(service: .secretsManager, region: region,
                                          endpoint: endpoints.endpoint(for: .secretsManager, region: region), http: http,
                                          credentials: credentials.provider, retry: retry, observer: observer)
            return SecretsManagerSecretsClient(api: SecretsManagerClient(client: client), credentials: credentials,
                                               prefix: prefix, inFlight: secretsManagerCalls,
                                               batcher: secretsManagerBatcher)
        }
        let client = AWSServiceClient(service: .ssm, region: region, endpoint: endpoints.endpoint(for: .ssm, region: region),
                                      http: http, credentials: credentials.provider, retry: retry, observer: observer)
        return ParameterStoreSecretsClient(api: ParameterStoreClient(client: client), credentials: credentials,
                                           prefix: prefix, inFlight: parameterCalls)
    }

    func region(of config: ESAPI.AWSProvider) throws(ProviderError) -> String {
        for candidate in [config.region, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]] {
            if let region = candidate, !region.isEmpty { return region }
        }
        throw ProviderError.invalid("missing region")
    }

    /// `spec.retrySettings`: when present, `maxRetries` (default 3) with a fixed `retryInterval`.
    func retryPolicy(_ settings: RetrySettings?) throws(ProviderError) -> AWSRetryPolicy {
        guard let settings else { return .standard }
        var policy = AWSRetryPolicy.standard
        policy.maxRetries = Int(max(0, min(settings.maxRetries ?? 3, 100)))
        if let interval = settings.retryInterval, !interval.isEmpty {
            do {
                policy.fixedDelay = try GoDuration.parse(interval)
            } catch {
                throw ProviderError.invalid("invalid retryInterval \"\(interval)\": \(error)")
            }
        }
        return policy
    }
}

/// A ClusterSecretStore with referent auth validated without a namespace: nothing can be read, and
/// validation is Unknown (upstream `ValidationResultUnknown`).
struct ReferentAuthSecretsClient: SecretsClient {
    static let message = "referent authentication needs the namespace of an ExternalSecret"
    func getSecret(_ ref: ESProviders.RemoteRef) async throws -> [UInt8] { throw ProviderError.invalid(Self.message) }
    func getSecretMap(_ ref: ESProviders.RemoteRef) async throws -> [String: [UInt8]] { throw ProviderError.invalid(Self.message) }
    func getAllSecrets(_ find: ESProviders.FindRef) async throws -> [String: [UInt8]] { throw ProviderError.invalid(Self.message) }
    func validate() async -> ValidationOutcome { .unknown }
    func close() async {}
}
