/// Where a kind of object lives in the API: group, version, plural resource name, and scope.
public struct ResourceKind: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    /// Plural, lowercase: "secrets", "externalsecrets".
    public var resource: String
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, resource: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.namespaced = namespaced
    }

    /// "v1" or "external-secrets.io/v1".
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }

    /// The URL path of the collection or of one object: `/api/v1/namespaces/ns/secrets/name/status`.
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace, !namespace.isEmpty { path += "/namespaces/\(URLEncoding.pathSegment(namespace))" }
        path += "/\(resource)"
        if let name { path += "/\(URLEncoding.pathSegment(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    public static let namespaces = ResourceKind(group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false)
    public static let secrets = ResourceKind(group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true)
    public static let configMaps = ResourceKind(group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true)
    public static let serviceAccounts = ResourceKind(group: "", version: "v1", resource: "serviceaccounts",
                                                     kind: "ServiceAccount", namespaced: true)
    public static let coreEvents = ResourceKind(group: "", version: "v1", resource: "events", kind: "Event", namespaced: true)
    /// events.k8s.io/v1 (what `recordEvent` writes).
    public static let events = ResourceKind(group: "events.k8s.io", version: "v1", resource: "events", kind: "Event", namespaced: true)
    public static let leases = ResourceKind(group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease",
                                            namespaced: true)
    public static let validatingWebhookConfigurations = ResourceKind(
        group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations",
        kind: "ValidatingWebhookConfiguration", namespaced: false)
    public static let mutatingWebhookConfigurations = ResourceKind(
        group: "admissionregistration.k8s.io", version: "v1", resource: "mutatingwebhookconfigurations",
        kind: "MutatingWebhookConfiguration", namespaced: false)
    public static let customResourceDefinitions = ResourceKind(
        group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions",
        kind: "CustomResourceDefinition", namespaced: false)
    public static let externalSecrets = ResourceKind(group: "external-secrets.io", version: "v1", resource: "externalsecrets",
                                                     kind: "ExternalSecret", namespaced: true)
    public static let clusterExternalSecrets = ResourceKind(group: "external-secrets.io", version: "v1",
                                                            resource: "clusterexternalsecrets", kind: "ClusterExternalSecret",
                                                            namespaced: false)
    public static let secretStores = ResourceKind(group: "external-secrets.io", version: "v1", resource: "secretstores",
                                                  kind: "SecretStore", namespaced: true)
    public static let clusterSecretStores = ResourceKind(group: "external-secrets.io", version: "v1",
                                                         resource: "clustersecretstores", kind: "ClusterSecretStore",
                                                         namespaced: false)
    public static let pushSecrets = ResourceKind(group: "external-secrets.io", version: "v1alpha1", resource: "pushsecrets",
                                                 kind: "PushSecret", namespaced: true)
}

/// Percent-encoding for URL path segments and query values (RFC 3986 unreserved characters pass).
enum URLEncoding {
    static func pathSegment(_ text: String) -> String { encode(text) }

    static func queryValue(_ text: String) -> String { encode(text) }

    static func query(_ items: [(String, String)]) -> String {
        items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    private static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
