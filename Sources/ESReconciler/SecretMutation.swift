import ESJSON

/// Upstream's Secret mutation function (§4.5): builds the Secret we want from the existing one (or
/// from nothing) and the fetched data. Pure apart from the template hook.
public enum SecretMutation {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Another ExternalSecret is the controller owner.
        case ownedByAnotherExternalSecret(String)
        /// Another kind of controller owns the Secret (SetControllerReference would fail).
        case ownership(String)
        case template(String)

        public var description: String {
            switch self {
            case .ownedByAnotherExternalSecret(let name): return "secret is owned by another ExternalSecret: \(name)"
            case .ownership(let message): return message
            case .template(let message): return message
            }
        }
    }

    public static func desiredSecret(existing: JSON?, externalSecret es: ExternalSecretView, data: [String: [UInt8]],
                                     templating: (any SecretTemplating)?) async throws(Failure) -> JSON {
        let isNew = existing == nil
        var secret: JSON = existing ?? [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": .string(es.targetName), "namespace": .string(es.namespace)],
        ]
        var labels = ExternalSecretView.stringMap(secret[path: ["metadata", "labels"]])
        var annotations = ExternalSecretView.stringMap(secret[path: ["metadata", "annotations"]])
        var secretData = SecretData.decode(secret)
        if es.immutable { secret["immutable"] = true }

        if isNew || !es.immutable {
            // 2a: keys this ExternalSecret wrote before and no longer provides disappear.
            let manager = FieldManager.name(forExternalSecret: es.name)
            for key in ManagedFields.keys(in: secret, manager: manager, field: "f:data") {
                secretData.removeValue(forKey: key)
            }
            // 2b / §6.2 step 2: metadata previously written by us is dropped, then re-applied.
            let metadataManager = es.name.utf8.count > 63 ? manager : FieldManager.prefix + es.name
            for key in ManagedFields.keys(in: secret, manager: metadataManager, field: "f:metadata", "f:labels") {
                labels.removeValue(forKey: key)
            }
            for key in ManagedFields.keys(in: secret, manager: metadataManager, field: "f:metadata", "f:annotations") {
                annotations.removeValue(forKey: key)
            }
            let template = es.template
            if template == nil {
                for (k, v) in es.labels { labels[k] = v }
                for (k, v) in es.annotations { annotations[k] = v }
            }
            // §6.2 step 3: only Merge/CreateOrMerge keep keys that are not ours.
            if es.creationPolicy != .merge, es.creationPolicy != .createOrMerge { secretData = [:] }
            if let template {
                guard let templating else { throw .template(TemplatesNotSupported().description) }
                secret[path: ["metadata", "labels"]] = stringMapJSON(labels)
                secret[path: ["metadata", "annotations"]] = stringMapJSON(annotations)
                secret["data"] = SecretData.encode(secretData)
                do {
                    try await templating.apply(template: template, externalSecret: es, data: data, secret: &secret)
                } catch {
                    throw .template("\(error)")
                }
                labels = ExternalSecretView.stringMap(secret[path: ["metadata", "labels"]])
                annotations = ExternalSecretView.stringMap(secret[path: ["metadata", "annotations"]])
                secretData = SecretData.decode(secret)
            } else {
                for (k, v) in data { secretData[k] = v }
            }
        }

        // 3: ownership.
        var owners = secret[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
        if let controller = owners.first(where: { $0["controller"]?.boolValue == true }) {
            let isExternalSecret = controller["kind"]?.stringValue == "ExternalSecret"
                && (controller["apiVersion"]?.stringValue ?? "").hasPrefix("external-secrets.io/")
            let ownerName = controller["name"]?.stringValue ?? ""
            if isExternalSecret, ownerName != es.name {
                throw .ownedByAnotherExternalSecret(ownerName)
            }
            if es.creationPolicy == .owner, !isExternalSecret {
                throw .ownership("Object \(es.namespace)/\(es.targetName) is already owned by another "
                    + "\(controller["kind"]?.stringValue ?? "") controller \(ownerName)")
            }
        }
        let isOurs: (JSON) -> Bool = {
            $0["kind"]?.stringValue == "ExternalSecret" && $0["name"]?.stringValue == es.name
                && ($0["apiVersion"]?.stringValue ?? "").hasPrefix("external-secrets.io/")
        }
        if es.creationPolicy == .owner {
            let reference: JSON = [
                "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "name": .string(es.name),
                "uid": .string(es.uid), "controller": true, "blockOwnerDeletion": true,
            ]
            if let i = owners.firstIndex(where: isOurs) { owners[i] = reference } else { owners.append(reference) }
            labels[ManagedLabels.createdBy] = ObjectHash.ofString(es.namespace + "/" + es.name)
        } else {
            owners.removeAll { isOurs($0) && $0["controller"]?.boolValue == true }
            labels.removeValue(forKey: ManagedLabels.createdBy)
        }
        secret[path: ["metadata", "ownerReferences"]] = owners.isEmpty ? nil : .array(owners)

        // 4: managed label and data hash over the final data.
        labels[ManagedLabels.managed] = "true"
        annotations[ManagedLabels.dataHash] = ObjectHash.ofSecretData(secretData)
        secret[path: ["metadata", "labels"]] = stringMapJSON(labels)
        secret[path: ["metadata", "annotations"]] = stringMapJSON(annotations)
        secret["data"] = SecretData.encode(secretData)
        return secret
    }

    static func stringMapJSON(_ map: [String: String]) -> JSON {
        var o = JSONObject(minimumCapacity: map.count)
        for k in map.keys.sorted() { o[k] = .string(map[k] ?? "") }
        return .object(o)
    }

    /// Whether two Secrets differ in anything we write (data, type, immutable, labels, annotations,
    /// owner references); server-populated metadata is ignored.
    public static func differs(_ a: JSON, _ b: JSON) -> Bool {
        func normalizedMap(_ j: JSON?) -> JSON { j?.objectValue.map { JSON.object($0) } ?? .object(JSONObject()) }
        if normalizedMap(a["data"]) != normalizedMap(b["data"]) { return true }
        if (a["type"]?.stringValue ?? "Opaque") != (b["type"]?.stringValue ?? "Opaque") { return true }
        if (a["immutable"]?.boolValue ?? false) != (b["immutable"]?.boolValue ?? false) { return true }
        return metadataDiffers(a, b)
    }

    public static func dataOrTypeDiffers(_ a: JSON, _ b: JSON) -> Bool {
        func normalizedMap(_ j: JSON?) -> JSON { j?.objectValue.map { JSON.object($0) } ?? .object(JSONObject()) }
        if normalizedMap(a["data"]) != normalizedMap(b["data"]) { return true }
        return (a["type"]?.stringValue ?? "Opaque") != (b["type"]?.stringValue ?? "Opaque")
    }

    public static func metadataDiffers(_ a: JSON, _ b: JSON) -> Bool {
        for field in ["labels", "annotations", "finalizers"] {
            let x = a[path: ["metadata", field]] ?? .null
            let y = b[path: ["metadata", field]] ?? .null
            if isEmpty(x), isEmpty(y) { continue }
            if x != y { return true }
        }
        let x = a[path: ["metadata", "ownerReferences"]] ?? .null
        let y = b[path: ["metadata", "ownerReferences"]] ?? .null
        if isEmpty(x), isEmpty(y) { return false }
        return x != y
    }

    static func isEmpty(_ j: JSON) -> Bool {
        switch j {
        case .null: return true
        case .object(let o): return o.isEmpty
        case .array(let a): return a.isEmpty
        default: return false
        }
    }
}

/// `metadata.managedFields` (FieldsV1) lookups: which keys of a map a field manager owns.
enum ManagedFields {
    static func keys(in object: JSON, manager: String, field path: String...) -> [String] {
        var keys: [String] = []
        for entry in object[path: ["metadata", "managedFields"]]?.arrayValue ?? [] {
            guard entry["manager"]?.stringValue == manager else { continue }
            guard let fields = entry["fieldsV1"]?[path: path]?.objectValue else { continue }
            for (k, _) in fields where k.hasPrefix("f:") { keys.append(String(k.dropFirst(2))) }
        }
        return keys
    }
}
