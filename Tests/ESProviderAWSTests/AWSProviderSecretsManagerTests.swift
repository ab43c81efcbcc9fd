import ESAPI
import ESJSON
import ESProviderAWS
import ESProviders
import Foundation
import Testing

@Suite("AWS provider: Secrets Manager against moto")
struct AWSProviderSecretsManagerTests {
    @Test func getSecretWithPropertiesVersionsBinaryAndMetadata() async throws {
        let f = try await AWSProviderFixture.start()
        let firstVersion = try await f.createSecret("app/db", string: #"{"user":"admin","a.b":"dotted","a":{"b":"nested"},"arr":[10,{"x":"y"}],"n":1.50,"i":42,"obj":{"k":"v"}}"#,
                                                    tags: [("team", "blue"), ("env", "prod")])
        try await f.putSecretValue("app/db", #"{"user":"root"}"#)
        _ = try await f.createSecret("app/blob", binaryBase64: "AAEC/w==")
        _ = try await f.createSecret("app/text", string: "plain-value")
        let client = try await f.provider().newClient(store: try AWSProviderFixture.store(), namespace: "default", kube: f.kube)

        #expect(try await client.getSecret(RemoteRef(key: "app/text")).text == "plain-value")
        #expect(try await client.getSecret(RemoteRef(key: "app/db")).text == #"{"user":"root"}"#)
        #expect(try await client.getSecret(RemoteRef(key: "app/db", property: "user")).text == "root")
        let previous = { (property: String) in RemoteRef(key: "app/db", property: property, version: "AWSPREVIOUS") }
        #expect(try await client.getSecret(previous("user")).text == "admin")
        #expect(try await client.getSecret(previous("a.b")).text == "dotted")        // literal dotted key wins
        #expect(try await client.getSecret(previous("a")).text == #"{"b":"nested"}"#)
        #expect(try await client.getSecret(previous("arr.1.x")).text == "y")
        #expect(try await client.getSecret(previous("arr.0")).text == "10")
        #expect(try await client.getSecret(previous("n")).text == "1.5")
        #expect(try await client.getSecret(previous("i")).text == "42")
        #expect(try await client.getSecret(RemoteRef(key: "app/db", property: "user", version: "uuid/\(firstVersion)")).text == "admin")
        #expect(try await client.getSecret(RemoteRef(key: "app/blob")) == [0, 1, 2, 255])

        let missingProperty = await #expect(throws: ProviderError.self) {
            try await client.getSecret(RemoteRef(key: "app/db", property: "nope"))
        }
        #expect(missingProperty?.message == "key nope does not exist in secret app/db")
        #expect(missingProperty?.kind != .notFound)

        let tags = try await client.getSecret(RemoteRef(key: "app/db", metadataPolicy: .fetch))
        #expect(try JSON.parse(tags) == ["team": "blue", "env": "prod"])
        #expect(try await client.getSecret(RemoteRef(key: "app/db", property: "team", metadataPolicy: .fetch)).text == "blue")

        let map = try await client.getSecretMap(RemoteRef(key: "app/db", version: "AWSPREVIOUS"))
        #expect(map["user"]?.text == "admin")
        #expect(map["obj"]?.text == #"{"k":"v"}"#)
        #expect(map["i"]?.text == "42")
        let notObject = await #expect(throws: ProviderError.self) { try await client.getSecretMap(RemoteRef(key: "app/text")) }
        #expect(notObject?.message.hasPrefix("unable to unmarshal secret app/text: ") == true)

        let missing = await #expect(throws: ProviderError.self) { try await client.getSecret(RemoteRef(key: "does/not/exist")) }
        #expect(missing == .secretDoesNotExist)
        #expect(await client.validate() == .ready)
        await f.stop()
    }

    @Test func prefixIsPrependedToKeys() async throws {
        let f = try await AWSProviderFixture.start()
        _ = try await f.createSecret("team-a/token", string: "abc")
        let store = try AWSProviderFixture.store(aws: [("prefix", "team-a/")])
        let client = try await f.provider().newClient(store: store, namespace: "default", kube: f.kube)
        #expect(try await client.getSecret(RemoteRef(key: "token")).text == "abc")
        await f.stop()
    }

    @Test func wrongKeysAreAnAuthErrorNeverNotFound() async throws {
        let f = try await AWSProviderFixture.start()
        _ = try await f.createSecret("x", string: "y")
        try await f.putKubeSecret("wrong", ["id": f.keys.accessKeyID, "secret": "WRONGwrongWRONGwrongWRONGwrong0000000000"])
        let store = try AWSProviderFixture.store(aws: [("auth", ["secretRef": [
            "accessKeyIDSecretRef": ["name": "wrong", "key": "id"],
            "secretAccessKeySecretRef": ["name": "wrong", "key": "secret"]]])])
        let client = try await f.provider().newClient(store: store, namespace: "default", kube: f.kube)
        let error = await #expect(throws: ProviderError.self) { try await client.getSecret(RemoteRef(key: "x")) }
        #expect(error?.kind == .auth)
        #expect(error.map { !$0.message.contains("WRONGwrong") } ?? false)

        let missingKey = try AWSProviderFixture.store(aws: [("auth", ["secretRef": [
            "accessKeyIDSecretRef": ["name": "awssm", "key": "nokey"],
            "secretAccessKeySecretRef": ["name": "awssm", "key": "secret"]]])])
        let keyError = await #expect(throws: ProviderError.self) {
            _ = try await f.provider().newClient(store: missingKey, namespace: "default", kube: f.kube)
        }
        #expect(keyError?.message == #"could not fetch accessKeyID secret: cannot find secret data for key: "nokey""#)
        let noSecret = try AWSProviderFixture.store(aws: [("auth", ["secretRef": [
            "accessKeyIDSecretRef": ["name": "absent", "key": "id"],
            "secretAccessKeySecretRef": ["name": "absent", "key": "secret"]]])])
        let secretError = await #expect(throws: ProviderError.self) {
            _ = try await f.provider().newClient(store: noSecret, namespace: "default", kube: f.kube)
        }
        #expect(secretError?.message.hasPrefix("could not fetch SecretAccessKey secret: ") == true)
        #expect(secretError?.kind != .notFound)
        await f.stop()
    }

    @Test func findByNameTagsAndPathWithPagingAndBatching() async throws {
        let f = try await AWSProviderFixture.start()
        for i in 0..<45 {
            _ = try await f.createSecret("svc/item-\(i)", string: "v\(i)", tags: [("tier", i % 3 == 0 ? "gold" : "basic")])
        }
        _ = try await f.createSecret("other/thing", string: "o", tags: [("tier", "gold")])
        let calls = CallLog()
        let provider = f.provider(observer: { _, op, _ in calls.add(op) })
        let client = try await provider.newClient(store: try AWSProviderFixture.store(), namespace: "default", kube: f.kube)

        let byName = try await client.getAllSecrets(FindRef(nameRegexp: "^svc/item-[0-9]$|item-4[0-4]"))
        #expect(byName.count == 15)
        #expect(byName["svc/item-7"]?.text == "v7")
        #expect(byName["svc/item-44"]?.text == "v44")
        // 15 matches fetched 20 per BatchGetSecretValue: one call, not 15 GetSecretValue.
        #expect(calls.entries.filter { $0 == "BatchGetSecretValue" }.count == 1)
        #expect(!calls.entries.contains("GetSecretValue"))

        let byTags = try await client.getAllSecrets(FindRef(tags: ["tier": "gold"]))
        #expect(byTags.count == 16)
        #expect(byTags["other/thing"]?.text == "o")

        let byTagsAndPath = try await client.getAllSecrets(FindRef(path: "svc/", tags: ["tier": "gold"]))
        #expect(byTagsAndPath.count == 15)
        #expect(byTagsAndPath["other/thing"] == nil)

        let byPathAndName = try await client.getAllSecrets(FindRef(path: "svc/", nameRegexp: "item-1"))
        #expect(Set(byPathAndName.keys) == Set(["svc/item-1"] + (10...19).map { "svc/item-\($0)" }))

        let noOperator = await #expect(throws: ProviderError.self) { try await client.getAllSecrets(FindRef()) }
        #expect(noOperator?.message == "unexpected find operator")
        let badRegex = await #expect(throws: ProviderError.self) { try await client.getAllSecrets(FindRef(nameRegexp: "(a")) }
        #expect(badRegex?.message == "could not compile find.name.regexp [(a]: error parsing regexp: missing closing ): `(a`")
        await f.stop()
    }

    @Test func identicalConcurrentReadsAreCoalesced() async throws {
        let f = try await AWSProviderFixture.start()
        _ = try await f.createSecret("hot", string: "value")
        let calls = CallLog()
        let provider = f.provider(observer: { _, op, _ in calls.add(op) })
        let store = try AWSProviderFixture.store()
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    let client = try await provider.newClient(store: store, namespace: "default", kube: f.kube)
                    return try await client.getSecret(RemoteRef(key: "hot")).text
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(values == Array(repeating: "value", count: 40))
        let stats = await provider.coalescingStatistics()
        #expect(stats.made + stats.joined == 40)
        #expect(calls.entries.filter { $0 == "GetSecretValue" }.count == stats.made)
        await f.stop()
    }

    @Test func concurrentReadsOfDistinctSecretsAreBatchedAndStayCorrect() async throws {
        let f = try await AWSProviderFixture.start()
        for i in 0..<60 { _ = try await f.createSecret("many/s\(i)", string: "value-\(i)") }
        // A second user may call GetSecretValue but not BatchGetSecretValue: reads must fall back (it runs
        // first, while connections are cold and calls queue, so batches are actually attempted and refused).
        let limited = try await f.moto.bootstrapUserWithPolicy("limited", policy:
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"secretsmanager:BatchGetSecretValue","Resource":"*"}]}"#)
        try await f.putKubeSecret("limited", ["id": limited.accessKeyID, "secret": limited.secretAccessKey])
        let limitedStore = try AWSProviderFixture.store(aws: [("auth", ["secretRef": [
            "accessKeyIDSecretRef": ["name": "limited", "key": "id"],
            "secretAccessKeySecretRef": ["name": "limited", "key": "secret"]]])])

        for store in [limitedStore, try AWSProviderFixture.store()] {
            let calls = CallLog()
            let provider = f.provider(observer: { _, op, ok in calls.add("\(op):\(ok)") })
            let results = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for i in 0..<61 {
                    group.addTask {
                        let client = try await provider.newClient(store: store, namespace: "default", kube: f.kube)
                        do {
                            return (i, try await client.getSecret(RemoteRef(key: "many/s\(i)")).text)
                        } catch let error as ProviderError where error == .secretDoesNotExist {
                            return (i, nil)
                        }
                    }
                }
                return try await group.reduce(into: [Int: String?]()) { $0[$1.0] = $1.1 }
            }
            for i in 0..<60 { #expect(results[i] == .some("value-\(i)")) }
            #expect(results[60] == .some(nil))   // many/s60 does not exist: not found, batched or not
            let reads = calls.entries.filter { $0.hasPrefix("GetSecretValue:") || $0.hasPrefix("BatchGetSecretValue:true") }
            #expect(reads.count <= 61 + 1)
        }
        // find by name with a policy that refuses BatchGetSecretValue falls back to GetSecretValue per secret.
        let limitedClient = try await f.provider().newClient(store: limitedStore, namespace: "default", kube: f.kube)
        let found = try await limitedClient.getAllSecrets(FindRef(nameRegexp: "^many/s1[0-9]$"))
        #expect(found.count == 10)
        #expect(found["many/s12"]?.text == "value-12")
        await f.stop()
    }
}
