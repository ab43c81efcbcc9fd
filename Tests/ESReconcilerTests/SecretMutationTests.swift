import ESJSON
import ESReconciler
import Testing

@Suite struct SecretMutationTests {
    static func es(policy: String = "Owner", immutable: Bool = false, template: JSON? = nil,
                   labels: JSON = [:]) -> ExternalSecretView {
        var json: JSON = [
            "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": ["name": "es", "namespace": "ns", "uid": "uid-1", "labels": labels],
            "spec": ["target": ["name": "target", "creationPolicy": .string(policy), "immutable": .bool(immutable)]],
        ]
        if let template { json[path: ["spec", "target", "template"]] = template }
        return ExternalSecretView(json: json)
    }

    @Test func newOwnerSecretCarriesUpstreamMetadata() async throws {
        let secret = try await SecretMutation.desiredSecret(existing: nil, externalSecret: Self.es(labels: ["app": "web"]),
                                                            data: ["k": Array("hi".utf8)], templating: nil)
        #expect(secret[path: ["metadata", "name"]] == "target")
        #expect(secret[path: ["data", "k"]] == "aGk=")
        #expect(secret[path: ["metadata", "labels", ManagedLabels.managed]] == "true")
        #expect(secret[path: ["metadata", "labels", "app"]] == "web", "ES labels are copied without a template")
        #expect(secret[path: ["metadata", "labels", ManagedLabels.createdBy]]?.stringValue == ObjectHash.ofString("ns/es"))
        #expect(secret[path: ["metadata", "annotations", ManagedLabels.dataHash]]?.stringValue
            == ObjectHash.ofSecretData(["k": Array("hi".utf8)]))
        let owner = try #require(secret[path: ["metadata", "ownerReferences"]]?[0])
        #expect(owner == ["apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "name": "es", "uid": "uid-1",
                          "controller": true, "blockOwnerDeletion": true])
        #expect(SecretData.isValidManaged(secret))
    }

    @Test func mergeKeepsForeignKeysAndDropsOurManagedOnes() async throws {
        let existing: JSON = [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": "target", "namespace": "ns", "managedFields": [
                ["manager": "externalsecrets.external-secrets.io/es", "operation": "Update",
                 "fieldsV1": ["f:data": ["f:old": [:]]]],
            ]],
            "data": ["foreign": "Zm9v", "old": "b2xk"],
        ]
        let secret = try await SecretMutation.desiredSecret(existing: existing, externalSecret: Self.es(policy: "Merge"),
                                                            data: ["new": [1]], templating: nil)
        #expect(secret["data"] == ["foreign": "Zm9v", "new": "AQ=="])
        #expect(secret[path: ["metadata", "ownerReferences"]] == nil)
        #expect(secret[path: ["metadata", "labels", ManagedLabels.createdBy]] == nil)
    }

    @Test func ownerReplacesAllData() async throws {
        let existing: JSON = ["metadata": ["name": "target", "namespace": "ns"], "data": ["foreign": "Zm9v"]]
        let secret = try await SecretMutation.desiredSecret(existing: existing, externalSecret: Self.es(),
                                                            data: ["k": [1]], templating: nil)
        #expect(secret["data"] == ["k": "AQ=="])
    }

    @Test func anotherExternalSecretOwnerIsRejected() async {
        let existing: JSON = ["metadata": ["name": "target", "namespace": "ns", "ownerReferences": [
            ["apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "name": "other", "uid": "u2", "controller": true],
        ]]]
        await #expect(throws: SecretMutation.Failure.ownedByAnotherExternalSecret("other")) {
            try await SecretMutation.desiredSecret(existing: existing, externalSecret: Self.es(), data: [:], templating: nil)
        }
    }

    @Test func foreignControllerBlocksOwnerButNotOrphan() async throws {
        let existing: JSON = ["metadata": ["name": "target", "namespace": "ns", "ownerReferences": [
            ["apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "u3", "controller": true],
        ]]]
        await #expect(throws: SecretMutation.Failure.self) {
            try await SecretMutation.desiredSecret(existing: existing, externalSecret: Self.es(), data: [:], templating: nil)
        }
        let orphan = try await SecretMutation.desiredSecret(existing: existing, externalSecret: Self.es(policy: "Orphan"),
                                                            data: [:], templating: nil)
        #expect(orphan[path: ["metadata", "ownerReferences"]]?.arrayValue?.count == 1)
    }

    @Test func templateWithoutEngineIsAClearError() async {
        await #expect(throws: SecretMutation.Failure.template("target.template is not supported yet by this controller")) {
            try await SecretMutation.desiredSecret(existing: nil, externalSecret: Self.es(template: ["data": ["a": "{{ .b }}"]]),
                                                   data: [:], templating: nil)
        }
    }

    @Test func immutableTargetKeepsExistingData() async throws {
        let existing: JSON = ["metadata": ["name": "target", "namespace": "ns"], "data": ["k": "AQ=="], "immutable": true]
        let secret = try await SecretMutation.desiredSecret(existing: existing, externalSecret: Self.es(immutable: true),
                                                            data: ["k": [2]], templating: nil)
        #expect(secret["data"] == ["k": "AQ=="])
        #expect(secret["immutable"] == true)
        #expect(!SecretMutation.dataOrTypeDiffers(secret, existing))
    }

    @Test func unchangedSecretDoesNotDiffer() async throws {
        let first = try await SecretMutation.desiredSecret(existing: nil, externalSecret: Self.es(), data: ["k": [1]], templating: nil)
        var stored = first
        stored[path: ["metadata", "resourceVersion"]] = "5"
        stored[path: ["metadata", "uid"]] = "x"
        let second = try await SecretMutation.desiredSecret(existing: stored, externalSecret: Self.es(), data: ["k": [1]], templating: nil)
        #expect(!SecretMutation.differs(second, stored))
        let third = try await SecretMutation.desiredSecret(existing: stored, externalSecret: Self.es(), data: ["k": [9]], templating: nil)
        #expect(SecretMutation.differs(third, stored))
    }
}
