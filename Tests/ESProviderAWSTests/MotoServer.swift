import ESHTTPClient
import ESJSON
import ESProviderAWS
import Foundation

/// A moto server (Fixtures/moto_launcher.py) on an ephemeral loopback port, with IAM authentication on.
final class MotoServer: Sendable {
    let process: TestProcess
    let endpoint: String
    let http = HTTPClient()
    static let region = "us-east-1"
    static let allowAllPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#

    private init(process: TestProcess, endpoint: String) {
        self.process = process
        self.endpoint = endpoint
    }

    static func start() async throws -> MotoServer {
        let script = TestProcess.fixtures.appendingPathComponent("moto_launcher.py").path
        let process = try TestProcess("python3", [script])
        let port = await process.firstLine()
        return MotoServer(process: process, endpoint: "http://127.0.0.1:\(port)")
    }

    func stop() { process.stop() }

    /// Lets the next `count` actions through without authentication (moto's `/moto-api/reset-auth`).
    func allowUnauthenticated(_ count: Int) async throws {
        _ = try await http.execute(HTTPClientRequest(method: "POST", url: endpoint + "/moto-api/reset-auth",
                                                     headers: [("Content-Type", "text/plain")], body: Array("\(count)".utf8)))
    }

    /// Creates an IAM user with an allow-all inline policy and returns its access key. The three IAM calls run
    /// in a no-auth window opened just for them; everything afterwards is signature- and policy-checked.
    func bootstrapUser(_ name: String) async throws -> AWSCredentials {
        try await allowUnauthenticated(3)
        let dummy = AWSCredentials(accessKeyID: "AKIDBOOTSTRAP", secretAccessKey: "bootstrap")
        _ = try await iam("CreateUser", [("UserName", name)], dummy)
        let xml = try await iam("CreateAccessKey", [("UserName", name)], dummy)
        _ = try await iam("PutUserPolicy", [("UserName", name), ("PolicyName", "all"),
                                            ("PolicyDocument", Self.allowAllPolicy)], dummy)
        guard let keyID = Self.xmlValue("AccessKeyId", xml), let secret = Self.xmlValue("SecretAccessKey", xml) else {
            throw MotoError(message: "no access key in CreateAccessKey response")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret)
    }

    /// Like `bootstrapUser` with a given inline policy; the no-auth window is not needed: the first user signs.
    func bootstrapUserWithPolicy(_ name: String, policy: String) async throws -> AWSCredentials {
        let admin = try await bootstrapUser(name + "-admin")
        _ = try await iam("CreateUser", [("UserName", name)], admin)
        let xml = try await iam("CreateAccessKey", [("UserName", name)], admin)
        _ = try await iam("PutUserPolicy", [("UserName", name), ("PolicyName", "p"), ("PolicyDocument", policy)], admin)
        guard let keyID = Self.xmlValue("AccessKeyId", xml), let secret = Self.xmlValue("SecretAccessKey", xml) else {
            throw MotoError(message: "no access key in CreateAccessKey response")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret)
    }

    /// Creates a role (trusting everyone) with an allow-all inline policy; returns its ARN.
    func createRole(_ name: String, using credentials: AWSCredentials) async throws -> String {
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity","sts:TagSession"]}]}"#
        let xml = try await iam("CreateRole", [("RoleName", name), ("AssumeRolePolicyDocument", trust)], credentials)
        _ = try await iam("PutRolePolicy", [("RoleName", name), ("PolicyName", "all"),
                                            ("PolicyDocument", Self.allowAllPolicy)], credentials)
        guard let arn = Self.xmlValue("Arn", xml) else { throw MotoError(message: "no role ARN") }
        return arn
    }

    /// A signed IAM query call; throws on non-2xx.
    func iam(_ action: String, _ parameters: [(String, String)], _ credentials: AWSCredentials) async throws -> String {
        let form = ([("Action", action), ("Version", "2010-05-08")] + parameters)
            .map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let response = try await signedPost(service: "iam", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                            body: Array(form.utf8), credentials: credentials)
        let text = String(decoding: response.body, as: UTF8.self)
        guard (200..<300).contains(response.status) else { throw MotoError(message: "\(action): \(response.status) \(text)") }
        return text
    }

    func signedPost(service: String, headers: [(String, String)], body: [UInt8],
                    credentials: AWSCredentials) async throws -> HTTPClientResponse {
        let authority = String(endpoint.dropFirst("http://".count))
        let signed = SigV4Signer(service: service, region: Self.region)
            .sign(method: "POST", path: "/", query: nil, headers: [("Host", authority)] + headers, body: body,
                  credentials: credentials, at: .now())
        return try await http.execute(HTTPClientRequest(method: "POST", url: endpoint + "/", headers: signed.headers, body: body))
    }

    func client(_ service: AWSService, _ credentials: AWSCredentials, retry: AWSRetryPolicy = .standard) -> AWSServiceClient {
        AWSServiceClient(service: service, region: Self.region, endpoint: endpoint, http: http,
                         credentials: StaticCredentialsProvider(credentials), retry: retry)
    }

    static func xmlValue(_ tag: String, _ xml: String) -> String? {
        guard let open = xml.range(of: "<\(tag)>"), let close = xml.range(of: "</\(tag)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

struct MotoError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
