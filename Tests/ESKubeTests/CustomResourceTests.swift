import ESJSON
import ESKube
import ESTestAPIServer
import Foundation
import Testing

let widgetCRD: JSON = [
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": ["name": "widgets.example.com"],
    "spec": ["group": "example.com", "scope": "Namespaced",
             "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"],
             "versions": [["name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                           "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]],
]

let widgets = ResourceKind(group: "example.com", version: "v1", resource: "widgets", kind: "Widget", namespaced: true)

@Suite struct CustomResourceTests {
    @Test func statusSubresourceAndGeneration() async throws {
        try await withAPIServer { _, client in
            _ = try await client.create(.customResourceDefinitions, namespace: nil, widgetCRD)
            let created = try await client.create(widgets, namespace: "default",
                                                  ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"],
                                                   "spec": ["size": 1], "status": ["ignored": true]])
            #expect(created[path: ["metadata", "generation"]]?.intValue == 1)
            #expect(created["status"] == nil)

            // Status writes change only status and leave generation alone.
            var withStatus = created
            withStatus["status"] = ["phase": "Ready"]
            withStatus[path: ["spec", "size"]] = 99
            let statusUpdated = try await client.updateStatus(widgets, namespace: "default", withStatus)
            #expect(statusUpdated[path: ["status", "phase"]]?.stringValue == "Ready")
            #expect(statusUpdated[path: ["spec", "size"]]?.intValue == 1)
            #expect(statusUpdated[path: ["metadata", "generation"]]?.intValue == 1)

            // Main-resource writes ignore status; spec changes bump generation, metadata changes do not.
            var specChange = statusUpdated
            specChange[path: ["spec", "size"]] = 2
            specChange["status"] = ["phase": "Overwritten"]
            let specUpdated = try await client.update(widgets, namespace: "default", specChange)
            #expect(specUpdated[path: ["metadata", "generation"]]?.intValue == 2)
            #expect(specUpdated[path: ["status", "phase"]]?.stringValue == "Ready")
            let labelled = try await client.patch(widgets, namespace: "default", name: "w", type: .merge,
                                                  ["metadata": ["labels": ["a": "b"]]])
            #expect(labelled[path: ["metadata", "generation"]]?.intValue == 2)
            let statusPatched = try await client.patch(widgets, namespace: "default", name: "w", type: .merge,
                                                       ["status": ["phase": "Degraded"]], subresource: "status")
            #expect(statusPatched[path: ["status", "phase"]]?.stringValue == "Degraded")

            var unconditional = specUpdated
            unconditional[path: ["metadata", "resourceVersion"]] = nil
            let missingVersion = await expectKubeError { _ = try await client.update(widgets, namespace: "default", unconditional) }
            #expect(missingVersion?.message == "widgets.example.com \"w\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update")

            let strategic = await expectKubeError {
                _ = try await client.patch(widgets, namespace: "default", name: "w", type: .strategicMerge, ["spec": ["size": 3]])
            }
            #expect(strategic?.code == 415)

            let conflict = await expectKubeError { _ = try await client.update(widgets, namespace: "default", specChange) }
            #expect(conflict?.message == "Operation cannot be fulfilled on widgets.example.com \"w\": the object has been modified; please apply your changes to the latest version and try again")

            // Deleting the CRD removes its objects and its endpoint.
            try await client.delete(.customResourceDefinitions, namespace: nil, name: "widgets.example.com")
            let gone = await expectKubeError { _ = try await client.list(widgets, namespace: "default") }
            #expect(gone?.code == 404)
        }
    }

    @Test func crdsLoadedFromDirectory() async throws {
        let dir = try temporaryDirectory()
        try (YAMLText.crd).write(toFile: dir + "/widgets.yaml", atomically: true, encoding: .utf8)
        try await withAPIServer(options: TestAPIServerOptions(crdDirectory: dir)) { server, client in
            #expect(server.store.resourceType(group: "example.com", resource: "widgets")?.hasStatusSubresource == true)
            _ = try await client.create(widgets, namespace: "default",
                                        ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "from-dir"]])
            let list = try await client.list(widgets, namespace: nil)
            #expect(list["kind"]?.stringValue == "WidgetList")
            #expect(list["items"]?.arrayValue?.count == 1)
        }
    }
}

enum YAMLText {
    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names:
            plural: widgets
            singular: widget
            kind: Widget
            listKind: WidgetList
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            additionalPrinterColumns:
            - name: Ready
              type: string
              jsonPath: .status.conditions[?(@.type=="Ready")].status
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true

        """
}
