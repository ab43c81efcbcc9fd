import ESJSON
import ESProviders
import ESReconciler
import Testing

/// A client whose every call fails with a given error (used to check error paths).
struct FailingClient: SecretsClient {
    var error: ProviderError
    func getSecret(_ ref: RemoteRef) async throws -> [UInt8] { throw error }
    func getSecretMap(_ ref: RemoteRef) async throws -> [String: [UInt8]] { throw error }
    func getAllSecrets(_ find: FindRef) async throws -> [String: [UInt8]] { throw error }
    func validate() async -> ValidationOutcome { .error(error.message) }
    func close() async {}
}

actor EventLog {
    var events: [(String, String)] = []
    func record(_ reason: String, _ message: String) { events.append((reason, message)) }
}

@Suite struct ProviderDataFetcherTests {
    static let fakeSpec: JSON = ["data": [
        ["key": "/db", "value": #"{"user":"admin","port":5432,"nested":{"a":1}}"#],
        ["key": "/db", "value": #"{"user":"v2"}"#, "version": "v2"],
        ["key": "plain", "value": "aGVsbG8="],
        ["key": "app/one", "value": "1"],
        ["key": "app/two", "value": "2"],
    ], "validationResult": 1]

    static func es(_ spec: JSON, deletionPolicy: String = "Retain") -> ExternalSecretView {
        var spec = spec
        spec["secretStoreRef"] = ["name": "fake", "kind": "SecretStore"]
        spec["target"] = ["deletionPolicy": .string(deletionPolicy)]
        return ExternalSecretView(json: ["metadata": ["name": "es", "namespace": "ns"], "spec": spec])
    }

    static func fetch(_ es: ExternalSecretView, client: any SecretsClient, log: EventLog = EventLog()) async throws -> [String: [UInt8]] {
        try await ProviderDataFetcher().fetch(es, clients: { _ in client }, events: { await log.record($0, $1) })
    }

    @Test func dataOverridesDataFromAndDecodes() async throws {
        let client = try FakeSecretsClient(providerSpec: Self.fakeSpec)
        let es = Self.es([
            "dataFrom": [["extract": ["key": "/db"]]],
            "data": [
                ["secretKey": "user", "remoteRef": ["key": "/db", "property": "user", "version": "v2"]],
                ["secretKey": "greeting", "remoteRef": ["key": "plain", "decodingStrategy": "Base64"]],
            ],
        ])
        let out = try await Self.fetch(es, client: client)
        #expect(out["user"] == Array("v2".utf8))
        #expect(out["port"] == Array("5432".utf8))
        #expect(out["nested"] == Array(#"{"a":1}"#.utf8))
        #expect(out["greeting"] == Array("hello".utf8))
    }

    @Test func findByNameConvertsKeys() async throws {
        let client = try FakeSecretsClient(providerSpec: Self.fakeSpec)
        let out = try await Self.fetch(Self.es(["dataFrom": [["find": ["name": ["regexp": "^app/"]]]]]), client: client)
        #expect(out == ["app_one": Array("1".utf8), "app_two": Array("2".utf8)])
        let rewritten = try await Self.fetch(Self.es(["dataFrom": [["find": ["name": ["regexp": "^app/"]],
                                                                    "rewrite": [["regexp": ["source": "app/(.*)", "target": "$1"]]]]]]),
                                             client: client)
        #expect(Set(rewritten.keys).isSubset(of: ["one", "two", "app_one", "app_two"]))
    }

    @Test func missingSecretWithRetainIsAHardError() async throws {
        let client = try FakeSecretsClient(providerSpec: Self.fakeSpec)
        do {
            _ = try await Self.fetch(Self.es(["data": [["secretKey": "x", "remoteRef": ["key": "nope"]]]]), client: client)
            Issue.record("expected an error")
        } catch let error as ProviderDataFetcher.FetchError {
            #expect(error.message == "error processing spec.data[0] (key: nope), err: Secret does not exist")
        }
    }

    @Test func missingSecretWithDeleteIsSkippedWithEvent() async throws {
        let client = try FakeSecretsClient(providerSpec: Self.fakeSpec)
        let log = EventLog()
        let out = try await Self.fetch(Self.es(["data": [["secretKey": "x", "remoteRef": ["key": "nope"]],
                                                         ["secretKey": "y", "remoteRef": ["key": "app/one"]]],
                                                "dataFrom": [["extract": ["key": "gone"]]]],
                                               deletionPolicy: "Delete"), client: client, log: log)
        #expect(out == ["y": Array("1".utf8)])
        let events = await log.events
        #expect(events.map(\.0) == ["MissingProviderSecret", "MissingProviderSecret"])
        #expect(events[0].1 == "secret does not exist at provider using spec.dataFrom[0]")
        #expect(events[1].1 == "secret does not exist at provider using spec.dataFrom[0] (key=nope)")
    }

    @Test(arguments: [ProviderError.auth("access denied"), .transient("timeout"), .throttled("slow down"), .invalid("bad")])
    func nonNotFoundErrorsAreNeverSkipped(error: ProviderError) async {
        let es = Self.es(["data": [["secretKey": "x", "remoteRef": ["key": "k"]]]], deletionPolicy: "Delete")
        await #expect(throws: ProviderDataFetcher.FetchError.self) {
            try await Self.fetch(es, client: FailingClient(error: error))
        }
    }

    @Test func findErrorsAreWrapped() async {
        do {
            _ = try await Self.fetch(Self.es(["dataFrom": [["find": ["name": ["regexp": "x"]]]]]),
                                     client: FailingClient(error: .auth("denied")))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "error processing spec.dataFrom[0].find, err: error getting all secrets: denied")
        }
    }

    @Test func invalidKeysAfterExtract() async throws {
        let client = try FakeSecretsClient(providerSpec: ["data": [["key": "k", "value": #"{"a b":"1"}"#]]])
        do {
            _ = try await Self.fetch(Self.es(["dataFrom": [["extract": ["key": "k"],
                                                            "rewrite": [["regexp": ["source": "x", "target": "y"]]]]]]), client: client)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "error processing spec.dataFrom[0].extract, err: invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): key has invalid character  , only alphanumeric, '-', '.' and '_' are allowed: a b")
        }
    }

    @Test func fakeValidationResult() async throws {
        #expect(try await FakeSecretsClient(providerSpec: ["data": []]).validate() == .ready)
        #expect(try await FakeSecretsClient(providerSpec: Self.fakeSpec).validate() == .unknown)
        #expect(try await FakeSecretsClient(providerSpec: ["data": [], "validationResult": 2]).validate() == .error("unable to validate"))
        #expect(throws: ProviderError.self) { try FakeSecretsClient(providerSpec: nil) }
    }
}
