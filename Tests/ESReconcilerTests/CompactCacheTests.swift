import ESJSON
import ESReconciler
import Logging
import Synchronization
import Testing

/// The informer caches' compact forms: `CompactJSON` gives back exactly what it was given, the
/// managed-Secret cache form keeps what the reconciler reads, and lists are read page by page.
@Suite struct CompactCacheTests {
    static let externalSecret: JSON = try! JSON.parse(Array("""
        {"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","metadata":{"name":"es-1","namespace":"bench",
        "uid":"10ae75a0-6cf4-4045-aa67-ffe1ea1d3212","creationTimestamp":"2026-11-23T08:09:19Z","generation":1,
        "resourceVersion":"103","finalizers":["externalsecrets.external-secrets.io/externalsecret-cleanup"]},
        "spec":{"secretStoreRef":{"name":"fake","kind":"SecretStore"},"refreshInterval":"1h",
        "data":[{"secretKey":"value","remoteRef":{"key":"key-1"}}]},
        "status":{"binding":{"name":"es-1"},"conditions":[{"type":"Ready","status":"True","reason":"SecretSynced",
        "message":"secret synced","lastTransitionTime":"2026-11-23T08:09:19Z"}],"refreshTime":"2026-11-23T08:09:19Z",
        "syncedResourceVersion":"1-f47fe3c0b255b6dd8047cdffa772587bb829efe7a1cb70febeda2eb2"}}
        """.utf8))

    func roundTrips(_ value: JSON, sourceLocation: SourceLocation = #_sourceLocation) {
        let decoded = CompactJSON.decode(CompactJSON.encode(value))
        #expect(decoded == value, sourceLocation: sourceLocation)
        #expect(decoded?.serialized() == value.serialized(), "key order and number text", sourceLocation: sourceLocation)
    }

    @Test func externalSecretRoundTripsInAQuarterOfItsText() {
        roundTrips(Self.externalSecret)
        let compact = CompactJSON.encode(Self.externalSecret).count
        let text = Self.externalSecret.serialized().count
        #expect(compact * 3 < text, "compact \(compact) bytes vs text \(text)")
    }

    @Test func stringsNearTheSpecialFormsComeBackExactly() {
        let strings = [
            "", "a", "é ✓ 𝄞", "10AE75A0-6CF4-4045-AA67-FFE1EA1D3212", "10ae75a0-6cf4-4045-aa67-ffe1ea1d321",
            "10ae75a0x6cf4-4045-aa67-ffe1ea1d3212", "10ae75a0-6cf4-4045-aa67-ffe1ea1d321g",
            "2026-11-23T08:09:19Z", "0000-00-00T00:00:00Z", "9999-99-99T99:99:99Z", "2026-11-23T08:09:19.5Z",
            "2026-11-23 08:09:19Z", "2026-11-23T08:09:1aZ", "0123456789abcdef", "0123456789abcde", "0123456789abcdeF",
            "0123456789abcdef0", "1-f47fe3c0b255b6dd", "01-f47fe3c0b255b6dd", "0-f47fe3c0b255b6dd", "-f47fe3c0b255b6dd",
            "18446744073709551615-f47fe3c0b255b6dd", "99999999999999999999-f47fe3c0b255b6dd", "1-f47fe3c0b255b6d",
            "True", "true", "reconcile.external-secrets.io/managed", "x-reconcile.external-secrets.io/managed",
        ]
        for s in strings {
            roundTrips(.string(s))
            roundTrips(.object(JSONObject([(s, .string(s))])))
        }
    }

    @Test func everyKindOfValueRoundTrips() {
        roundTrips(.null)
        roundTrips(true)
        roundTrips(false)
        roundTrips(.array([]))
        roundTrips(.object(JSONObject()))
        for text in ["0", "-1", "1.50", "1e5", "-0.0", "12345678901234567890123"] {
            roundTrips(.number(JSONNumber(text: text)))
        }
        roundTrips(["z": 1, "a": [true, .null, ["nested": ["deeper": "value"]]], "m": "ReadWrite"])
    }

    @Test func randomValuesRoundTrip() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<400 { roundTrips(Self.randomJSON(&rng, depth: 0)) }
    }

    @Test func truncatedOrCorruptBytesDecodeToNilWithoutCrashing() {
        let bytes = CompactJSON.encode(Self.externalSecret)
        for cut in 0..<bytes.count { #expect(CompactJSON.decode(Array(bytes[..<cut])) == nil) }
        #expect(CompactJSON.decode(bytes + [0]) == nil)
        #expect(CompactJSON.decode([0xff]) == nil)
        #expect(CompactJSON.decode([0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) == nil)
        var rng = SplitMix(seed: 7)
        for _ in 0..<2000 {
            var mutated = bytes
            mutated[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            _ = CompactJSON.decode(mutated)
        }
    }

    // MARK: - The managed-Secret cache form

    static func managedSecret(data: [String: [UInt8]], hashOf hashed: [String: [UInt8]]) -> JSON {
        ["apiVersion": "v1", "kind": "Secret",
         "metadata": ["name": "s", "namespace": "ns", "uid": "u-1", "resourceVersion": "7",
                      "labels": [.init(stringLiteral: ManagedLabels.managed): "true"],
                      "annotations": [.init(stringLiteral: ManagedLabels.dataHash): .string(ObjectHash.ofSecretData(hashed)),
                                      .init(stringLiteral: CacheTransforms.lastAppliedAnnotation): "{\"big\":true}"],
                      "managedFields": [["manager": "external-secrets", "operation": "Update"]],
                      "ownerReferences": [["apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "name": "es",
                                           "uid": "u-0", "controller": true]]],
         "type": "Opaque", "data": SecretData.encode(data)]
    }

    @Test func cachedSecretKeepsMetadataAndWhetherTheDataMatchesItsHash() {
        let data: [String: [UInt8]] = ["k": Array("v".utf8)]
        var intact = Self.managedSecret(data: data, hashOf: data)
        #expect(SecretData.isValidManaged(intact))
        CachedSecret.transform(&intact)
        #expect(intact["data"] == nil)
        #expect(intact[path: ["metadata", "managedFields"]] == nil)
        #expect(intact[path: ["metadata", "annotations", CacheTransforms.lastAppliedAnnotation]] == nil)
        #expect(intact[path: ["metadata", "ownerReferences"]]?.arrayValue?.count == 1)
        #expect(intact[path: ["metadata", "uid"]]?.stringValue == "u-1")
        #expect(CachedSecret.isValidManaged(intact))

        var edited = Self.managedSecret(data: ["k": Array("edited".utf8)], hashOf: data)
        #expect(!SecretData.isValidManaged(edited))
        CachedSecret.transform(&edited)
        #expect(edited["data"] == nil)
        #expect(!CachedSecret.isValidManaged(edited))

        var unlabelled = Self.managedSecret(data: data, hashOf: data)
        unlabelled[path: ["metadata", "labels"]] = nil
        CachedSecret.transform(&unlabelled)
        #expect(!CachedSecret.isValidManaged(unlabelled))
    }

    @Test func stripServerBookkeepingLeavesOtherAnnotations() {
        var object: JSON = ["metadata": ["name": "x", "managedFields": [["manager": "m"]],
                                         "annotations": [.init(stringLiteral: CacheTransforms.lastAppliedAnnotation): "{}", "keep": "me"]]]
        CacheTransforms.stripServerBookkeeping(&object)
        #expect(object == ["metadata": ["name": "x", "annotations": ["keep": "me"]]])
        var onlyLastApplied: JSON = ["metadata": ["name": "x", "annotations": [.init(stringLiteral: CacheTransforms.lastAppliedAnnotation): "{}"]]]
        CacheTransforms.stripServerBookkeeping(&onlyLastApplied)
        #expect(onlyLastApplied == ["metadata": ["name": "x"]])
    }

    @Test func externalSecretCacheKeepsEveryAnnotationItsResourceVersionHashes() async throws {
        var applied = Self.externalSecret
        applied[path: ["metadata", "annotations"]] = [.init(stringLiteral: CacheTransforms.lastAppliedAnnotation): "{\"spec\":{}}",
                                                      "team": "payments"]
        applied[path: ["metadata", "managedFields"]] = [["manager": "kubectl", "operation": "Apply"]]
        let cluster = PagedCluster()
        cluster.add(applied)
        let informer = ResourceInformer(api: cluster, resource: .externalSecrets, namespace: "bench", logger: .init(label: "test"))
        let task = Task { await informer.run { _ in } }
        defer { task.cancel() }
        for _ in 0..<2000 where !(await informer.hasSynced) { try await Task.sleep(nanoseconds: 5_000_000) }
        let cached = try #require(await informer.object(namespace: "bench", name: "es-1"))
        #expect(cached[path: ["metadata", "managedFields"]] == nil)
        #expect(cached[path: ["metadata", "annotations"]] == applied[path: ["metadata", "annotations"]])
        var direct = applied
        direct[path: ["metadata", "managedFields"]] = nil
        #expect(cached == direct)
        #expect(ExternalSecretView(json: cached).currentResourceVersion == ExternalSecretView(json: applied).currentResourceVersion)
    }

    // MARK: - Paged lists

    @Test func informerListsPageByPageAndIndexesByLabel() async throws {
        let cluster = PagedCluster()
        for i in 0..<7 {
            cluster.add(["apiVersion": "v1", "kind": "Secret",
                         "metadata": ["name": .string("s\(i)"), "namespace": "ns", "resourceVersion": .string("\(i + 1)"),
                                      "labels": ["owner": .string(i % 2 == 0 ? "even" : "odd")],
                                      "managedFields": [["manager": "m"]]],
                         "data": ["k": "dg=="]])
        }
        let informer = ResourceInformer(api: cluster, resource: .secrets, namespace: "ns", indexLabel: "owner", pageSize: 3,
                                        logger: .init(label: "test"))
        let added = Counter()
        let task = Task { await informer.run { if case .added = $0 { added.increment() } } }
        defer { task.cancel() }
        for _ in 0..<2000 where !(await informer.hasSynced) { try await Task.sleep(nanoseconds: 5_000_000) }
        #expect(await informer.hasSynced)
        #expect(cluster.pagesServed == 3, "7 objects in pages of 3")
        #expect(await informer.count == 7)
        #expect(added.value == 7)
        let cached = await informer.object(namespace: "ns", name: "s3")
        #expect(cached?[path: ["metadata", "managedFields"]] == nil)
        #expect(cached?["data"] == ["k": "dg=="])
        let even = await informer.objects(namespace: "ns", label: "even").compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        #expect(Set(even) == ["s0", "s2", "s4", "s6"])
        #expect(await informer.objects(namespace: "other", label: "even").isEmpty)
        #expect(await informer.objects(namespace: "ns", label: "none").isEmpty)
        var visited = 0
        await informer.forEachObject { _ in visited += 1 }
        #expect(visited == 7)
    }

    // MARK: - Helpers

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomString(_ rng: inout SplitMix) -> String {
        let pool = ["", "a", "value", "Ready", "0123456789abcdef0123", "2026-01-02T03:04:05Z", "5-0123456789abcdef",
                    "10ae75a0-6cf4-4045-aa67-ffe1ea1d3212", "ü", "\"quoted\"", "line\nbreak", "\u{0}"]
        var s = pool[Int(rng.next() % UInt64(pool.count))]
        if rng.next() % 3 == 0 { s += String(rng.next() % 1000) }
        return s
    }

    static func randomJSON(_ rng: inout SplitMix, depth: Int) -> JSON {
        switch rng.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(JSONNumber(text: String(Int64(bitPattern: rng.next()) % 100_000)))
        case 3: return .string(randomString(&rng))
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in randomJSON(&rng, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int(rng.next() % 5) { object[randomString(&rng)] = randomJSON(&rng, depth: depth + 1) }
            return .object(object)
        }
    }
}

/// Counts from any task.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// A cluster serving one resource's objects in pages (`limit`/`continue`), with a watch that stays open.
final class PagedCluster: ClusterAPI, Sendable {
    private struct State { var objects: [JSON] = []; var pages = 0 }
    private let state = Mutex(State())

    func add(_ object: JSON) { state.withLock { $0.objects.append(object) } }
    var pagesServed: Int { state.withLock { $0.pages } }

    func listPage(_ resource: ClusterResource, namespace: String?, labelSelector: String?, limit: Int,
                  continueToken: String?) async throws -> ClusterListPage {
        state.withLock { s in
            s.pages += 1
            let start = Int(continueToken ?? "0") ?? 0
            let end = min(s.objects.count, start + limit)
            return ClusterListPage(items: Array(s.objects[start..<end]), resourceVersion: "100",
                                   continueToken: end < s.objects.count ? String(end) : nil)
        }
    }

    func list(_ resource: ClusterResource, namespace: String?, labelSelector: String?) async throws -> (items: [JSON], resourceVersion: String) {
        Issue.record("the informer must list page by page")
        return (state.withLock { $0.objects }, "100")
    }

    func watch(_ resource: ClusterResource, namespace: String?, resourceVersion: String,
               labelSelector: String?) -> AsyncThrowingStream<ClusterWatchEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                try? await Task.sleep(nanoseconds: 3_600_000_000_000)
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func get(_ resource: ClusterResource, namespace: String?, name: String) async throws -> JSON? { nil }
    func create(_ resource: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON { object }
    func update(_ resource: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON { object }
    func updateStatus(_ resource: ClusterResource, namespace: String?, _ object: JSON) async throws -> JSON { object }
    func mergePatch(_ resource: ClusterResource, namespace: String?, name: String, _ patch: JSON,
                    fieldManager: String?) async throws -> JSON { patch }
    func delete(_ resource: ClusterResource, namespace: String?, name: String, preconditionUID: String?) async throws {}
    func recordEvent(about object: JSON, type: String, reason: String, message: String, component: String) async {}
}
