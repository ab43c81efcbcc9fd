import ESHTTPClient
import ESJSON
import ESProviderAWS
import Foundation
import Testing

/// The AWS API clients against moto with IAM authentication on.
@Suite("AWS API clients against moto")
struct MotoAPIClientTests {
    func object(_ pairs: [(String, JSON)]) -> JSON { .object(JSONObject(pairs)) }

    @Test func signatureAndKeysAreChecked() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let keys = try await moto.bootstrapUser("checker")
        let good = moto.client(.secretsManager, keys)
        _ = try await good.callJSON("CreateSecret", object([("Name", "db"), ("SecretString", "s3cr3t")]))
        let value = try await SecretsManagerClient(client: good).getSecretValue(secretID: "db")
        #expect(value.secretString == "s3cr3t")

        var wrongSecret = keys
        wrongSecret.secretAccessKey = "not-the-right-secret-key-000000000000000"
        let badSignature = await #expect(throws: AWSError.self) {
            try await SecretsManagerClient(client: moto.client(.secretsManager, wrongSecret)).getSecretValue(secretID: "db")
        }
        #expect(badSignature?.kind == .auth)
        #expect(badSignature?.code == "SignatureDoesNotMatch" || badSignature?.code == "InvalidSignatureException")
        #expect(badSignature.map { !$0.description.contains("s3cr3t") } ?? false)

        // moto closes every connection (`Connection: close`); sequential calls keep working on fresh ones.
        let rawResponse = try await moto.signedPost(service: "secretsmanager", headers: [
            ("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "secretsmanager.ListSecrets")],
            body: Array("{}".utf8), credentials: keys)
        #expect(rawResponse.status == 200)
        #expect(rawResponse.header("Connection")?.lowercased() == "close")
        for _ in 0..<20 {
            #expect(try await SecretsManagerClient(client: good).getSecretValue(secretID: "db").secretString == "s3cr3t")
        }

        let unknownKey = AWSCredentials(accessKeyID: "AKIAUNKNOWN000000000", secretAccessKey: "x")
        let badKey = await #expect(throws: AWSError.self) {
            try await SecretsManagerClient(client: moto.client(.secretsManager, unknownKey)).getSecretValue(secretID: "db")
        }
        #expect(badKey?.kind == .auth)
    }

    @Test func secretsManagerOperations() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let keys = try await moto.bootstrapUser("sm")
        let raw = moto.client(.secretsManager, keys)
        let sm = SecretsManagerClient(client: raw)

        let created = try await raw.callJSON("CreateSecret", object([
            ("Name", "app/config"), ("SecretString", #"{"user":"admin","port":5432}"#),
            ("Tags", .array([object([("Key", "team"), ("Value", "blue")])])),
        ]))
        let firstVersion = try #require(created["VersionId"]?.stringValue)
        _ = try await raw.callJSON("PutSecretValue", object([("SecretId", "app/config"), ("SecretString", "v2")]))
        _ = try await raw.callJSON("CreateSecret", object([("Name", "app/blob"), ("SecretBinary", .string("AAEC/w=="))]))

        #expect(try await sm.getSecretValue(secretID: "app/config").secretString == "v2")
        #expect(try await sm.getSecretValue(secretID: "app/config", versionStage: "AWSPREVIOUS").secretString
                == #"{"user":"admin","port":5432}"#)
        #expect(try await sm.getSecretValue(secretID: "app/config", versionID: firstVersion).secretString
                == #"{"user":"admin","port":5432}"#)
        let blob = try await sm.getSecretValue(secretID: "app/blob")
        #expect(blob.secretBinary == [0, 1, 2, 255])
        #expect(blob.secretString == nil)

        let tags = try await sm.describeSecretTags(secretID: "app/config")
        #expect(tags.map { "\($0.key)=\($0.value)" } == ["team=blue"])

        let missing = await #expect(throws: AWSError.self) { try await sm.getSecretValue(secretID: "nope") }
        #expect(missing?.kind == .notFound)
        #expect(missing?.code == "ResourceNotFoundException")

        let badStage = await #expect(throws: AWSError.self) {
            try await sm.getSecretValue(secretID: "app/config", versionStage: "NO_SUCH_STAGE")
        }
        #expect(badStage?.kind != nil)

        _ = try await raw.callJSON("DeleteSecret", object([("SecretId", "app/blob")]))
        let deleted = await #expect(throws: AWSError.self) { try await sm.getSecretValue(secretID: "app/blob") }
        #expect(deleted?.kind == .notFound, "\(String(describing: deleted))")   // "marked for deletion" counts as not found
    }

    @Test func listAndBatchGetPage() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let keys = try await moto.bootstrapUser("pager")
        let raw = moto.client(.secretsManager, keys)
        let sm = SecretsManagerClient(client: raw)
        for i in 0..<25 {
            _ = try await raw.callJSON("CreateSecret", object([
                ("Name", .string("team/s\(i)")), ("SecretString", .string("value-\(i)")),
                ("Tags", .array([object([("Key", "env"), ("Value", .string(i % 2 == 0 ? "even" : "odd"))])])),
            ]))
        }
        var names: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await sm.listSecrets(nextToken: token, maxResults: 10)
            names += page.names
            token = page.nextToken
            pages += 1
        } while token != nil
        #expect(names.count == 25)
        #expect(pages == 3)

        let batch = try await sm.batchGetSecretValue(secretIDs: (0..<20).map { "team/s\($0)" })
        #expect(batch.values.count == 20)
        #expect(Set(batch.values.compactMap(\.secretString)) == Set((0..<20).map { "value-\($0)" }))

        var tagged: [String] = []
        token = nil
        repeat {
            let page = try await sm.batchGetSecretValue(filters: [SecretsManagerFilter(key: "tag-key", values: ["env"]),
                                                                  SecretsManagerFilter(key: "tag-value", values: ["even"])],
                                                        nextToken: token)
            tagged += page.values.map(\.name)
            token = page.nextToken
        } while token != nil
        #expect(Set(tagged) == Set(stride(from: 0, to: 25, by: 2).map { "team/s\($0)" }))
    }

    @Test func parameterStoreOperations() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let keys = try await moto.bootstrapUser("ssm")
        let raw = moto.client(.ssm, keys)
        let ssm = ParameterStoreClient(client: raw)
        func put(_ name: String, _ value: String, _ type: String, overwrite: Bool = false, tags: [(String, String)] = []) async throws {
            var pairs: [(String, JSON)] = [("Name", .string(name)), ("Value", .string(value)), ("Type", .string(type))]
            if overwrite { pairs.append(("Overwrite", .bool(true))) }
            if !tags.isEmpty { pairs.append(("Tags", .array(tags.map { object([("Key", .string($0.0)), ("Value", .string($0.1))]) }))) }
            _ = try await raw.callJSON("PutParameter", object(pairs))
        }
        try await put("/app/plain", "hello", "String", tags: [("team", "blue")])
        try await put("/app/secure", "hunter2", "SecureString")
        try await put("/app/list", "a,b,c", "StringList")
        try await put("/app/plain", "hello-v2", "String", overwrite: true)
        for i in 0..<13 { try await put("/app/deep/p\(i)", "v\(i)", "String", tags: i < 3 ? [("team", "blue")] : []) }

        #expect(try await ssm.getParameter(name: "/app/plain").value == "hello-v2")
        #expect(try await ssm.getParameter(name: "/app/plain:1").value == "hello")
        let secure = try await ssm.getParameter(name: "/app/secure")
        #expect(secure.value == "hunter2")
        #expect(secure.type == "SecureString")
        #expect(try await ssm.getParameter(name: "/app/list").value == "a,b,c")

        let batch = try await ssm.getParameters(names: ["/app/plain", "/app/secure", "/app/absent"])
        #expect(Set(batch.parameters.map(\.name)) == ["/app/plain", "/app/secure"])
        #expect(batch.invalid == ["/app/absent"])

        var found: [String] = []
        var token: String?
        repeat {
            let page = try await ssm.getParametersByPath(path: "/app", recursive: true, nextToken: token)
            found += page.parameters.map(\.name)
            token = page.nextToken
        } while token != nil
        #expect(found.count == 16)

        var tagged: [String] = []
        token = nil
        repeat {
            let page = try await ssm.describeParameters(filters: [SSMParameterFilter(key: "tag:team", option: "Equals", values: ["blue"])],
                                                        nextToken: token)
            tagged += page.names
            token = page.nextToken
        } while token != nil
        #expect(Set(tagged) == ["/app/plain", "/app/deep/p0", "/app/deep/p1", "/app/deep/p2"])

        #expect(try await ssm.listTagsForParameter(name: "/app/plain").map { "\($0.key)=\($0.value)" } == ["team=blue"])

        let missing = await #expect(throws: AWSError.self) { try await ssm.getParameter(name: "/app/none") }
        #expect(missing?.kind == .notFound)
        #expect(missing?.code == "ParameterNotFound")
        let badVersion = await #expect(throws: AWSError.self) { try await ssm.getParameter(name: "/app/plain:99") }
        #expect(badVersion?.kind != .notFound)
    }

    @Test func stsAssumeRoleAndWebIdentity() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let keys = try await moto.bootstrapUser("assumer")
        let roleARN = try await moto.createRole("reader", using: keys)
        _ = try await moto.client(.secretsManager, keys).callJSON("CreateSecret", object([("Name", "s"), ("SecretString", "v")]))

        let sts = STSClient(client: moto.client(.sts, keys))
        let assumed = try await sts.assumeRole(roleARN: roleARN, sessionName: "test", externalID: "ext-1",
                                               tags: [("team", "blue")], transitiveTagKeys: ["team"])
        #expect(assumed.sessionToken?.isEmpty == false)
        #expect(assumed.expiration != nil)
        #expect(assumed.accessKeyID != keys.accessKeyID)
        let viaRole = SecretsManagerClient(client: moto.client(.secretsManager, assumed))
        #expect(try await viaRole.getSecretValue(secretID: "s").secretString == "v")

        // moto cannot authenticate an unsigned request while IAM checking is on, so the (unsigned by design)
        // AssumeRoleWithWebIdentity call gets a one-request window; the calls made with its result are checked.
        try await moto.allowUnauthenticated(1)
        let anonymous = STSClient(client: AWSServiceClient(service: .sts, region: MotoServer.region, endpoint: moto.endpoint,
                                                           http: moto.http, credentials: nil))
        let web = try await anonymous.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: "external-secrets-provider-aws",
                                                                webIdentityToken: "eyJhbGciOiJSUzI1NiJ9.e30.sig")
        #expect(web.sessionToken?.isEmpty == false)
        let viaWeb = SecretsManagerClient(client: moto.client(.secretsManager, web))
        #expect(try await viaWeb.getSecretValue(secretID: "s").secretString == "v")

        let forged = AWSCredentials(accessKeyID: web.accessKeyID, secretAccessKey: web.secretAccessKey, sessionToken: "forged")
        let rejected = await #expect(throws: AWSError.self) {
            try await SecretsManagerClient(client: moto.client(.secretsManager, forged)).getSecretValue(secretID: "s")
        }
        #expect(rejected?.kind == .auth)
    }

    @Test func transportFailuresAreRetriedThenTransient() async throws {
        let moto = try await MotoServer.start()
        let endpoint = moto.endpoint
        moto.stop()
        let calls = CallLog()
        let client = AWSServiceClient(service: .secretsManager, region: "us-east-1", endpoint: endpoint, http: HTTPClient(),
                                      credentials: StaticCredentialsProvider(AWSCredentials(accessKeyID: "a", secretAccessKey: "b")),
                                      retry: AWSRetryPolicy(maxRetries: 2, baseDelay: .milliseconds(1)),
                                      observer: { _, op, ok in calls.add("\(op):\(ok)") })
        let error = await #expect(throws: AWSError.self) {
            try await SecretsManagerClient(client: client).getSecretValue(secretID: "x")
        }
        #expect(error?.kind == .transient)
        #expect(calls.entries == ["GetSecretValue:false"])
    }
}

final class CallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var entries: [String] { lock.lock(); defer { lock.unlock() }; return items }
    func clear() { lock.lock(); items.removeAll(); lock.unlock() }
}
