/// Options shared by the ExternalSecret and store reconcilers (upstream's controller flags).
public struct ReconcilerConfiguration: Sendable {
    /// Compared with a store's `spec.controller`; stores of another class are skipped.
    public var controllerClass: String = "default"
    /// Watch only this namespace (nil: all).
    public var namespace: String? = nil
    /// Parallel reconciles per controller (`--concurrent`).
    public var concurrency: Int = 8
    /// Refuse stores that are not Ready (`--enable-flood-gate`).
    public var enableFloodGate: Bool = true
    public var enableClusterStoreReconciler: Bool = true
    public var enableSecretStoreReconciler: Bool = true
    /// Store re-validation interval when the store sets none (`--store-requeue-interval`), seconds.
    public var storeRequeueInterval: Double = 300
    /// Identical provider reads within this many seconds are coalesced.
    public var coalescingWindow: Double = 1
    /// How long sync-on-admission keeps retrying to read an admitted ExternalSecret, seconds.
    public var admissionReadTimeout: Double = 5
    /// Objects per page when the informers list (`limit`/`continue`): bounds the memory a re-list takes.
    public var listPageSize: Int = 500

    public init() {}
}

/// What to do with a key after one reconcile.
public enum ReconcileOutcome: Sendable, Equatable {
    /// Nothing more to do until something changes.
    case done
    /// Look again after this many seconds.
    case requeue(after: Double)
    /// Look again at once (conflicts, label just added).
    case requeueNow
    /// Failed: retry with the key's exponential backoff.
    case failed(String)

    var metricResult: String {
        switch self {
        case .done: return "success"
        case .requeue: return "requeue_after"
        case .requeueNow: return "requeue"
        case .failed: return "error"
        }
    }
}
