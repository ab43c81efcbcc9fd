import ESAPI
import ESAdmission
import ESJSON
import ESYAML
import Testing

/// Runs the mutating webhook on `json` and returns the decoded JSONPatch (`nil` when none).
func mutate(_ handler: AdmissionHandler, _ json: JSON, kind: String, operation: String = "CREATE") async throws -> JSON? {
    let (status, review) = try await post(handler, routePath(for: kind, webhook: "mutate"), admissionReview(json, operation: operation))
    #expect(status == 200)
    #expect(review["response"]?["allowed"] == true)
    guard let encoded = review["response"]?["patch"]?.stringValue else {
        #expect(review["response"]?["patchType"] == nil)
        return nil
    }
    #expect(review["response"]?["patchType"] == "JSONPatch")
    return try JSON.parse(try #require(base64Decode(encoded)))
}

func base64Decode(_ s: String) -> [UInt8]? {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var table = [Int](repeating: -1, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = i }
    var out: [UInt8] = []
    var buffer = 0
    var bits = 0
    for c in s.utf8 where c != UInt8(ascii: "=") {
        let v = table[Int(c)]
        if v < 0 { return nil }
        buffer = buffer << 6 | v
        bits += 6
        if bits >= 8 {
            bits -= 8
            out.append(UInt8(buffer >> bits & 0xFF))
        }
    }
    return out
}

@Suite struct MutationTests {
    let handler = AdmissionHandler()

    @Test func externalSecretDefaultsAreWrittenExplicitly() async throws {
        let json = try YAML.parse(externalSecretYAML("""
          secretStoreRef:
            name: store
          data:
          - secretKey: a
            remoteRef:
              key: k
          dataFrom:
          - extract:
              key: e
          - find:
              name:
                regexp: x
          - sourceRef:
              generatorRef:
                kind: Password
                name: p
        """))
        let patch = try #require(try await mutate(handler, json, kind: "ExternalSecret"))
        let patched = try JSONPatch.apply(patch, to: json)
        let spec = try #require(patched["spec"])
        #expect(spec["refreshInterval"] == "1h0m0s")
        #expect(spec["secretStoreRef"] == ["name": "store", "kind": "SecretStore"])
        #expect(spec["target"] == ["name": "es", "creationPolicy": "Owner", "deletionPolicy": "Retain"])
        #expect(spec["data"]?[0]?["remoteRef"] == ["key": "k", "conversionStrategy": "Default", "decodingStrategy": "None", "metadataPolicy": "None"])
        #expect(spec["dataFrom"]?[0]?["extract"] == ["key": "e", "conversionStrategy": "Default", "decodingStrategy": "None", "metadataPolicy": "None"])
        #expect(spec["dataFrom"]?[1]?["find"] == ["name": ["regexp": "x"], "conversionStrategy": "Default", "decodingStrategy": "None"])
        #expect(spec["dataFrom"]?[2]?["sourceRef"]?["generatorRef"]?["apiVersion"] == "generators.external-secrets.io/v1alpha1")
        // Reinvocation: nothing left to default.
        #expect(try await mutate(handler, patched, kind: "ExternalSecret") == nil)
    }

    @Test func userValuesAreNeverChanged() async throws {
        let json = try YAML.parse(externalSecretYAML("""
          refreshInterval: 5m
          secretStoreRef:
            name: store
            kind: ClusterSecretStore
          target:
            name: custom
            creationPolicy: Merge
            deletionPolicy: Merge
            template:
              engineVersion: v2
              mergePolicy: Merge
          data:
          - secretKey: a
            remoteRef:
              key: k
              conversionStrategy: Unicode
              decodingStrategy: Base64
        """))
        let patch = try #require(try await mutate(handler, json, kind: "ExternalSecret"))
        #expect(patch == [["op": "add", "path": "/spec/data/0/remoteRef/metadataPolicy", "value": "None"]])
        let patched = try JSONPatch.apply(patch, to: json)
        var expected = json
        expected[path: ["spec", "data"]] = [["secretKey": "a", "remoteRef": [
            "key": "k", "conversionStrategy": "Unicode", "decodingStrategy": "Base64", "metadataPolicy": "None"]]]
        #expect(patched == expected)
        #expect(try await mutate(handler, patched, kind: "ExternalSecret") == nil)
    }

    @Test func nullMembersAreReplaced() async throws {
        var json = try YAML.parse(externalSecretYAML(dataEntry))
        json[path: ["spec", "target"]] = .null
        let patch = try #require(try await mutate(handler, json, kind: "ExternalSecret"))
        let targetOp = try #require(patch.arrayValue?.first { $0["path"] == "/spec/target" })
        #expect(targetOp["op"] == "replace")
        let patched = try JSONPatch.apply(patch, to: json)
        #expect(patched["spec"]?["target"]?["creationPolicy"] == "Owner")
    }

    @Test func unknownFieldsSurvive() async throws {
        var json = try YAML.parse(externalSecretYAML(dataEntry))
        json[path: ["spec", "futureField"]] = ["a": 1]
        json[path: ["metadata", "labels"]] = ["app": "x"]
        let patch = try #require(try await mutate(handler, json, kind: "ExternalSecret"))
        let patched = try JSONPatch.apply(patch, to: json)
        #expect(patched["spec"]?["futureField"] == ["a": 1])
        #expect(patched["metadata"]?["labels"] == ["app": "x"])
    }

    @Test func storeProviderDefaults() async throws {
        let vault = try YAML.parse(storeYAML(provider: """
            vault:
              server: https://vault
              auth:
                kubernetes:
                  role: r
                appRole:
                  roleId: x
                  secretRef: {name: s}
        """))
        let patch = try #require(try await mutate(handler, vault, kind: "SecretStore"))
        let patched = try JSONPatch.apply(patch, to: vault)
        let provider = try #require(patched["spec"]?["provider"]?["vault"])
        #expect(provider["version"] == "v2")
        #expect(provider["auth"]?["kubernetes"]?["mountPath"] == "kubernetes")
        #expect(provider["auth"]?["appRole"]?["path"] == "approle")
        #expect(try await mutate(handler, patched, kind: "SecretStore") == nil)

        let kube = try YAML.parse(storeYAML("ClusterSecretStore", provider: "    kubernetes:\n      server:\n        caBundle: Zm9v\n      auth:\n        serviceAccount: {name: sa}"))
        let kubePatched = try JSONPatch.apply(try #require(try await mutate(handler, kube, kind: "ClusterSecretStore")), to: kube)
        #expect(kubePatched["spec"]?["provider"]?["kubernetes"]?["remoteNamespace"] == "default")
        #expect(kubePatched["spec"]?["provider"]?["kubernetes"]?["server"]?["url"] == "kubernetes.default")

        let aws = try YAML.parse(storeYAML(provider: awsProvider))
        #expect(try await mutate(handler, aws, kind: "SecretStore") == nil)
    }

    @Test func everyExampleIsStableAfterOnePass() async throws {
        for document in try exampleDocuments() {
            guard let kind = ["ExternalSecret", "SecretStore", "ClusterSecretStore"].first(where: { $0 == document.kind }) else { continue }
            let json = document.json
            let once = try await mutate(handler, json, kind: kind).map { try JSONPatch.apply($0, to: json) } ?? json
            #expect(try await mutate(handler, once, kind: kind, operation: "UPDATE") == nil, "\(document.name)")
        }
    }

    @Test func undecodableObjectIsNotPatched() async throws {
        let json = try YAML.parse(externalSecretYAML("  refreshInterval: soon\n" + dataEntry))
        let (_, review) = try await post(handler, routePath(for: "ExternalSecret", webhook: "mutate"), admissionReview(json))
        #expect(review["response"]?["allowed"] == false)
        #expect(review["response"]?["status"]?["code"] == 400)
        #expect(review["response"]?["patch"] == nil)
    }
}
