import ESJSON

/// Upstream `shouldRefresh` (§4.3) and `getRequeueResult` with jitter.
public enum RefreshDecision {
    /// Whether provider data must be fetched again for `es` at `now` (seconds since the epoch).
    /// CreatedOnce reads only the status, so it never refreshes again once synced, restarts included.
    public static func shouldRefresh(_ es: ExternalSecretView, now: Int64) -> Bool {
        let neverSynced = es.syncedResourceVersion.isEmpty || es.refreshTime == nil
        switch es.refreshPolicy {
        case .createdOnce:
            return neverSynced
        case .onChange:
            return neverSynced || es.syncedResourceVersion != es.currentResourceVersion
        case .periodic:
            return shouldRefreshPeriodic(es, now: now)
        }
    }

    static func shouldRefreshPeriodic(_ es: ExternalSecretView, now: Int64) -> Bool {
        let interval = es.refreshIntervalSeconds ?? 3600
        if interval <= 0, !es.syncedResourceVersion.isEmpty { return false }
        if es.syncedResourceVersion != es.currentResourceVersion { return true }
        guard let refreshTime = es.refreshTime else { return true }
        if refreshTime > now { return true }
        if Double(refreshTime) + interval >= Double(now) { return false }
        return SyncWindows.allowsRefresh(es.json[path: ["spec", "syncWindows"]], now: now)
    }

    /// When to look at `es` again after a successful or skipped reconcile; nil = never (interval ≤ 0
    /// or a CreatedOnce secret already synced). A deterministic per-object jitter of up to 10% of the
    /// interval (at most 5 minutes) is added to full intervals, so thousands of ExternalSecrets created
    /// together do not hit the provider in the same second; it only ever delays, so the refresh is due
    /// when the item comes back.
    public static func requeueAfter(_ es: ExternalSecretView, now: Int64) -> Double? {
        let interval = es.refreshIntervalSeconds ?? 3600
        if interval <= 0 { return nil }
        if es.refreshPolicy == .createdOnce, !es.syncedResourceVersion.isEmpty { return nil }
        let jitter = min(interval * 0.1, 300) * jitterFraction(es.namespace + "/" + es.name)
        guard let refreshTime = es.refreshTime else { return interval + jitter }
        let elapsed = Double(now - refreshTime)
        if elapsed < 0 { return 0 }
        if elapsed < interval { return interval - elapsed + jitter }
        return 0
    }

    /// A stable fraction in [0, 1) derived from the object key (FNV-1a).
    static func jitterFraction(_ key: String) -> Double {
        var h: UInt64 = 0xcbf29ce484222325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return Double(h % 10_000) / 10_000
    }
}
