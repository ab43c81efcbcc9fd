import ESAPI
import ESJSON
import ESValidation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The repository's `examples/` directory.
let examplesDirectory: String = {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path + "/examples"
}()

func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else { throw ExampleError("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

struct ExampleError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

let exampleFiles = [
    "clusterexternalsecret.yaml", "externalsecret-basic.yaml", "externalsecret-find.yaml", "externalsecret-template.yaml",
    "externalsecret-v1beta1.yaml", "secretstore-aws.yaml", "secretstore-cloud.yaml", "secretstore-saas.yaml", "secretstore-vault.yaml",
]

func exampleDocuments() throws -> [Manifest.Document] {
    try exampleFiles.flatMap { try Manifest.documents(try readFile("\(examplesDirectory)/\($0)")) }
}

@Suite struct ExampleTests {
    @Test func everyExampleDecodesAndPassesEveryRule() throws {
        let documents = try exampleDocuments()
        #expect(documents.count >= 25)
        for document in documents {
            #expect(document.isExternalSecretsObject)
            switch try document.decode() {
            case .externalSecret(let es):
                #expect(Validator.validate(externalSecret: es).issues == [], "\(document.name)")
                #expect(SchemaValidator.validate(externalSecret: es) == [], "\(document.name)")
            case .secretStore(let store):
                let result = Validator.validate(store: store)
                #expect(result.issues == [], "\(document.name)")
                #expect(SchemaValidator.validate(store: store) == [], "\(document.name)")
                if store.spec.provider?.name == "fake" { #expect(result.warnings.count == 1) }
            case .clusterExternalSecret(let ces):
                #expect(Validator.validate(externalSecret: try ExternalSecret(json: ["spec": ces.json["spec"]?["externalSecretSpec"] ?? .null])).issues == [])
            case .pushSecret(let push):
                #expect(push.data.count == 1)
            }
        }
    }

    @Test func decodingErrorsCarryTheYAMLLine() throws {
        let yaml = """
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: x
        spec:
          data:
          - secretKey: a
            remoteRef:
              key: k
          - secretKey: b
            remoteRef:
              key: [1]
        """
        let document = try #require(try Manifest.documents(yaml).first)
        #expect(throws: APIDecodingError(
            path: "spec.data[1].remoteRef.key",
            message: "json: cannot unmarshal array into Go struct field ExternalSecretDataRemoteRef.spec.data.remoteRef.key of type string",
            line: 12)) { try document.decode() }
    }

    @Test func listItemsAreExpandedWithTheirLines() throws {
        let yaml = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: external-secrets.io/v1
          kind: SecretStore
          metadata: {name: a}
          spec:
            provider:
              aws: {service: SecretsManager, region: x}
        - apiVersion: external-secrets.io/v1
          kind: ExternalSecret
          metadata: {name: b}
          spec:
            refreshInterval: never
        """
        let documents = try Manifest.documents(yaml)
        #expect(documents.map(\.kind) == ["SecretStore", "ExternalSecret"])
        #expect(throws: APIDecodingError(path: "spec.refreshInterval", message: #"time: invalid duration "never""#, line: 14)) {
            try documents[1].decode()
        }
    }
}
