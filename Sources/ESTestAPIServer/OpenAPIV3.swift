import ESJSON

/// A minimal OpenAPI v3 discovery (`/openapi/v3` and one document per group-version) that lists
/// every resource's PATCH operation with the `fieldValidation` parameter, so kubectl uses
/// server-side field validation instead of downloading schemas (plain `kubectl apply` works).
enum OpenAPIV3 {
    static func root(_ types: [ResourceType]) -> JSON {
        var paths = JSONObject()
        for groupVersion in groupVersions(types) {
            paths[groupVersion] = ["serverRelativeURL": .string("/openapi/v3/\(groupVersion)")]
        }
        return ["paths": .object(paths)]
    }

    /// "api/v1", "apis/coordination.k8s.io/v1", ...
    static func groupVersions(_ types: [ResourceType]) -> [String] {
        var result: [String] = []
        for type in types {
            for version in type.versions {
                let gv = type.group.isEmpty ? "api/\(version)" : "apis/\(type.group)/\(version)"
                if !result.contains(gv) { result.append(gv) }
            }
        }
        return result
    }

    static func document(groupVersion: String, types: [ResourceType]) -> JSON? {
        var paths = JSONObject()
        for type in types {
            for version in type.versions {
                let gv = type.group.isEmpty ? "api/\(version)" : "apis/\(type.group)/\(version)"
                guard gv == groupVersion else { continue }
                let base = "/" + gv + (type.namespaced ? "/namespaces/{namespace}" : "")
                let patch: JSON = [
                    "x-kubernetes-group-version-kind": ["group": .string(type.group), "version": .string(version),
                                                        "kind": .string(type.kind)],
                    "parameters": [["name": "fieldValidation", "in": "query", "schema": ["type": "string"]],
                                   ["name": "fieldManager", "in": "query", "schema": ["type": "string"]],
                                   ["name": "dryRun", "in": "query", "schema": ["type": "string"]]],
                    "responses": ["200": ["description": "OK"]],
                ]
                paths["\(base)/\(type.resource)/{name}"] = ["patch": patch]
            }
        }
        guard !paths.isEmpty else { return nil }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.31.0"], "paths": .object(paths),
                "components": ["schemas": [:]]]
    }
}
