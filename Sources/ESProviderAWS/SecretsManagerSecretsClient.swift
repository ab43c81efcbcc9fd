import ESProviders
import ESRegex

/// `SecretsClient` over AWS Secrets Manager (upstream `secretsmanager.go`).
actor SecretsManagerSecretsClient: AWSPayloadSecretsClient {
    let api: SecretsManagerClient
    let credentials: ResolvedCredentials
    let prefix: String
    let inFlight: InFlightCalls<SecretsManagerSecretValue>
    let batcher: SecretsManagerReadBatcher
    /// Upstream's per-client cache, key `<key>#<version>#<SECRET|TAG>`.
    private var cache: [String: [UInt8]] = [:]

    init(api: SecretsManagerClient, credentials: ResolvedCredentials, prefix: String,
         inFlight: InFlightCalls<SecretsManagerSecretValue>, batcher: SecretsManagerReadBatcher) {
        self.api = api
        self.batcher = batcher
        self.credentials = credentials
        self.prefix = prefix
        self.inFlight = inFlight
    }

    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] {
        guard find.nameRegexp != nil || !find.tags.isEmpty else {
            throw ProviderError.invalid("unexpected find operator")
        }
        let matcher = try compileFindRegex(find.nameRegexp)
        let path = find.path.flatMap { $0.isEmpty ? nil : $0 }
        var out: [String: [UInt8]] = [:]
        if find.tags.isEmpty && path == nil {
            // Name only: list every secret, keep matches, fetch them 20 per BatchGetSecretValue.
            var names: [String] = []
            var token: String?
            repeat {
                let page = try await mappingAWSErrors { try await api.listSecrets(nextToken: token) }
                names += page.names.filter { matcher?.matches($0) ?? true }
                token = page.nextToken
            } while token != nil
            var start = 0
            while start < names.count {
                let ids = Array(names[start..<min(start + SecretsManagerClient.batchLimit, names.count)])
                start += ids.count
                do {
                    var batchToken: String?
                    repeat {
                        let page = try await api.batchGetSecretValue(secretIDs: ids, nextToken: batchToken)
                        if let failure = page.errors.first(where: { $0.error.kind != .notFound }) {
                            throw failure.error.providerError
                        }
                        for value in page.values { out[value.name] = Self.bytes(of: value) }
                        batchToken = page.nextToken
                    } while batchToken != nil
                } catch let error as AWSError where error.kind == .auth {
                    // A policy granting GetSecretValue but not BatchGetSecretValue: read them one by one, as upstream does.
                    for id in ids {
                        do {
                            out[id] = Self.bytes(of: try await fetch(secretID: id, version: ""))
                        } catch let error as ProviderError where error.kind == .notFound {
                            continue
                        }
                    }
                } catch let error as AWSError {
                    throw error.providerError
                }
            }
            return out
        }
        var filters: [SecretsManagerFilter] = []
        for (key, value) in find.tags.sorted(by: { $0.key < $1.key }) {
            filters.append(SecretsManagerFilter(key: "tag-key", values: [key]))
            filters.append(SecretsManagerFilter(key: "tag-value", values: [value]))
        }
        if let path { filters.append(SecretsManagerFilter(key: "name", values: [path])) }
        var token: String?
        repeat {
            let page = try await mappingAWSErrors { try await api.batchGetSecretValue(filters: filters, nextToken: token) }
            if let failure = page.errors.first(where: { $0.error.kind != .notFound }) { throw failure.error.providerError }
            for value in page.values where matcher?.matches(value.name) ?? true {
                out[value.name] = Self.bytes(of: value)
            }
            token = page.nextToken
        } while token != nil
        return out
    }

    // MARK: -

    func payload(for ref: RemoteRef) async throws -> [UInt8] {
        let secretID = prefix + ref.key
        let cacheKey = "\(ref.key)#\(ref.version)#\(ref.metadataPolicy == .fetch ? "TAG" : "SECRET")"
        if let cached = cache[cacheKey] { return cached }
        let payload: [UInt8]
        if ref.metadataPolicy == .fetch {
            let tags = try await mappingAWSErrors { try await api.describeSecretTags(secretID: secretID) }
            payload = AWSPropertyPath.tagsJSON(tags)
        } else {
            let value = try await fetch(secretID: secretID, version: ref.version)
            if !ref.property.isEmpty {
                // gjson runs over SecretString, or SecretBinary read as a string.
                payload = value.secretString.map { Array($0.utf8) } ?? value.secretBinary ?? []
            } else if let string = value.secretString {
                payload = Array(string.utf8)
            } else if let binary = value.secretBinary {
                payload = binary
            } else {
                throw ProviderError.invalid("invalid secret received. no secret string nor binary for key: \(ref.key)")
            }
        }
        cache[cacheKey] = payload
        return payload
    }

    /// GetSecretValue, coalesced with identical concurrent calls made with the same credentials; concurrent
    /// current-version reads of different secrets are batched.
    private func fetch(secretID: String, version: String) async throws -> SecretsManagerSecretValue {
        let versionID: String? = version.hasPrefix("uuid/") ? String(version.dropFirst("uuid/".count)) : nil
        let stage: String? = versionID != nil ? nil : (version.isEmpty ? "AWSCURRENT" : version)
        let key = "\(api.client.endpoint)|\(credentials.identity)|\(secretID)|\(stage ?? "")|\(versionID ?? "")"
        let api = self.api
        let batcher = self.batcher
        let lane = "\(api.client.endpoint)|\(credentials.identity)"
        return try await mappingAWSErrors {
            try await inFlight.run(key) {
                if stage == "AWSCURRENT" {
                    return try await batcher.currentValue(of: secretID, lane: lane, api: api)
                }
                return try await api.getSecretValue(secretID: secretID, versionStage: stage, versionID: versionID)
            }
        }
    }

    static func bytes(of value: SecretsManagerSecretValue) -> [UInt8] {
        value.secretString.map { Array($0.utf8) } ?? value.secretBinary ?? []
    }
}
