import ESJSON
import ESReconciler
import Testing

@Suite struct RefreshDecisionTests {
    static let now: Int64 = 1_800_000_000

    static func es(policy: String? = nil, interval: String? = "1h", refreshedAgo: Int64? = nil,
                   synced: SyncedState = .current, annotations: JSON = [:]) -> ExternalSecretView {
        var json: JSON = [
            "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": ["name": "es", "namespace": "ns", "generation": 2, "annotations": annotations],
            "spec": [:],
        ]
        if let policy { json[path: ["spec", "refreshPolicy"]] = .string(policy) }
        if let interval { json[path: ["spec", "refreshInterval"]] = .string(interval) }
        var view = ExternalSecretView(json: json)
        if let refreshedAgo {
            json[path: ["status", "refreshTime"]] = .string(RFC3339Time.format(now - refreshedAgo))
        }
        switch synced {
        case .never: break
        case .current: json[path: ["status", "syncedResourceVersion"]] = .string(view.currentResourceVersion)
        case .stale: json[path: ["status", "syncedResourceVersion"]] = "1-abc"
        }
        view = ExternalSecretView(json: json)
        return view
    }

    enum SyncedState { case never, current, stale }

    @Test func periodicRefreshesWhenIntervalElapsed() {
        #expect(!RefreshDecision.shouldRefresh(Self.es(refreshedAgo: 60), now: Self.now))
        #expect(RefreshDecision.shouldRefresh(Self.es(refreshedAgo: 3601), now: Self.now))
        #expect(RefreshDecision.shouldRefresh(Self.es(refreshedAgo: nil, synced: .never), now: Self.now))
        #expect(RefreshDecision.shouldRefresh(Self.es(refreshedAgo: -100), now: Self.now), "refreshTime in the future")
    }

    @Test func periodicRefreshesOnMetadataOrGenerationChange() {
        #expect(RefreshDecision.shouldRefresh(Self.es(refreshedAgo: 60, synced: .stale), now: Self.now))
    }

    @Test func zeroIntervalSyncsOnceAndIgnoresChanges() {
        #expect(RefreshDecision.shouldRefresh(Self.es(interval: "0", refreshedAgo: nil, synced: .never), now: Self.now))
        #expect(!RefreshDecision.shouldRefresh(Self.es(interval: "0s", refreshedAgo: 99999, synced: .stale), now: Self.now))
        #expect(RefreshDecision.requeueAfter(Self.es(interval: "0"), now: Self.now) == nil)
    }

    @Test func createdOnceNeverRefreshesOnceSynced() {
        #expect(RefreshDecision.shouldRefresh(Self.es(policy: "CreatedOnce", refreshedAgo: nil, synced: .never), now: Self.now))
        // Stale version, long-elapsed interval, force-sync annotation: still no.
        let synced = Self.es(policy: "CreatedOnce", refreshedAgo: 999_999, synced: .stale,
                             annotations: ["external-secrets.io/force-sync": "now"])
        #expect(!RefreshDecision.shouldRefresh(synced, now: Self.now))
        #expect(RefreshDecision.requeueAfter(synced, now: Self.now) == nil)
    }

    @Test func onChangeRefreshesOnlyOnChange() {
        #expect(!RefreshDecision.shouldRefresh(Self.es(policy: "OnChange", refreshedAgo: 999_999), now: Self.now))
        #expect(RefreshDecision.shouldRefresh(Self.es(policy: "OnChange", refreshedAgo: 10, synced: .stale), now: Self.now))
    }

    @Test func forceSyncAnnotationChangesTheVersion() {
        let a = Self.es(annotations: ["external-secrets.io/force-sync": "1"])
        let b = Self.es(annotations: ["external-secrets.io/force-sync": "2"])
        #expect(a.currentResourceVersion != b.currentResourceVersion)
        #expect(a.currentResourceVersion.hasPrefix("2-"))
    }

    @Test func requeueAddsBoundedPositiveJitter() throws {
        let fresh = Self.es(refreshedAgo: 600)
        let after = try #require(RefreshDecision.requeueAfter(fresh, now: Self.now))
        #expect(after >= 3000 && after < 3000 + 300)
        #expect(RefreshDecision.requeueAfter(Self.es(refreshedAgo: 4000), now: Self.now) == 0)
        // Different objects land on different offsets.
        var offsets = Set<Double>()
        for i in 0..<20 {
            var json = fresh.json
            json[path: ["metadata", "name"]] = .string("es-\(i)")
            offsets.insert(RefreshDecision.requeueAfter(ExternalSecretView(json: json), now: Self.now) ?? 0)
        }
        #expect(offsets.count > 10)
    }

    @Test func conditionTransitionTimeOnlyChangesOnFlip() throws {
        let first = StatusConditions.set(.failed("could not get secret data from provider"), in: [], now: 100)
        let same = StatusConditions.set(.failed("could not update secret"), in: first, now: 200)
        #expect(same.count == 1)
        #expect(same[0]["lastTransitionTime"] == first[0]["lastTransitionTime"])
        #expect(same[0]["message"] == "could not update secret")
        let flipped = StatusConditions.set(.synced, in: same, now: 300)
        #expect(flipped[0]["lastTransitionTime"]?.stringValue == RFC3339Time.format(300))
        #expect(flipped[0]["reason"] == "SecretSynced")
        #expect(StatusConditions.readyCondition(in: flipped) == .synced)
    }

    @Test func rfc3339RoundTrip() {
        #expect(RFC3339Time.format(0) == "1970-01-01T00:00:00Z")
        #expect(RFC3339Time.parse("2026-11-23T05:26:43Z") == 1_795_411_603)
        #expect(RFC3339Time.parse(RFC3339Time.format(Self.now)) == Self.now)
        #expect(RFC3339Time.parse("2026-11-23T06:26:43+01:00") == 1_795_411_603)
        #expect(RFC3339Time.parse("yesterday") == nil)
    }

    @Test func clusterStoreConditions() {
        let store: JSON = ["spec": ["conditions": [
            ["namespaceSelector": ["matchLabels": ["team": "a"]]],
            ["namespaces": ["exact"]],
            ["namespaceRegexes": ["^dev-"]],
        ]]]
        #expect(ClusterStoreConditions.allows(store: store, namespace: "x", namespaceLabels: ["team": "a"]))
        #expect(ClusterStoreConditions.allows(store: store, namespace: "exact", namespaceLabels: [:]))
        #expect(ClusterStoreConditions.allows(store: store, namespace: "dev-1", namespaceLabels: [:]))
        #expect(!ClusterStoreConditions.allows(store: store, namespace: "prod", namespaceLabels: ["team": "b"]))
        #expect(ClusterStoreConditions.allows(store: ["spec": [:]], namespace: "any", namespaceLabels: [:]))
        #expect(ClusterStoreConditions.deniedMessage(store: "css", namespace: "prod")
            == "using cluster store \"css\" is not allowed from namespace \"prod\": denied by spec.condition")
    }
}

@Suite struct SyncWindowTests {
    // 2026-11-23T05:26:43Z is a Monday.
    static let monday0526: Int64 = 1_795_411_603

    @Test func denyBlocksWhileAWindowIsActive() {
        let deny: JSON = ["kind": "deny", "windows": [["schedule": "0 5 * * *", "duration": "1h"]]]
        #expect(!SyncWindows.allowsRefresh(deny, now: Self.monday0526))
        #expect(SyncWindows.allowsRefresh(deny, now: Self.monday0526 + 3600))
    }

    @Test func allowOnlyInsideAWindow() {
        let allow: JSON = ["kind": "allow", "windows": [["schedule": "30 5 * * MON", "duration": "10m"]]]
        #expect(!SyncWindows.allowsRefresh(allow, now: Self.monday0526))
        #expect(SyncWindows.allowsRefresh(allow, now: Self.monday0526 + 300))
        #expect(!SyncWindows.allowsRefresh(allow, now: Self.monday0526 + 86_400 + 300), "Tuesday")
    }

    @Test func descriptorsEveryAndInvalidSchedules() {
        #expect(!SyncWindows.allowsRefresh(["kind": "deny", "windows": [["schedule": "@hourly", "duration": "30m"]]],
                                           now: Self.monday0526))
        #expect(!SyncWindows.allowsRefresh(["kind": "deny", "windows": [["schedule": "@every 10m", "duration": "5m"]]],
                                           now: Self.monday0526 - 43 - 60))
        #expect(SyncWindows.allowsRefresh(["kind": "deny", "windows": [["schedule": "not a cron", "duration": "1h"]]],
                                          now: Self.monday0526))
    }

    @Test func periodicRefreshRespectsWindows() {
        var json = RefreshDecisionTests.es(refreshedAgo: 7200).json
        json[path: ["spec", "syncWindows"]] = ["kind": "deny", "windows": [["schedule": "* * * * *", "duration": "1m"]]]
        #expect(!RefreshDecision.shouldRefresh(ExternalSecretView(json: json), now: RefreshDecisionTests.now))
    }
}
