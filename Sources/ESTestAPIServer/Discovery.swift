import ESJSON

/// The discovery documents kubectl and client libraries read before anything else.
enum Discovery {
    static let verbs: JSON = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    static func coreVersions(serverAddress: String) -> JSON {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    static func groupList(_ types: [ResourceType]) -> JSON {
        var order: [String] = []
        var byGroup: [String: [ResourceType]] = [:]
        for type in types where !type.group.isEmpty {
            if byGroup[type.group] == nil { order.append(type.group) }
            byGroup[type.group, default: []].append(type)
        }
        return ["kind": "APIGroupList", "apiVersion": "v1",
                "groups": .array(order.map { group(name: $0, types: byGroup[$0] ?? []) })]
    }

    static func group(name: String, types: [ResourceType]) -> JSON {
        var versions: [String] = []
        for type in types { for v in type.versions where !versions.contains(v) { versions.append(v) } }
        let preferred = types.first?.preferredVersion ?? versions.first ?? "v1"
        let entry = { (v: String) -> JSON in ["groupVersion": .string("\(name)/\(v)"), "version": .string(v)] }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(name),
                "versions": .array(versions.map(entry)), "preferredVersion": entry(preferred)]
    }

    static func resourceList(groupVersion: String, version: String, types: [ResourceType]) -> JSON {
        var resources: [JSON] = []
        for type in types where type.versions.contains(version) {
            var entry: JSON = ["name": .string(type.resource), "singularName": .string(type.singular),
                               "namespaced": .bool(type.namespaced), "kind": .string(type.kind), "verbs": verbs]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
            resources.append(entry)
            if type.hasStatusSubresource {
                resources.append(["name": .string(type.resource + "/status"), "singularName": "",
                                  "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                                  "verbs": ["get", "patch", "update"]])
            }
            if type.key == "serviceaccounts" {
                resources.append(["name": "serviceaccounts/token", "singularName": "", "namespaced": true,
                                  "group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest",
                                  "verbs": ["create"]])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion),
                "resources": .array(resources)]
    }

    static let version: JSON = [
        "major": "1", "minor": "31", "gitVersion": "v1.31.0-estest", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.22.0", "compiler": "gc",
        "platform": "linux/amd64",
    ]
}
