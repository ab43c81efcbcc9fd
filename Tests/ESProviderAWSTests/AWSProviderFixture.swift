import ESAPI
import ESJSON
import ESKube
import ESProviderAWS
import ESProviders
import ESTestAPIServer
import Foundation

/// moto (IAM auth on) + the in-process Kubernetes API server + an IAM user whose keys sit in Secret
/// `default/awssm` (keys `id` and `secret`).
final class AWSProviderFixture: Sendable {
    let moto: MotoServer
    let apiServer: TestAPIServer
    let kube: KubeClient
    let keys: AWSCredentials

    private init(moto: MotoServer, apiServer: TestAPIServer, kube: KubeClient, keys: AWSCredentials) {
        self.moto = moto
        self.apiServer = apiServer
        self.kube = kube
        self.keys = keys
    }

    static func start() async throws -> AWSProviderFixture {
        let moto = try await MotoServer.start()
        let apiServer = try await TestAPIServer.start()
        let kube = KubeClient(config: try KubeConfig.parse(kubeconfig: apiServer.kubeconfig()))
        let keys = try await moto.bootstrapUser("eso")
        let fixture = AWSProviderFixture(moto: moto, apiServer: apiServer, kube: kube, keys: keys)
        try await fixture.putKubeSecret("awssm", ["id": keys.accessKeyID, "secret": keys.secretAccessKey])
        return fixture
    }

    func stop() async {
        moto.stop()
        await apiServer.stop()
    }

    var environment: [String: String] { ["AWS_ENDPOINT_URL": moto.endpoint] }

    func provider(environment extra: [String: String] = [:], observer: AWSCallObserver? = nil) -> AWSSecretsProvider {
        AWSSecretsProvider(environment: environment.merging(extra) { $1 }, callObserver: observer)
    }

    func putKubeSecret(_ name: String, _ data: [String: String], namespace: String = "default") async throws {
        var encoded = JSONObject()
        for (k, v) in data.sorted(by: { $0.key < $1.key }) { encoded[k] = .string(Data(v.utf8).base64EncodedString()) }
        let secret: JSON = ["apiVersion": "v1", "kind": "Secret",
                            "metadata": ["name": .string(name), "namespace": .string(namespace)],
                            "data": .object(encoded)]
        _ = try await kube.create(.secrets, namespace: namespace, secret)
    }

    func putServiceAccount(_ name: String, roleARN: String?, namespace: String = "default") async throws {
        var annotations = JSONObject()
        if let roleARN { annotations["eks.amazonaws.com/role-arn"] = .string(roleARN) }
        let account: JSON = ["apiVersion": "v1", "kind": "ServiceAccount",
                             "metadata": ["name": .string(name), "namespace": .string(namespace),
                                          "annotations": .object(annotations)]]
        _ = try await kube.create(.serviceAccounts, namespace: namespace, account)
    }

    /// A SecretStore in `default` for `service` with `aws` fields merged over region + access-key auth.
    static func store(service: String = "SecretsManager", kind: String = "SecretStore", aws extra: [(String, JSON)] = [],
                      retrySettings: JSON? = nil) throws -> SecretStore {
        var aws = JSONObject([
            ("service", .string(service)),
            ("region", "us-east-1"),
            ("auth", ["secretRef": ["accessKeyIDSecretRef": ["name": "awssm", "key": "id"],
                                    "secretAccessKeySecretRef": ["name": "awssm", "key": "secret"]]]),
        ])
        for (k, v) in extra { aws[k] = v }
        var metadata: JSON = ["name": "aws-store"]
        if kind == "SecretStore" { metadata = ["name": "aws-store", "namespace": "default"] }
        var spec = JSONObject([("provider", .object(JSONObject([("aws", .object(aws))])))])
        if let retrySettings { spec["retrySettings"] = retrySettings }
        return try SecretStore(json: ["apiVersion": "external-secrets.io/v1", "kind": .string(kind),
                                      "metadata": metadata, "spec": .object(spec)])
    }

    // Direct AWS setup calls with the IAM user's keys.
    func createSecret(_ name: String, string: String? = nil, binaryBase64: String? = nil,
                      tags: [(String, String)] = []) async throws -> String {
        var input = JSONObject([("Name", .string(name))])
        if let string { input["SecretString"] = .string(string) }
        if let binaryBase64 { input["SecretBinary"] = .string(binaryBase64) }
        if !tags.isEmpty {
            input["Tags"] = .array(tags.map { JSON.object(JSONObject([("Key", .string($0.0)), ("Value", .string($0.1))])) })
        }
        let out = try await moto.client(.secretsManager, keys).callJSON("CreateSecret", .object(input))
        return out["VersionId"]?.stringValue ?? ""
    }

    func putSecretValue(_ name: String, _ string: String) async throws {
        _ = try await moto.client(.secretsManager, keys).callJSON(
            "PutSecretValue", .object(JSONObject([("SecretId", .string(name)), ("SecretString", .string(string))])))
    }

    func putParameter(_ name: String, _ value: String, type: String = "String", overwrite: Bool = false,
                      tags: [(String, String)] = []) async throws {
        var input = JSONObject([("Name", .string(name)), ("Value", .string(value)), ("Type", .string(type))])
        if overwrite { input["Overwrite"] = .bool(true) }
        if !tags.isEmpty {
            input["Tags"] = .array(tags.map { JSON.object(JSONObject([("Key", .string($0.0)), ("Value", .string($0.1))])) })
        }
        _ = try await moto.client(.ssm, keys).callJSON("PutParameter", .object(input))
    }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}
