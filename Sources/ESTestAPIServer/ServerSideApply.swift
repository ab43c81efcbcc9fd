import ESJSON

/// Server-side apply, reduced to what controllers depend on: the applied configuration is merged
/// in, the manager's owned fields are recorded in `managedFields` (FieldsV1 `f:` sets; lists are
/// atomic), and fields the same manager applied before but left out now are removed unless
/// another manager owns them.
enum ServerSideApply {
    static func apply(_ applied: JSON, to existing: JSON, manager: String, type: ResourceType) -> JSON {
        let entries = existing[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        let previous = entries.first { isApplyEntry($0, manager) }?["fieldsV1"] ?? [:]
        let current = fieldSet(of: applied)
        let stillOwned = Set(leafPaths(current).map(joined))
        let ownedByOthers = Set(entries.filter { !isApplyEntry($0, manager) }
            .flatMap { leafPaths($0["fieldsV1"] ?? [:]) }.map(joined))
        var result = existing
        for path in leafPaths(previous) where !stillOwned.contains(joined(path)) && !ownedByOthers.contains(joined(path)) {
            result[path: path] = nil
        }
        result = MergePatch.apply(applied, to: result)
        record(&result, manager: manager, fields: current, type: type)
        return result
    }

    /// The managedFields entry for a manager's apply, replacing its previous one.
    static func record(_ object: inout JSON, manager: String, fields: JSON, type: ResourceType) {
        var entries = object[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        entries.removeAll { isApplyEntry($0, manager) }
        entries.append([
            "manager": .string(manager), "operation": "Apply",
            "apiVersion": .string(object["apiVersion"]?.stringValue ?? type.apiVersion(type.preferredVersion)),
            "time": .string(Timestamps.rfc3339(Timestamps.now())), "fieldsType": "FieldsV1", "fieldsV1": fields,
        ])
        object[path: ["metadata", "managedFields"]] = .array(entries)
    }

    /// FieldsV1 for a configuration: `{"f:data": {"f:key": {}}}`; identity fields are not owned.
    static func fieldSet(of applied: JSON) -> JSON {
        var config = applied
        config["apiVersion"] = nil
        config["kind"] = nil
        for field in ["name", "namespace", "resourceVersion", "uid", "managedFields", "creationTimestamp"] {
            config[path: ["metadata", field]] = nil
        }
        if config["metadata"]?.objectValue?.isEmpty == true { config["metadata"] = nil }
        return fields(config)
    }

    private static func fields(_ value: JSON) -> JSON {
        guard case .object(let object) = value else { return [:] }
        var set = JSONObject()
        for (key, child) in object { set["f:" + key] = fields(child) }
        return .object(set)
    }

    /// Paths (without the `f:` prefix) of the leaves of a field set.
    static func leafPaths(_ set: JSON, prefix: [String] = []) -> [[String]] {
        guard case .object(let object) = set, !object.isEmpty else { return prefix.isEmpty ? [] : [prefix] }
        var paths: [[String]] = []
        for (key, child) in object where key.hasPrefix("f:") {
            paths += leafPaths(child, prefix: prefix + [String(key.dropFirst(2))])
        }
        return paths
    }

    private static func isApplyEntry(_ entry: JSON, _ manager: String) -> Bool {
        entry["manager"]?.stringValue == manager && entry["operation"]?.stringValue == "Apply"
    }

    private static func joined(_ path: [String]) -> String { path.joined(separator: "\u{0}") }
}
