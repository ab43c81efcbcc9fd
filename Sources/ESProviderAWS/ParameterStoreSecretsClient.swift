import ESProviders
import ESRegex

/// `SecretsClient` over SSM Parameter Store (upstream `parameterstore.go`).
actor ParameterStoreSecretsClient: AWSPayloadSecretsClient {
    let api: ParameterStoreClient
    let credentials: ResolvedCredentials
    let prefix: String
    let inFlight: InFlightCalls<SSMParameter>
    private var cache: [String: [UInt8]] = [:]

    init(api: ParameterStoreClient, credentials: ResolvedCredentials, prefix: String, inFlight: InFlightCalls<SSMParameter>) {
        self.api = api
        self.credentials = credentials
        self.prefix = prefix
        self.inFlight = inFlight
    }

    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] {
        let matcher = try compileFindRegex(find.nameRegexp)
        let path = find.path.flatMap { $0.isEmpty ? nil : $0 }
        if !find.tags.isEmpty {
            var filters = find.tags.sorted(by: { $0.key < $1.key }).map {
                SSMParameterFilter(key: "tag:\($0.key)", option: "Equals", values: [$0.value])
            }
            if let path { filters.append(SSMParameterFilter(key: "Path", option: "Recursive", values: [path])) }
            let names = try await describe(filters).filter { matcher?.matches($0) ?? true }
            return try await values(of: names)
        }
        guard let matcher else { throw ProviderError.invalid("unexpected find operator") }
        var out: [String: [UInt8]] = [:]
        var token: String?
        do {
            repeat {
                let page = try await api.getParametersByPath(path: path ?? "/", recursive: true, nextToken: token)
                for parameter in page.parameters where matcher.matches(parameter.name) {
                    out[parameter.name] = Array((parameter.value ?? "").utf8)
                }
                token = page.nextToken
            } while token != nil
            return out
        } catch let error as AWSError where error.code == "AccessDeniedException" {
            // Upstream's fallback when GetParametersByPath is not allowed.
            let filters = [SSMParameterFilter(key: "Path", option: "Recursive", values: [path ?? "/"])]
            let names = try await describe(filters).filter { matcher.matches($0) }
            return try await values(of: names)
        } catch let error as AWSError {
            throw error.providerError
        }
    }

    // MARK: -

    private func describe(_ filters: [SSMParameterFilter]) async throws -> [String] {
        var names: [String] = []
        var token: String?
        repeat {
            let page = try await mappingAWSErrors { try await api.describeParameters(filters: filters, nextToken: token) }
            names += page.names
            token = page.nextToken
        } while token != nil
        return names
    }

    /// Values by name, 10 per GetParameters call; names that vanished in between are skipped.
    private func values(of names: [String]) async throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        var start = 0
        while start < names.count {
            let batch = Array(names[start..<min(start + ParameterStoreClient.getParametersLimit, names.count)])
            start += batch.count
            let result = try await mappingAWSErrors { try await api.getParameters(names: batch) }
            for parameter in result.parameters { out[parameter.name] = Array((parameter.value ?? "").utf8) }
        }
        return out
    }

    func payload(for ref: RemoteRef) async throws -> [UInt8] {
        let name = prefix + ref.key
        let cacheKey = "\(ref.key)#\(ref.version)#\(ref.metadataPolicy == .fetch ? "TAG" : "SECRET")"
        if let cached = cache[cacheKey] { return cached }
        let payload: [UInt8]
        if ref.metadataPolicy == .fetch {
            let tags = try await mappingAWSErrors { try await api.listTagsForParameter(name: name) }
            payload = AWSPropertyPath.tagsJSON(tags)
        } else {
            let selector = ref.version.isEmpty ? name : "\(name):\(ref.version)"
            let key = "\(api.client.endpoint)|\(credentials.identity)|\(selector)"
            let api = self.api
            let parameter = try await mappingAWSErrors {
                try await inFlight.run(key) { try await api.getParameter(name: selector, withDecryption: true) }
            }
            guard let value = parameter.value else {
                throw ProviderError.invalid("invalid secret received. parameter value is nil for key: \(ref.key)")
            }
            payload = Array(value.utf8)
        }
        cache[cacheKey] = payload
        return payload
    }
}
