import ESJSON

/// Per-kind defaulting and validation the real API server applies on every write.
enum Defaulting {
    static func apply(_ type: ResourceType, to object: inout JSON, existing: JSON?) throws(APIError) {
        switch type.key {
        case "secrets":
            try secret(&object, type: type, existing: existing)
        case "namespaces":
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
            if object[path: ["spec", "finalizers"]] == nil { object[path: ["spec", "finalizers"]] = ["kubernetes"] }
            if existing == nil || object[path: ["status", "phase"]] == nil {
                object[path: ["status", "phase"]] = object[path: ["metadata", "deletionTimestamp"]] == nil ? "Active" : "Terminating"
            }
        case "apiextensions.k8s.io/customresourcedefinitions":
            guard let crdType = ResourceType.fromCRD(object) else {
                throw APIError.invalid(type, name: object[path: ["metadata", "name"]]?.stringValue ?? "", field: "spec",
                                       "spec: Invalid value: group, names.plural, names.kind and versions are required")
            }
            guard crdType.group.contains(".") else {
                throw APIError.invalid(type, name: object[path: ["metadata", "name"]]?.stringValue ?? "", field: "spec.group",
                                       "spec.group: Invalid value: \"\(crdType.group)\": should be a domain with at least one dot")
            }
            let expectedName = "\(crdType.resource).\(crdType.group)"
            if let name = object[path: ["metadata", "name"]]?.stringValue, name != expectedName {
                throw APIError.invalid(type, name: name, field: "metadata.name",
                                       "metadata.name: Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group")
            }
            object[path: ["status", "acceptedNames"]] = object[path: ["spec", "names"]]
            object[path: ["status", "storedVersions"]] = [.string(crdType.preferredVersion)]
            let now = JSON.string(Timestamps.rfc3339(Timestamps.now()))
            object[path: ["status", "conditions"]] = [
                ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found",
                 "lastTransitionTime": now],
                ["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": now],
            ]
        default:
            break
        }
    }

    /// `stringData` is merged into `data` (base64) and dropped; `type` defaults to Opaque; immutable
    /// Secrets refuse data changes.
    private static func secret(_ object: inout JSON, type: ResourceType, existing: JSON?) throws(APIError) {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if let stringData = object["stringData"]?.objectValue {
            var data = object["data"]?.objectValue ?? JSONObject()
            for (k, v) in stringData { data[k] = .string(Base64.encode(Array((v.stringValue ?? "").utf8))) }
            object["data"] = .object(data)
            object["stringData"] = nil
        }
        for (k, v) in object["data"]?.objectValue ?? JSONObject() {
            guard let text = v.stringValue, Base64.decode(text) != nil else {
                throw APIError.badRequest("illegal base64 data at input byte 0 in Secret data key \"\(k)\"")
            }
        }
        if object["type"] == nil { object["type"] = .string(existing?["type"]?.stringValue ?? "Opaque") }
        if let existing {
            if let oldType = existing["type"]?.stringValue, object["type"]?.stringValue != oldType {
                throw APIError.invalid(type, name: name, field: "type", "type: Invalid value: \"\(object["type"]?.stringValue ?? "")\": field is immutable")
            }
            if existing["immutable"]?.boolValue == true {
                if object["data"] != existing["data"] {
                    throw APIError.invalid(type, name: name, field: "data", "data: Forbidden: field is immutable when `immutable` is set")
                }
                if object["immutable"]?.boolValue != true {
                    throw APIError.invalid(type, name: name, field: "immutable", "immutable: Forbidden: field is immutable when `immutable` is set")
                }
            }
        }
    }
}
