import ESAPI
import ESJSON
import ESProviderAWS
import ESProviders
import Foundation
import Testing

@Suite("AWS provider: Parameter Store against moto")
struct AWSProviderParameterStoreTests {
    @Test func getParameterTypesVersionsPropertiesAndTags() async throws {
        let f = try await AWSProviderFixture.start()
        try await f.putParameter("/app/plain", "v1", tags: [("team", "blue")])
        try await f.putParameter("/app/plain", "v2", overwrite: true)
        try await f.putParameter("/app/secure", #"{"user":"admin","nested":{"k":"v"}}"#, type: "SecureString")
        try await f.putParameter("/app/list", "a,b,c", type: "StringList")
        let store = try AWSProviderFixture.store(service: "ParameterStore")
        let client = try await f.provider().newClient(store: store, namespace: "default", kube: f.kube)

        #expect(try await client.getSecret(RemoteRef(key: "/app/plain")).text == "v2")
        #expect(try await client.getSecret(RemoteRef(key: "/app/plain", version: "1")).text == "v1")
        #expect(try await client.getSecret(RemoteRef(key: "/app/secure", property: "nested.k")).text == "v")
        #expect(try await client.getSecret(RemoteRef(key: "/app/list")).text == "a,b,c")
        #expect(try await client.getSecretMap(RemoteRef(key: "/app/secure"))["user"]?.text == "admin")
        #expect(try await client.getSecret(RemoteRef(key: "/app/plain", metadataPolicy: .fetch)).text == #"{"team":"blue"}"#)

        let missing = await #expect(throws: ProviderError.self) { try await client.getSecret(RemoteRef(key: "/app/none")) }
        #expect(missing == .secretDoesNotExist)
        let badVersion = await #expect(throws: ProviderError.self) {
            try await client.getSecret(RemoteRef(key: "/app/plain", version: "99"))
        }
        #expect(badVersion?.kind != .notFound)
        await f.stop()
    }

    @Test func findByPathRecursivelyAndByTags() async throws {
        let f = try await AWSProviderFixture.start()
        for i in 0..<23 {
            try await f.putParameter("/svc/\(i % 2 == 0 ? "even" : "odd")/p\(i)", "v\(i)", tags: i < 12 ? [("team", "blue")] : [])
        }
        try await f.putParameter("/other/q", "q", tags: [("team", "blue")])
        let calls = CallLog()
        let provider = f.provider(observer: { _, op, _ in calls.add(op) })
        let client = try await provider.newClient(store: try AWSProviderFixture.store(service: "ParameterStore"),
                                                  namespace: "default", kube: f.kube)

        let byPath = try await client.getAllSecrets(FindRef(path: "/svc", nameRegexp: "p1"))
        #expect(Set(byPath.keys) == Set([1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map { "/svc/\($0 % 2 == 0 ? "even" : "odd")/p\($0)" }))
        #expect(byPath["/svc/odd/p13"]?.text == "v13")
        #expect(calls.entries.filter { $0 == "GetParametersByPath" }.count >= 3)   // 23 parameters, 10 a page

        let everything = try await client.getAllSecrets(FindRef(nameRegexp: ".*"))
        #expect(everything.count == 24)

        calls.clear()
        let byTags = try await client.getAllSecrets(FindRef(tags: ["team": "blue"]))
        #expect(byTags.count == 13)
        #expect(byTags["/other/q"]?.text == "q")
        // 13 values fetched 10 per GetParameters call.
        #expect(calls.entries.filter { $0 == "GetParameters" }.count == 2)
        let byTagsInPath = try await client.getAllSecrets(FindRef(path: "/svc", tags: ["team": "blue"]))
        #expect(byTagsInPath.count == 12)
        await f.stop()
    }
}
