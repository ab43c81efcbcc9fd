import ESAPI

/// A webhook path: `/validate-external-secrets-io-v1-externalsecret`, `/mutate-external-secrets-io-v1beta1-secretstore`, ...
/// (controller-runtime's naming: `/<validate|mutate>-<group with . → ->-<version>-<lowercase kind>`).
public struct AdmissionRoute: Sendable, Hashable {
    public enum Webhook: String, Sendable, CaseIterable {
        case validate
        case mutate
    }
    public enum Resource: String, Sendable, CaseIterable {
        case externalSecret = "externalsecret"
        case secretStore = "secretstore"
        case clusterSecretStore = "clustersecretstore"

        var storeKind: StoreKind? {
            switch self {
            case .externalSecret: return nil
            case .secretStore: return .secretStore
            case .clusterSecretStore: return .clusterSecretStore
            }
        }
    }

    public var webhook: Webhook
    public var version: APIVersion
    public var resource: Resource

    public init(webhook: Webhook, version: APIVersion, resource: Resource) {
        self.webhook = webhook
        self.version = version
        self.resource = resource
    }

    static let groupSegment = "external-secrets-io"

    /// The route of `path`, or `nil` for any other path.
    public init?(path: String) {
        guard path.hasPrefix("/") else { return nil }
        let parts = path.dropFirst().split(separator: "-", omittingEmptySubsequences: false)
        // validate | external | secrets | io | <version> | <kind>
        guard parts.count == 6, parts[1] == "external", parts[2] == "secrets", parts[3] == "io",
              let webhook = Webhook(rawValue: String(parts[0])),
              let version = APIVersion(rawValue: String(parts[4])),
              let resource = Resource(rawValue: String(parts[5]))
        else { return nil }
        self.init(webhook: webhook, version: version, resource: resource)
    }

    public var path: String { "/\(webhook.rawValue)-\(Self.groupSegment)-\(version.rawValue)-\(resource.rawValue)" }

    /// Every path the admission handler serves.
    public static var all: [AdmissionRoute] {
        Webhook.allCases.flatMap { w in
            APIVersion.allCases.flatMap { v in Resource.allCases.map { AdmissionRoute(webhook: w, version: v, resource: $0) } }
        }
    }
}
