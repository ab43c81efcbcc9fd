import ESJSON
import ESYAML

/// The write paths of the store, run under its lock: create, update, patch, delete, and the
/// side effects the real control plane adds (finalizers, garbage collection, namespace cleanup).
enum StoreMutations {
    static func create(_ type: ResourceType, namespace: String?, _ input: JSON, dryRun: Bool, fieldManager: String?,
                       in s: inout StoreState) throws(APIError) -> JSON {
        guard input.objectValue != nil else { throw APIError.badRequest("the body of the request was not a JSON object") }
        var object = input
        let namespace = try resolveNamespace(type, pathNamespace: namespace, object: object)
        if type.namespaced, let namespace {
            guard let nsType = s.types["namespaces"] else { throw APIError.resourceNotFound }
            guard let ns = s.objects[nsType.key]?[StoreState.objectKey(namespace: nil, name: namespace)] else {
                throw APIError.notFound(nsType, name: namespace)
            }
            if ns[path: ["metadata", "deletionTimestamp"]] != nil {
                throw APIError(code: 403, reason: "Forbidden",
                               message: "\(type.kind.lowercased()) \"\(object[path: ["metadata", "name"]]?.stringValue ?? "")\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                               details: APIError.details(type, name: object[path: ["metadata", "name"]]?.stringValue ?? ""))
            }
        }
        var name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if name.isEmpty, let generateName = object[path: ["metadata", "generateName"]]?.stringValue, !generateName.isEmpty {
            name = generateName + randomSuffix()
            object[path: ["metadata", "name"]] = .string(name)
        }
        try validateName(type, name: name)
        let key = StoreState.objectKey(namespace: namespace, name: name)
        if s.objects[type.key]?[key] != nil { throw APIError.alreadyExists(type, name: name) }

        object["kind"] = .string(type.kind)
        if object["apiVersion"]?.stringValue.map({ type.versions.map(type.apiVersion).contains($0) }) != true {
            object["apiVersion"] = .string(type.apiVersion(type.preferredVersion))
        }
        if let namespace { object[path: ["metadata", "namespace"]] = .string(namespace) }
        else { object[path: ["metadata", "namespace"]] = nil }
        object[path: ["metadata", "uid"]] = .string(s.newUID())
        object[path: ["metadata", "creationTimestamp"]] = .string(Timestamps.rfc3339(Timestamps.now()))
        object[path: ["metadata", "deletionTimestamp"]] = nil
        object[path: ["metadata", "selfLink"]] = nil
        if type.tracksGeneration { object[path: ["metadata", "generation"]] = 1 }
        else { object[path: ["metadata", "generation"]] = nil }
        if type.hasStatusSubresource, type.key != "namespaces" { object["status"] = nil }
        if let fieldManager { addManagedFields(&object, manager: fieldManager, operation: "Update", type: type) }
        try Defaulting.apply(type, to: &object, existing: nil)
        if dryRun { return object }

        object[path: ["metadata", "resourceVersion"]] = .string(String(s.nextResourceVersion()))
        s.objects[type.key, default: [:]][key] = object
        s.sortedKeys[type.key] = nil
        s.emit("ADDED", typeKey: type.key, object: object, previous: nil)
        afterCreate(type, object, in: &s)
        return object
    }

    static func update(_ type: ResourceType, namespace: String?, name: String, _ input: JSON, subresource: String?,
                       dryRun: Bool, in s: inout StoreState) throws(APIError) -> JSON {
        guard input.objectValue != nil else { throw APIError.badRequest("the body of the request was not a JSON object") }
        let namespace = type.namespaced ? namespace : nil
        let key = StoreState.objectKey(namespace: namespace, name: name)
        guard let existing = s.objects[type.key]?[key] else { throw APIError.notFound(type, name: name) }
        if let bodyName = input[path: ["metadata", "name"]]?.stringValue, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if let bodyNamespace = input[path: ["metadata", "namespace"]]?.stringValue, let namespace,
           !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let requestedVersion = input[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if !requestedVersion.isEmpty, requestedVersion != existing[path: ["metadata", "resourceVersion"]]?.stringValue {
            throw APIError.modified(type, name: name)
        }
        if requestedVersion.isEmpty, type.isCustomResource {
            throw APIError(code: 422, reason: "Invalid",
                           message: "\(type.qualifiedResource) \"\(name)\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
                           details: APIError.details(type, name: name))
        }

        var object: JSON
        if subresource == "status" {
            object = existing
            object["status"] = input["status"]
        } else {
            object = input
            object["kind"] = existing["kind"]
            if object["apiVersion"] == nil { object["apiVersion"] = existing["apiVersion"] }
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                          "namespace", "name", "resourceVersion"] {
                object[path: ["metadata", field]] = existing[path: ["metadata", field]]
            }
            if type.hasStatusSubresource { object["status"] = existing["status"] }
            if existing[path: ["metadata", "deletionTimestamp"]] != nil {
                // Terminating objects may lose finalizers but never gain new ones.
                let old = finalizers(of: existing)
                let kept = finalizers(of: object).filter(old.contains)
                object[path: ["metadata", "finalizers"]] = kept.isEmpty ? nil : .array(kept)
            }
            try Defaulting.apply(type, to: &object, existing: existing)
        }
        return try commitUpdate(type, key: key, existing: existing, object, dryRun: dryRun, in: &s)
    }

    static func patch(_ type: ResourceType, namespace: String?, name: String, contentType: String, body: [UInt8],
                      subresource: String?, dryRun: Bool, fieldManager: String?,
                      in s: inout StoreState) throws(APIError) -> (object: JSON, created: Bool) {
        let namespace = type.namespaced ? namespace : nil
        let key = StoreState.objectKey(namespace: namespace, name: name)
        let mediaType = contentType.split(separator: ";").first.map { String($0).trimmingSpaces().lowercased() } ?? ""
        let existing = s.objects[type.key]?[key]

        if mediaType == "application/apply-patch+yaml" || mediaType == "application/apply-patch+json" {
            guard let manager = fieldManager, !manager.isEmpty else {
                throw APIError(code: 422, reason: "Invalid",
                               message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
            }
            let text = String(decoding: body, as: UTF8.self)
            let applied: JSON
            do { applied = try YAML.parse(text) } catch {
                throw APIError.badRequest("error decoding YAML: \(error)")
            }
            guard applied.objectValue != nil else { throw APIError.badRequest("the body of the request was not an object") }
            if let bodyName = applied[path: ["metadata", "name"]]?.stringValue, bodyName != name {
                throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
            guard let existing else {
                if subresource != nil { throw APIError.notFound(type, name: name) }
                var object = applied
                object[path: ["metadata", "name"]] = .string(name)
                ServerSideApply.record(&object, manager: manager, fields: ServerSideApply.fieldSet(of: applied), type: type)
                let created = try create(type, namespace: namespace, object, dryRun: dryRun, fieldManager: nil, in: &s)
                return (created, true)
            }
            var merged = ServerSideApply.apply(applied, to: existing, manager: manager, type: type)
            if applied[path: ["metadata", "resourceVersion"]] == nil {
                merged[path: ["metadata", "resourceVersion"]] = existing[path: ["metadata", "resourceVersion"]]
            }
            let updated = try update(type, namespace: namespace, name: name, merged, subresource: subresource,
                                     dryRun: dryRun, in: &s)
            return (updated, false)
        }

        guard let existing else { throw APIError.notFound(type, name: name) }
        var patched: JSON
        switch mediaType {
        case "application/json-patch+json":
            let operations: JSON
            do { operations = try JSON.parse(body) } catch { throw APIError.badRequest(error.message) }
            do { patched = try JSONPatch.apply(operations, to: existing) } catch {
                throw APIError(code: 422, reason: "Invalid",
                               message: "the server rejected our request due to an error in our request",
                               details: ["causes": [["message": .string(error.message)]]])
            }
        case "application/merge-patch+json", "application/strategic-merge-patch+json":
            let strategic = mediaType == "application/strategic-merge-patch+json"
            if strategic, type.isCustomResource { throw unsupportedPatch }
            let patch: JSON
            do { patch = try JSON.parse(body) } catch { throw APIError.badRequest(error.message) }
            guard patch.objectValue != nil else {
                throw APIError.badRequest("json: cannot unmarshal \(patch.kindName) into Go value of type map[string]interface {}")
            }
            patched = strategic ? StrategicMergePatch.apply(patch, to: existing) : MergePatch.apply(patch, to: existing)
        default:
            throw unsupportedPatch
        }
        if let fieldManager { addManagedFields(&patched, manager: fieldManager, operation: "Update", type: type) }
        if patched[path: ["metadata", "resourceVersion"]] == nil {
            patched[path: ["metadata", "resourceVersion"]] = existing[path: ["metadata", "resourceVersion"]]
        }
        let updated = try update(type, namespace: namespace, name: name, patched, subresource: subresource,
                                 dryRun: dryRun, in: &s)
        return (updated, false)
    }

    static func delete(_ type: ResourceType, namespace: String?, name: String, options: DeleteOptions,
                       in s: inout StoreState) throws(APIError) -> JSON {
        let namespace = type.namespaced ? namespace : nil
        let key = StoreState.objectKey(namespace: namespace, name: name)
        guard var object = s.objects[type.key]?[key] else { throw APIError.notFound(type, name: name) }
        if let uid = options.preconditionUID, let actual = object[path: ["metadata", "uid"]]?.stringValue, uid != actual {
            throw APIError.conflict(type, name: name,
                                    "Precondition failed: UID in precondition: \(uid), UID in object meta: \(actual)")
        }
        if let rv = options.preconditionResourceVersion,
           let actual = object[path: ["metadata", "resourceVersion"]]?.stringValue, rv != actual {
            throw APIError.conflict(type, name: name,
                                    "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(actual)")
        }
        if options.dryRun { return object }
        let hasFinalizers = !finalizers(of: object).isEmpty
        if hasFinalizers || type.key == "namespaces" {
            if object[path: ["metadata", "deletionTimestamp"]] == nil {
                let previous = object
                object[path: ["metadata", "deletionTimestamp"]] = .string(Timestamps.rfc3339(Timestamps.now()))
                object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
                if type.tracksGeneration, let generation = object[path: ["metadata", "generation"]]?.intValue {
                    object[path: ["metadata", "generation"]] = .number(JSONNumber(generation + 1))
                }
                if type.key == "namespaces" { object[path: ["status", "phase"]] = "Terminating" }
                object[path: ["metadata", "resourceVersion"]] = .string(String(s.nextResourceVersion()))
                s.objects[type.key]?[key] = object
                s.emit("MODIFIED", typeKey: type.key, object: object, previous: previous)
            }
            if type.key == "namespaces" {
                deleteNamespaceContents(name, in: &s)
                return s.objects[type.key]?[key] ?? object
            }
            return object
        }
        return remove(type, key: key, object, propagation: options.propagationPolicy, in: &s)
    }

    // MARK: - Helpers

    static let unsupportedPatch = APIError(
        code: 415, reason: "UnsupportedMediaType",
        message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")

    /// Stores an updated object unless nothing changed, bumping generation on spec changes, and
    /// completes deletion when the last finalizer of a terminating object goes.
    static func commitUpdate(_ type: ResourceType, key: String, existing: JSON, _ proposed: JSON, dryRun: Bool,
                             in s: inout StoreState) throws(APIError) -> JSON {
        var object = proposed
        object[path: ["metadata", "resourceVersion"]] = existing[path: ["metadata", "resourceVersion"]]
        if type.tracksGeneration {
            object[path: ["metadata", "generation"]] = existing[path: ["metadata", "generation"]]
        }
        if object == existing { return existing }
        try validateName(type, name: object[path: ["metadata", "name"]]?.stringValue ?? "")
        if type.tracksGeneration, specChanged(type, existing, object) {
            let generation = existing[path: ["metadata", "generation"]]?.intValue ?? 0
            object[path: ["metadata", "generation"]] = .number(JSONNumber(generation + 1))
        }
        if dryRun { return object }
        object[path: ["metadata", "resourceVersion"]] = .string(String(s.nextResourceVersion()))
        s.objects[type.key]?[key] = object
        s.emit("MODIFIED", typeKey: type.key, object: object, previous: existing)
        if type.key == "apiextensions.k8s.io/customresourcedefinitions", let newType = ResourceType.fromCRD(object) {
            s.types[newType.key] = newType
        }
        if object[path: ["metadata", "deletionTimestamp"]] != nil, finalizers(of: object).isEmpty,
           type.key != "namespaces" {
            return remove(type, key: key, object, propagation: nil, in: &s)
        }
        if type.key == "namespaces", object[path: ["metadata", "deletionTimestamp"]] != nil {
            finalizeNamespaceIfEmpty(object[path: ["metadata", "name"]]?.stringValue ?? "", in: &s)
        }
        return object
    }

    /// Everything but metadata (and status, when it is a subresource) counts as spec.
    static func specChanged(_ type: ResourceType, _ a: JSON, _ b: JSON) -> Bool {
        var x = a, y = b
        x["metadata"] = nil; y["metadata"] = nil
        if type.hasStatusSubresource { x["status"] = nil; y["status"] = nil }
        return x != y
    }

    /// Removes an object for good, then collects its dependents (background propagation) or
    /// orphans them.
    @discardableResult
    static func remove(_ type: ResourceType, key: String, _ object: JSON, propagation: String?,
                       in s: inout StoreState) -> JSON {
        var final = object
        s.objects[type.key]?[key] = nil
        s.sortedKeys[type.key] = nil
        final[path: ["metadata", "resourceVersion"]] = .string(String(s.nextResourceVersion()))
        s.emit("DELETED", typeKey: type.key, object: final, previous: object)
        if type.key == "apiextensions.k8s.io/customresourcedefinitions", let crType = ResourceType.fromCRD(object) {
            for (childKey, child) in s.objects[crType.key] ?? [:] {
                remove(crType, key: childKey, child, propagation: nil, in: &s)
            }
            s.types[crType.key] = nil
            s.objects[crType.key] = nil
            s.sortedKeys[crType.key] = nil
        }
        if let uid = object[path: ["metadata", "uid"]]?.stringValue {
            collectDependents(of: uid, orphan: propagation == "Orphan", in: &s)
        }
        if type.namespaced, let namespace = object[path: ["metadata", "namespace"]]?.stringValue {
            finalizeNamespaceIfEmpty(namespace, in: &s)
        }
        return final
    }

    static func collectDependents(of uid: String, orphan: Bool, in s: inout StoreState) {
        var dependents: [(ResourceType, String, JSON)] = []
        for (typeKey, bucket) in s.objects {
            guard let type = s.types[typeKey] else { continue }
            for (key, object) in bucket {
                let refs = object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
                if refs.contains(where: { $0["uid"]?.stringValue == uid }) { dependents.append((type, key, object)) }
            }
        }
        for (type, key, object) in dependents {
            guard let current = s.objects[type.key]?[key] else { continue }
            let refs = current[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            let remaining = refs.filter { $0["uid"]?.stringValue != uid }
            let ownerAlive = remaining.contains { ref in
                guard let refUID = ref["uid"]?.stringValue else { return false }
                return uidExists(refUID, in: s)
            }
            if orphan || ownerAlive {
                var updated = current
                updated[path: ["metadata", "ownerReferences"]] = remaining.isEmpty ? nil : .array(remaining)
                _ = try? commitUpdate(type, key: key, existing: current, updated, dryRun: false, in: &s)
                continue
            }
            if !finalizers(of: object).isEmpty {
                if current[path: ["metadata", "deletionTimestamp"]] == nil {
                    var marked = current
                    marked[path: ["metadata", "deletionTimestamp"]] = .string(Timestamps.rfc3339(Timestamps.now()))
                    marked[path: ["metadata", "resourceVersion"]] = .string(String(s.nextResourceVersion()))
                    s.objects[type.key]?[key] = marked
                    s.emit("MODIFIED", typeKey: type.key, object: marked, previous: current)
                }
                continue
            }
            remove(type, key: key, current, propagation: nil, in: &s)
        }
    }

    static func uidExists(_ uid: String, in s: StoreState) -> Bool {
        for (_, bucket) in s.objects {
            for (_, object) in bucket where object[path: ["metadata", "uid"]]?.stringValue == uid { return true }
        }
        return false
    }

    static func deleteNamespaceContents(_ namespace: String, in s: inout StoreState) {
        let prefix = namespace + "/"
        for (typeKey, bucket) in s.objects {
            guard let type = s.types[typeKey], type.namespaced else { continue }
            for (key, object) in bucket where key.hasPrefix(prefix) {
                _ = try? delete(type, namespace: namespace, name: object[path: ["metadata", "name"]]?.stringValue ?? "",
                                options: DeleteOptions(), in: &s)
            }
        }
        finalizeNamespaceIfEmpty(namespace, in: &s)
    }

    static func finalizeNamespaceIfEmpty(_ namespace: String, in s: inout StoreState) {
        guard let nsType = s.types["namespaces"] else { return }
        let nsKey = StoreState.objectKey(namespace: nil, name: namespace)
        guard let ns = s.objects[nsType.key]?[nsKey], ns[path: ["metadata", "deletionTimestamp"]] != nil,
              finalizers(of: ns).isEmpty else { return }
        let prefix = namespace + "/"
        for (typeKey, bucket) in s.objects where s.types[typeKey]?.namespaced == true {
            if bucket.keys.contains(where: { $0.hasPrefix(prefix) }) { return }
        }
        remove(nsType, key: nsKey, ns, propagation: nil, in: &s)
    }

    static func afterCreate(_ type: ResourceType, _ object: JSON, in s: inout StoreState) {
        switch type.key {
        case "namespaces":
            guard let name = object[path: ["metadata", "name"]]?.stringValue, let saType = s.types["serviceaccounts"] else { return }
            let sa: JSON = ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]]
            _ = try? create(saType, namespace: name, sa, dryRun: false, fieldManager: nil, in: &s)
        case "apiextensions.k8s.io/customresourcedefinitions":
            if let newType = ResourceType.fromCRD(object) { s.types[newType.key] = newType }
        default:
            break
        }
    }

    static func resolveNamespace(_ type: ResourceType, pathNamespace: String?, object: JSON) throws(APIError) -> String? {
        guard type.namespaced else { return nil }
        let bodyNamespace = object[path: ["metadata", "namespace"]]?.stringValue
        if let pathNamespace, let bodyNamespace, !bodyNamespace.isEmpty, bodyNamespace != pathNamespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        guard let namespace = pathNamespace ?? bodyNamespace, !namespace.isEmpty else {
            throw APIError.badRequest("an empty namespace may not be set during creation")
        }
        return namespace
    }

    static func validateName(_ type: ResourceType, name: String) throws(APIError) {
        if name.isEmpty {
            throw APIError.invalid(type, name: name, field: "metadata.name",
                                   "metadata.name: Required value: name or generateName is required")
        }
        if !isDNSSubdomain(name) {
            throw APIError.invalid(type, name: name, field: "metadata.name",
                                   "metadata.name: Invalid value: \"\(name)\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
        }
    }

    static func isDNSSubdomain(_ name: String) -> Bool {
        guard name.count <= 253 else { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard let first = label.first, let last = label.last else { return false }
            let ok = label.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
            if !ok || first == "-" || last == "-" { return false }
        }
        return true
    }

    static func finalizers(of object: JSON) -> [JSON] {
        object[path: ["metadata", "finalizers"]]?.arrayValue ?? []
    }

    /// Drops strategic-merge directives (`$patch`, `$setElementOrder/...`, `$retainKeys`, ...).
    static func strippingDirectives(_ value: JSON) -> JSON {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for (k, v) in o where !k.hasPrefix("$") { out[k] = strippingDirectives(v) }
            return .object(out)
        case .array(let a):
            return .array(a.map(strippingDirectives))
        default:
            return value
        }
    }

    static func addManagedFields(_ object: inout JSON, manager: String, operation: String, type: ResourceType) {
        var entries = object[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        entries.removeAll { $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == operation }
        entries.append([
            "manager": .string(manager), "operation": .string(operation),
            "apiVersion": .string(object["apiVersion"]?.stringValue ?? type.apiVersion(type.preferredVersion)),
            "time": .string(Timestamps.rfc3339(Timestamps.now())), "fieldsType": "FieldsV1", "fieldsV1": [:],
        ])
        object[path: ["metadata", "managedFields"]] = .array(entries)
    }

    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
    }
}
