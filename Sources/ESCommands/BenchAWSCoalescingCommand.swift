import ArgumentParser
import ESAPI
import ESHTTPClient
import ESJSON
import ESKube
import ESProviderAWS
import ESProviders
import ESTestAPIServer
import Foundation
import Synchronization

/// `external-secrets bench-aws-coalescing` (hidden): N ExternalSecret-style reads (new provider client + one
/// GetSecret each, as a reconcile does) of M distinct Secrets Manager secrets against a moto server with IAM
/// auth on, at several concurrency levels; reports AWS API calls made versus the naive one call per read.
/// Run by `bench/aws-coalescing.sh`, which starts moto.
struct BenchAWSCoalescingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-aws-coalescing",
        abstract: "Measure AWS provider calls (coalescing + batching) for many reads of few secrets against moto.",
        shouldDisplay: false)

    @Option(help: "moto endpoint, e.g. http://127.0.0.1:5000 (IAM auth on, fresh).")
    var endpoint: String

    @Option(help: "Reads (ExternalSecrets) per run.")
    var reads: Int = 1000

    @Option(help: "Distinct secrets read.")
    var secrets: Int = 100

    @Option(help: "Comma-separated concurrency levels (concurrent reconciles).")
    var concurrency: String = "1,10,100"

    func run() async throws {
        let http = HTTPClient()
        let keys = try await BenchMoto(endpoint: endpoint, http: http).bootstrap(secrets: secrets)
        let apiServer = try await TestAPIServer.start()
        defer { Task { await apiServer.stop() } }
        let kube = KubeClient(config: try KubeConfig.parse(kubeconfig: apiServer.kubeconfig()), qps: 100_000, burst: 100_000)
        let data: JSON = ["id": .string(Data(keys.accessKeyID.utf8).base64EncodedString()),
                          "secret": .string(Data(keys.secretAccessKey.utf8).base64EncodedString())]
        _ = try await kube.create(.secrets, namespace: "default", ["apiVersion": "v1", "kind": "Secret",
                                                                  "metadata": ["name": "awssm", "namespace": "default"],
                                                                  "data": data])
        let store = try SecretStore(json: [
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": ["name": "aws", "namespace": "default"],
            "spec": ["provider": ["aws": ["service": "SecretsManager", "region": "us-east-1",
                                          "auth": ["secretRef": ["accessKeyIDSecretRef": ["name": "awssm", "key": "id"],
                                                                 "secretAccessKeySecretRef": ["name": "awssm", "key": "secret"]]]]]],
        ])
        print("moto \(endpoint): \(reads) reads of \(secrets) distinct secrets (read i -> secret i % \(secrets)); naive = 1 GetSecretValue per read")
        print("concurrency  GetSecretValue  BatchGetSecretValue  calls  naive  saved   wall-ms  reads/s")
        for level in concurrency.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) where level > 0 {
            let counts = Mutex<[String: Int]>([:])
            let provider = AWSSecretsProvider(environment: ["AWS_ENDPOINT_URL": endpoint], http: http,
                                              callObserver: { _, call, _ in counts.withLock { $0[call, default: 0] += 1 } })
            let clock = ContinuousClock()
            let start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func addRead(_ i: Int) {
                    group.addTask {
                        let client = try await provider.newClient(store: store, namespace: "default", kube: kube)
                        let value = try await client.getSecret(RemoteRef(key: "bench/secret-\(i % secrets)"))
                        guard value.count > 0 else { throw ValidationError("empty value for read \(i)") }
                        await client.close()
                    }
                }
                while next < min(level, reads) { addRead(next); next += 1 }
                while try await group.next() != nil {
                    if next < reads { addRead(next); next += 1 }
                }
            }
            let elapsed = clock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            let c = counts.withLock { $0 }
            let single = c["GetSecretValue", default: 0], batch = c["BatchGetSecretValue", default: 0]
            let total = c.values.reduce(0, +)
            print(String(format: "%11d  %14d  %19d  %5d  %5d  %4.0f%%  %8.0f  %7.0f", level, single, batch, total, reads,
                         100 * (1 - Double(total) / Double(reads)), ms, Double(reads) / (ms / 1000)))
        }

        let counts = Mutex<[String: Int]>([:])
        let provider = AWSSecretsProvider(environment: ["AWS_ENDPOINT_URL": endpoint], http: http,
                                          callObserver: { _, call, _ in counts.withLock { $0[call, default: 0] += 1 } })
        let client = try await provider.newClient(store: store, namespace: "default", kube: kube)
        let found = try await client.getAllSecrets(FindRef(nameRegexp: "^bench/"))
        let c = counts.withLock { $0 }
        let listPages = c["ListSecrets", default: 0]
        print("find name.regexp ^bench/: \(found.count) secrets with \(listPages) ListSecrets + \(c["BatchGetSecretValue", default: 0]) BatchGetSecretValue calls (upstream: \(listPages) ListSecrets + \(found.count) GetSecretValue)")
    }
}

/// Setup against moto: an IAM user (created in a 3-request no-auth window) and the secrets to read.
struct BenchMoto {
    let endpoint: String
    let http: HTTPClient

    func bootstrap(secrets: Int) async throws -> AWSCredentials {
        _ = try await http.execute(HTTPClientRequest(method: "POST", url: endpoint + "/moto-api/reset-auth",
                                                     headers: [("Content-Type", "text/plain")], body: Array("3".utf8)))
        let dummy = AWSCredentials(accessKeyID: "AKIDBOOTSTRAP", secretAccessKey: "bootstrap")
        _ = try await iam("CreateUser", [("UserName", "bench")], dummy)
        let xml = try await iam("CreateAccessKey", [("UserName", "bench")], dummy)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try await iam("PutUserPolicy", [("UserName", "bench"), ("PolicyName", "all"), ("PolicyDocument", policy)], dummy)
        guard let keyID = Self.xmlValue("AccessKeyId", xml), let secret = Self.xmlValue("SecretAccessKey", xml) else {
            throw ValidationError("moto did not return an access key")
        }
        let keys = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret)
        let sm = AWSServiceClient(service: .secretsManager, region: "us-east-1", endpoint: endpoint, http: http,
                                  credentials: StaticCredentialsProvider(keys))
        for i in 0..<secrets {
            _ = try await sm.callJSON("CreateSecret", ["Name": .string("bench/secret-\(i)"),
                                                       "SecretString": .string(#"{"password":"p\#(i)"}"#)])
        }
        return keys
    }

    private func iam(_ action: String, _ parameters: [(String, String)], _ credentials: AWSCredentials) async throws -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        let form = ([("Action", action), ("Version", "2010-05-08")] + parameters)
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
        let body = Array(form.utf8)
        let authority = endpoint.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        let signed = SigV4Signer(service: "iam", region: "us-east-1")
            .sign(method: "POST", path: "/", query: nil,
                  headers: [("Host", authority), ("Content-Type", "application/x-www-form-urlencoded")],
                  body: body, credentials: credentials, at: .now())
        let response = try await http.execute(HTTPClientRequest(method: "POST", url: endpoint + "/", headers: signed.headers, body: body))
        let text = String(decoding: response.body, as: UTF8.self)
        guard (200..<300).contains(response.status) else { throw ValidationError("IAM \(action) failed: HTTP \(response.status)") }
        return text
    }

    static func xmlValue(_ tag: String, _ xml: String) -> String? {
        guard let open = xml.range(of: "<\(tag)>"), let close = xml.range(of: "</\(tag)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }
}
