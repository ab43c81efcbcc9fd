import ESJSON

/// One kind of object the server stores: where it lives in the URL space and how writes treat it.
public struct ResourceType: Sendable, Hashable {
    public var group: String
    /// Served versions, preferred (storage) version first.
    public var versions: [String]
    public var resource: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    /// Writes to the main resource keep `status`; `/status` writes change only `status`.
    public var hasStatusSubresource: Bool
    /// `metadata.generation` is maintained and bumped on spec changes.
    public var tracksGeneration: Bool
    /// Printer columns from a CRD (`additionalPrinterColumns` of the preferred version).
    public var printerColumns: [JSON]
    /// Defined by a CustomResourceDefinition (updates must then carry a resourceVersion).
    public var isCustomResource = false

    public init(group: String, versions: [String], resource: String, singular: String, kind: String,
                namespaced: Bool, shortNames: [String] = [], hasStatusSubresource: Bool = false,
                tracksGeneration: Bool = false, printerColumns: [JSON] = []) {
        self.group = group
        self.versions = versions
        self.resource = resource
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.hasStatusSubresource = hasStatusSubresource
        self.tracksGeneration = tracksGeneration
        self.printerColumns = printerColumns
    }

    /// "secrets" or "externalsecrets.external-secrets.io", as error messages name it.
    public var qualifiedResource: String { group.isEmpty ? resource : "\(resource).\(group)" }
    /// Storage bucket key.
    var key: String { group.isEmpty ? resource : "\(group)/\(resource)" }
    public var preferredVersion: String { versions.first ?? "v1" }
    public func apiVersion(_ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }
    public var listKind: String { kind + "List" }

    public static func == (a: ResourceType, b: ResourceType) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    static let builtIn: [ResourceType] = [
        ResourceType(group: "", versions: ["v1"], resource: "namespaces", singular: "namespace", kind: "Namespace",
                     namespaced: false, shortNames: ["ns"], hasStatusSubresource: true),
        ResourceType(group: "", versions: ["v1"], resource: "secrets", singular: "secret", kind: "Secret", namespaced: true),
        ResourceType(group: "", versions: ["v1"], resource: "configmaps", singular: "configmap", kind: "ConfigMap",
                     namespaced: true, shortNames: ["cm"]),
        ResourceType(group: "", versions: ["v1"], resource: "events", singular: "event", kind: "Event",
                     namespaced: true, shortNames: ["ev"]),
        ResourceType(group: "", versions: ["v1"], resource: "serviceaccounts", singular: "serviceaccount",
                     kind: "ServiceAccount", namespaced: true, shortNames: ["sa"]),
        ResourceType(group: "", versions: ["v1"], resource: "services", singular: "service", kind: "Service",
                     namespaced: true, shortNames: ["svc"], hasStatusSubresource: true),
        ResourceType(group: "", versions: ["v1"], resource: "pods", singular: "pod", kind: "Pod",
                     namespaced: true, shortNames: ["po"], hasStatusSubresource: true),
        ResourceType(group: "events.k8s.io", versions: ["v1"], resource: "events", singular: "event", kind: "Event",
                     namespaced: true, shortNames: ["ev"]),
        ResourceType(group: "coordination.k8s.io", versions: ["v1"], resource: "leases", singular: "lease",
                     kind: "Lease", namespaced: true),
        ResourceType(group: "admissionregistration.k8s.io", versions: ["v1"], resource: "validatingwebhookconfigurations",
                     singular: "validatingwebhookconfiguration", kind: "ValidatingWebhookConfiguration",
                     namespaced: false, tracksGeneration: true),
        ResourceType(group: "admissionregistration.k8s.io", versions: ["v1"], resource: "mutatingwebhookconfigurations",
                     singular: "mutatingwebhookconfiguration", kind: "MutatingWebhookConfiguration",
                     namespaced: false, tracksGeneration: true),
        ResourceType(group: "apiextensions.k8s.io", versions: ["v1"], resource: "customresourcedefinitions",
                     singular: "customresourcedefinition", kind: "CustomResourceDefinition", namespaced: false,
                     shortNames: ["crd", "crds"], hasStatusSubresource: true, tracksGeneration: true),
        ResourceType(group: "apps", versions: ["v1"], resource: "deployments", singular: "deployment", kind: "Deployment",
                     namespaced: true, shortNames: ["deploy"], hasStatusSubresource: true, tracksGeneration: true),
    ]

    /// The resource type a CustomResourceDefinition object declares; nil when it is malformed.
    static func fromCRD(_ crd: JSON) -> ResourceType? {
        guard let group = crd[path: ["spec", "group"]]?.stringValue,
              let plural = crd[path: ["spec", "names", "plural"]]?.stringValue,
              let kind = crd[path: ["spec", "names", "kind"]]?.stringValue,
              let versionList = crd[path: ["spec", "versions"]]?.arrayValue
        else { return nil }
        let served = versionList.filter { $0["served"]?.boolValue ?? true }
        guard !served.isEmpty else { return nil }
        let storage = served.first { $0["storage"]?.boolValue == true } ?? served[0]
        var names = served.compactMap { $0["name"]?.stringValue }
        if let storageName = storage["name"]?.stringValue, let i = names.firstIndex(of: storageName) {
            names.remove(at: i)
            names.insert(storageName, at: 0)
        }
        let singular = crd[path: ["spec", "names", "singular"]]?.stringValue ?? kind.lowercased()
        let shortNames = crd[path: ["spec", "names", "shortNames"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        var type = ResourceType(
            group: group, versions: names, resource: plural, singular: singular, kind: kind,
            namespaced: crd[path: ["spec", "scope"]]?.stringValue != "Cluster", shortNames: shortNames,
            hasStatusSubresource: storage[path: ["subresources", "status"]] != nil, tracksGeneration: true,
            printerColumns: storage["additionalPrinterColumns"]?.arrayValue ?? [])
        type.isCustomResource = true
        return type
    }
}
