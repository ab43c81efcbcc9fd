/// The `external-secrets.io` API group, its served versions and kinds.
public enum APIGroup {
    public static let name = "external-secrets.io"
}

/// A served version of `external-secrets.io` (both decode the same shapes; v1 adds a few fields).
public enum APIVersion: String, Sendable, CaseIterable {
    case v1
    case v1beta1

    /// `external-secrets.io/v1`.
    public var apiVersion: String { "\(APIGroup.name)/\(rawValue)" }
    /// Go package of the version's types, as Go's decoder names them in messages.
    public var goPackage: String { rawValue }

    /// The version of an `apiVersion` string such as `external-secrets.io/v1beta1`.
    public init?(apiVersion: String) {
        guard apiVersion.hasPrefix(APIGroup.name + "/") else { return nil }
        self.init(rawValue: String(apiVersion.dropFirst(APIGroup.name.count + 1)))
    }
}

/// The kinds of `external-secrets.io` this module decodes.
public enum APIKind: String, Sendable, CaseIterable {
    case externalSecret = "ExternalSecret"
    case secretStore = "SecretStore"
    case clusterSecretStore = "ClusterSecretStore"
    case clusterExternalSecret = "ClusterExternalSecret"
    case pushSecret = "PushSecret"

    /// Lower-case singular, as webhook paths spell it (`externalsecret`).
    public var lowercased: String { rawValue.lowercased() }
    public var isNamespaced: Bool { self != .clusterSecretStore && self != .clusterExternalSecret }
}
