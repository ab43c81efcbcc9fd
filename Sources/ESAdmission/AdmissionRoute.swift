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

    /// The route of `path`, or `nil` for any other path. One table lookup: this runs on every request.
    public init?(path: String) {
        guard let route = Self.byPath[path] else { return nil }
        self = route
    }

    private static let byPath: [String: AdmissionRoute] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })

    public var path: String { "/\(webhook.rawValue)-\(Self.groupSegment)-\(version.rawValue)-\(resource.rawValue)" }

    /// Every path the admission handler serves.
    public static var all: [AdmissionRoute] {
        Webhook.allCases.flatMap { w in
            APIVersion.allCases.flatMap { v in Resource.allCases.map { AdmissionRoute(webhook: w, version: v, resource: $0) } }
        }
    }
}
