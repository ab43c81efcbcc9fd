import ESJSON

/// How the client asked objects to be returned (the `Accept` header): whole objects, or
/// `PartialObjectMetadata` (metadata only), or a server-side `Table` for kubectl.
struct ResponseShape: Sendable {
    var metadataOnly = false
    var table = false

    init(accept: String) {
        // The first acceptable alternative wins, as content negotiation does.
        for alternative in accept.split(separator: ",") {
            let params = alternative.split(separator: ";").map { $0.trimmingSpaces() }
            guard let media = params.first, media == "application/json" || media == "*/*" else { continue }
            if params.contains("as=PartialObjectMetadataList") || params.contains("as=PartialObjectMetadata") {
                metadataOnly = true
            } else if params.contains("as=Table") {
                table = true
            }
            return
        }
    }

    func render(_ object: JSON, type: ResourceType, version: String) -> JSON {
        if metadataOnly {
            return ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                    "metadata": object["metadata"] ?? [:]]
        }
        var out = object
        let apiVersion = type.apiVersion(version)
        if out["apiVersion"]?.stringValue != apiVersion { out["apiVersion"] = .string(apiVersion) }
        if table { return TableRenderer.table([out], type: type, resourceVersion: nil, continueToken: nil) }
        return out
    }

    func renderList(_ items: [JSON], type: ResourceType, version: String, resourceVersion: Int, continueToken: String?,
                    remaining: Int?) -> JSON {
        if table {
            return TableRenderer.table(items, type: type, resourceVersion: resourceVersion, continueToken: continueToken)
        }
        var metadata: JSON = ["resourceVersion": .string(String(resourceVersion))]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remaining { metadata["remainingItemCount"] = .number(JSONNumber(remaining)) }
        if metadataOnly {
            return ["kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
                    "items": .array(items.map { render($0, type: type, version: version) })]
        }
        let apiVersion = type.apiVersion(version)
        // Built-in lists carry no kind/apiVersion on their items (typed Go encoding); custom
        // resource lists do.
        let rendered = items.map { item -> JSON in
            var out = render(item, type: type, version: version)
            if !type.isCustomResource { out["kind"] = nil; out["apiVersion"] = nil }
            return out
        }
        return ["kind": .string(type.listKind), "apiVersion": .string(apiVersion), "metadata": metadata,
                "items": .array(rendered)]
    }

    func bookmark(type: ResourceType, version: String, resourceVersion: Int) -> JSON {
        let kind = metadataOnly ? "PartialObjectMetadata" : type.kind
        let apiVersion = metadataOnly ? "meta.k8s.io/v1" : type.apiVersion(version)
        return ["kind": .string(kind), "apiVersion": .string(apiVersion),
                "metadata": ["resourceVersion": .string(String(resourceVersion)), "creationTimestamp": .null]]
    }
}
