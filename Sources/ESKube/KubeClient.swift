import ESHTTPClient
import ESJSON
import Foundation
import Logging

/// A Kubernetes API client over libcurl: typed errors from `metav1.Status`, client-side rate limiting,
/// retries with backoff on throttling and server errors, credential refresh on 401.
public final class KubeClient: Sendable {
    public let config: KubeConfig
    public let retryPolicy: RetryPolicy
    public let userAgent: String
    let limiter: TokenBucketRateLimiter
    let credentials: CredentialSource
    let http: HTTPClient
    private let certificateClient = Locked<(HTTPClientTLS, HTTPClient)?>(nil)
    let logger: Logger
    let host: String

    public static let metadataAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
    public static let metadataObjectAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"

    public init(config: KubeConfig, qps: Double = 50, burst: Int = 100, retryPolicy: RetryPolicy = RetryPolicy(),
                userAgent: String = "external-secrets-swift", logger: Logger = Logger(label: "kube-client")) {
        self.config = config
        self.retryPolicy = retryPolicy
        self.userAgent = userAgent
        self.limiter = TokenBucketRateLimiter(qps: qps, burst: burst)
        self.credentials = CredentialSource(credentials: config.credentials, tls: config.tls,
                                            fileRefreshInterval: config.tokenFileRefreshInterval)
        self.http = HTTPClient(tls: config.tls, defaultTimeout: config.timeout)
        self.logger = logger
        self.host = ClientMetrics.host(of: config.server)
    }

    // MARK: - Verbs

    public func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSON {
        try await send("GET", kind.path(namespace: namespace, name: name))
    }

    /// The List object (`items`, `metadata.resourceVersion`, `metadata.continue`). With
    /// `metadataOnly`, items are `PartialObjectMetadata` (no data or spec).
    public func list(_ kind: ResourceKind, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                     limit: Int? = nil, continueToken: String? = nil, resourceVersion: String? = nil,
                     metadataOnly: Bool = false) async throws -> JSON {
        var query: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        return try await send("GET", kind.path(namespace: namespace), query: query,
                              accept: metadataOnly ? Self.metadataAccept : "application/json")
    }

    /// Lists every page (following `continue`) and returns all items plus the final resourceVersion.
    public func listAll(_ kind: ResourceKind, namespace: String?, labelSelector: String? = nil,
                        fieldSelector: String? = nil, pageSize: Int = 500,
                        metadataOnly: Bool = false) async throws -> (items: [JSON], resourceVersion: String) {
        var items: [JSON] = []
        var token: String?
        var resourceVersion = ""
        repeat {
            let page = try await list(kind, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                      limit: pageSize, continueToken: token, metadataOnly: metadataOnly)
            items += page["items"]?.arrayValue ?? []
            resourceVersion = page[path: ["metadata", "resourceVersion"]]?.stringValue ?? resourceVersion
            token = page[path: ["metadata", "continue"]]?.stringValue
        } while token?.isEmpty == false
        return (items, resourceVersion)
    }

    public func create(_ kind: ResourceKind, namespace: String?, _ object: JSON, dryRun: Bool = false,
                       fieldManager: String? = nil) async throws -> JSON {
        try await send("POST", kind.path(namespace: namespace ?? Self.namespace(of: object)),
                       query: writeQuery(dryRun: dryRun, fieldManager: fieldManager), body: object.serialized())
    }

    /// PUT with optimistic concurrency: a stale `metadata.resourceVersion` throws a `KubeError`
    /// with `isConflict`.
    public func update(_ kind: ResourceKind, namespace: String?, _ object: JSON, fieldManager: String? = nil,
                       dryRun: Bool = false) async throws -> JSON {
        try await send("PUT", kind.path(namespace: namespace ?? Self.namespace(of: object), name: try Self.name(of: object)),
                       query: writeQuery(dryRun: dryRun, fieldManager: fieldManager), body: object.serialized())
    }

    /// PUT to the `status` subresource (spec changes are ignored by the server).
    public func updateStatus(_ kind: ResourceKind, namespace: String?, _ object: JSON,
                             fieldManager: String? = nil) async throws -> JSON {
        try await send("PUT", kind.path(namespace: namespace ?? Self.namespace(of: object), name: try Self.name(of: object),
                                        subresource: "status"),
                       query: writeQuery(dryRun: false, fieldManager: fieldManager), body: object.serialized())
    }

    public func patch(_ kind: ResourceKind, namespace: String?, name: String, type: PatchType, _ patch: JSON,
                      subresource: String? = nil, fieldManager: String? = nil, dryRun: Bool = false) async throws -> JSON {
        var query = writeQuery(dryRun: dryRun, fieldManager: fieldManager)
        if case .apply(let force) = type {
            guard fieldManager?.isEmpty == false else {
                throw KubeError(code: 422, reason: "Invalid", message: "fieldManager is required for apply patch")
            }
            if force { query.append(("force", "true")) }
        }
        return try await send("PATCH", kind.path(namespace: namespace, name: name, subresource: subresource),
                              query: query, body: patch.serialized(), contentType: type.contentType)
    }

    public func delete(_ kind: ResourceKind, namespace: String?, name: String, preconditionUID: String? = nil,
                       preconditionResourceVersion: String? = nil, propagationPolicy: String? = nil,
                       dryRun: Bool = false) async throws {
        var options: JSON = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let preconditionUID { options[path: ["preconditions", "uid"]] = .string(preconditionUID) }
        if let preconditionResourceVersion {
            options[path: ["preconditions", "resourceVersion"]] = .string(preconditionResourceVersion)
        }
        if let propagationPolicy { options["propagationPolicy"] = .string(propagationPolicy) }
        if dryRun { options["dryRun"] = ["All"] }
        _ = try await send("DELETE", kind.path(namespace: namespace, name: name), body: options.serialized())
    }

    /// A TokenRequest for a service account; returns the token.
    public func createToken(namespace: String, serviceAccount: String, audiences: [String],
                            expirationSeconds: Int?) async throws -> String {
        var request: JSON = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                             "spec": ["audiences": .array(audiences.map { .string($0) })]]
        if let expirationSeconds { request[path: ["spec", "expirationSeconds"]] = .number(JSONNumber(expirationSeconds)) }
        let response = try await send("POST", ResourceKind.serviceAccounts.path(namespace: namespace, name: serviceAccount,
                                                                                subresource: "token"),
                                      body: request.serialized())
        guard let token = response[path: ["status", "token"]]?.stringValue else {
            throw KubeError(code: 500, reason: "InternalError", message: "TokenRequest response has no status.token")
        }
        return token
    }

    // MARK: - Watch

    /// One watch connection as a stream of events. It finishes when the server ends the watch
    /// (resume from the last `resourceVersion` seen) and throws a `KubeError` for an ERROR event
    /// (`isGone` when the version was compacted: re-list) or a non-200 response.
    public func watch(_ kind: ResourceKind, namespace: String?, resourceVersion: String?, labelSelector: String? = nil,
                      fieldSelector: String? = nil, allowBookmarks: Bool = true, timeoutSeconds: Int? = nil,
                      metadataOnly: Bool = false) -> AsyncThrowingStream<WatchEvent, any Error> {
        var query: [(String, String)] = [("watch", "true")]
        if let resourceVersion, !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
        let url = config.server + kind.path(namespace: namespace) + "?" + URLEncoding.query(query)
        let accept = metadataOnly ? Self.metadataObjectAccept : "application/json"
        // The transfer thread only splits lines; they wait (as text) in `lines` and are decoded when
        // the consumer asks for the next event.
        let lines = AsyncThrowingStream<[UInt8], any Error> { continuation in
            let task = Task {
                do {
                    try await self.runWatch(url: url, accept: accept, continuation: continuation)
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        let pending = WatchLines(lines.makeAsyncIterator())
        return AsyncThrowingStream(unfolding: { try await pending.nextEvent() })
    }

    private func runWatch(url: String, accept: String,
                          continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation) async throws {
        try await limiter.acquire()
        let (token, tls) = try await credentials.current()
        let request = HTTPClientRequest(method: "GET", url: url, headers: headers(token: token, accept: accept, contentType: nil),
                                        timeout: nil)
        let decoder = Locked(WatchLineDecoder())
        let response = try await client(for: tls).stream(request) { chunk in
            for line in decoder.withLock({ $0.feed(chunk) }) { continuation.yield(line) }
            return true
        }
        guard response.status == 200 else {
            if response.status == 401 { credentials.invalidate() }
            let raw = decoder.withLock { $0.rawPrefix }
            throw KubeError(status: response.status, body: response.body.isEmpty ? raw : response.body,
                            retryAfter: response.header("Retry-After").flatMap { Int($0) })
        }
        for line in decoder.withLock({ $0.finish() }) { continuation.yield(line) }
        continuation.finish()
    }

    // MARK: - Transport

    /// Sends one request with rate limiting, retries and 401 credential refresh; decodes the JSON
    /// response or throws `KubeError` / `HTTPClientError`.
    public func send(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                     contentType: String = "application/json", accept: String = "application/json") async throws -> JSON {
        var url = config.server + path
        if !query.isEmpty { url += "?" + URLEncoding.query(query) }
        var attempt = 0
        var refreshedCredentials = false
        while true {
            try await limiter.acquire()
            let (token, tls) = try await credentials.current()
            let request = HTTPClientRequest(method: method, url: url,
                                            headers: headers(token: token, accept: accept,
                                                             contentType: body == nil ? nil : contentType),
                                            body: body ?? [], timeout: config.timeout)
            let response: HTTPClientResponse
            let started = ContinuousClock.now
            do {
                response = try await client(for: tls).execute(request)
                ClientMetrics.request(code: String(response.status), host: host, method: method)
                ClientMetrics.latency(ContinuousClock.now - started, host: host, verb: method)
            } catch let error as HTTPClientError {
                ClientMetrics.request(code: "<error>", host: host, method: method)
                guard attempt < retryPolicy.maxRetries, retryPolicy.shouldRetry(error, method: method) else { throw error }
                let delay = retryPolicy.delay(attempt: attempt, retryAfterSeconds: nil)
                logger.debug("retrying after transport error", metadata: ["method": "\(method)", "path": "\(path)",
                                                                          "error": "\(error.message)"])
                attempt += 1
                try await Task.sleep(for: delay)
                continue
            }
            if (200..<300).contains(response.status) {
                if response.body.isEmpty { return .null }
                do { return try JSON.parse(response.body) } catch {
                    throw KubeError(code: response.status, reason: "InternalError",
                                    message: "unable to decode response from \(method) \(path): \(error.message)")
                }
            }
            let retryAfter = response.header("Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if response.status == 401, !refreshedCredentials, !isStatic {
                refreshedCredentials = true
                credentials.invalidate()
                continue
            }
            if attempt < retryPolicy.maxRetries,
               retryPolicy.shouldRetry(status: response.status, method: method, hasRetryAfter: retryAfter != nil) {
                let delay = retryPolicy.delay(attempt: attempt, retryAfterSeconds: retryAfter)
                attempt += 1
                try await Task.sleep(for: delay)
                continue
            }
            throw KubeError(status: response.status, body: response.body, retryAfter: retryAfter)
        }
    }

    private var isStatic: Bool {
        switch config.credentials {
        case .none, .token: return true
        case .tokenFile, .exec: return false
        }
    }

    private func headers(token: String?, accept: String, contentType: String?) -> [(String, String)] {
        var headers: [(String, String)] = [("Accept", accept), ("User-Agent", userAgent)]
        if let contentType { headers.append(("Content-Type", contentType)) }
        if let token, !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        return headers
    }

    private func client(for tls: HTTPClientTLS?) -> HTTPClient {
        guard let tls, tls != config.tls else { return http }
        return certificateClient.withLock { cached in
            if let (cachedTLS, client) = cached, cachedTLS == tls { return client }
            let client = HTTPClient(tls: tls, defaultTimeout: config.timeout)
            cached = (tls, client)
            return client
        }
    }

    private func writeQuery(dryRun: Bool, fieldManager: String?) -> [(String, String)] {
        var query: [(String, String)] = []
        if dryRun { query.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { query.append(("fieldManager", fieldManager)) }
        return query
    }

    static func namespace(of object: JSON) -> String? {
        object[path: ["metadata", "namespace"]]?.stringValue
    }

    static func name(of object: JSON) throws -> String {
        guard let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw KubeError(code: 400, reason: "BadRequest", message: "resource name may not be empty")
        }
        return name
    }
}
