import ESAPI
import ESJSON
import ESKube
import ESRegex

/// The `fake` provider: its secrets are listed in the store spec (`spec.provider.fake.data[]` of
/// `{key, value, version?}`), `validationResult` (0 Ready, 1 Unknown, 2 Error) drives the store check.
public struct FakeProvider: SecretsProvider {
    public init() {}

    public var name: String { "fake" }
    public var capabilities: StoreCapabilities { .readWrite }
    public var isMaintained: Bool { false }

    public func newClient(store: SecretStore, namespace: String, kube: KubeClient) async throws -> any SecretsClient {
        try FakeSecretsClient(providerSpec: store.json["spec"]?["provider"]?["fake"])
    }
}

/// A client over the `fake` provider spec; usable without a store object (tests, benchmarks).
public struct FakeSecretsClient: SecretsClient {
    struct Entry: Sendable {
        var key: String
        var value: String
        var version: String
    }

    /// Keyed by `key + version`, as upstream's `mapKey`.
    let entries: [String: Entry]
    let validationResult: Int?

    public init(providerSpec: JSON?) throws(ProviderError) {
        guard let spec = providerSpec, spec.objectValue != nil else {
            throw ProviderError.invalid("missing store provider fake")
        }
        var entries: [String: Entry] = [:]
        for item in spec["data"]?.arrayValue ?? [] {
            let entry = Entry(key: item["key"]?.stringValue ?? "", value: item["value"]?.stringValue ?? "",
                              version: item["version"]?.stringValue ?? "")
            entries[entry.key + entry.version] = entry
        }
        self.entries = entries
        self.validationResult = spec["validationResult"]?.intValue
    }

    public func getSecret(_ ref: RemoteRef) async throws -> [UInt8] {
        guard let entry = entries[ref.key + ref.version], entry.version == ref.version else {
            throw ProviderError.secretDoesNotExist
        }
        if ref.property.isEmpty { return Array(entry.value.utf8) }
        guard let value = GJSONPath.value(in: entry.value, at: ref.property) else {
            throw ProviderError.secretDoesNotExist
        }
        return Array(value.utf8)
    }

    public func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]] {
        let data = try await getSecret(ref)
        let parsed: JSON
        do {
            parsed = try JSON.parse(data)
        } catch {
            throw ProviderError.invalid("unable to unmarshal secret: \(error.message)")
        }
        guard let object = parsed.objectValue else {
            throw ProviderError.invalid(
                "unable to unmarshal secret: json: cannot unmarshal \(parsed.kindName) into Go value of type map[string]json.RawMessage")
        }
        var out: [String: [UInt8]] = [:]
        for (key, value) in object {
            if case .string(let s) = value {
                out[key] = Array(s.utf8)
            } else {
                out[key] = value.serialized()
            }
        }
        return out
    }

    public func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] {
        guard let pattern = find.nameRegexp else {
            throw ProviderError.unsupported("unsupported find operator: only name.regexp is supported by the fake provider")
        }
        let matcher: GoRegex
        do {
            matcher = try GoRegex(pattern)
        } catch {
            throw ProviderError.invalid(error.description)
        }
        var latestVersion: [String: String] = [:]
        var out: [String: [UInt8]] = [:]
        for entry in entries.values where matcher.matches(entry.key) {
            if let seen = latestVersion[entry.key], !(seen < entry.version) { continue }
            latestVersion[entry.key] = entry.version
            out[entry.key] = Array(entry.value.utf8)
        }
        do {
            return try SecretKeys.convertKeys(out, strategy: find.conversionStrategy)
        } catch {
            throw ProviderError.invalid(error.message)
        }
    }

    public func validate() async -> ValidationOutcome {
        switch validationResult {
        case nil, 0: return .ready
        case 1: return .unknown
        default: return .error("unable to validate")
        }
    }

    public func close() async {}
}
