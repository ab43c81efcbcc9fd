import Synchronization

/// Per-ExternalSecret series (`externalsecret_sync_calls_total`, `_sync_calls_error`,
/// `_status_condition`, `_reconcile_duration`) kept in one plain dictionary (one entry per
/// ExternalSecret for all four families): with tens of thousands of
/// ExternalSecrets, adding a series to swift-prometheus copies the whole metric family, which made
/// metrics the controller's main cost. `exposition()` renders them in the Prometheus text format;
/// the `/metrics` handler appends it to the registry's output.
public final class ObjectMetrics: Sendable {
    public static let shared = ObjectMetrics()

    struct Key: Hashable { var name: String; var namespace: String }
    /// All four families of one ExternalSecret in one 24-byte entry.
    struct Series {
        /// Counters; `nil` (no series yet) is kept apart from 0.
        var syncCalls: UInt32 = 0
        var syncErrors: UInt32 = 0
        /// Nanoseconds; NaN: no series.
        var duration: Double = .nan
        var hasSyncCalls = false
        var hasSyncErrors = false
        /// 0: no series, 1: Ready=False, 2: Ready=True.
        var ready: UInt8 = 0
    }

    private let state = Mutex<[Key: Series]>([:])

    public init() {}

    func syncCall(_ key: Key) {
        state.withLock {
            $0[key, default: Series()].syncCalls &+= 1
            $0[key]?.hasSyncCalls = true
        }
    }

    func syncError(_ key: Key) {
        state.withLock {
            $0[key, default: Series()].syncErrors &+= 1
            $0[key]?.hasSyncErrors = true
        }
    }

    func duration(_ key: Key, nanoseconds: Double) { state.withLock { $0[key, default: Series()].duration = nanoseconds } }
    func ready(_ key: Key, _ value: Bool) { state.withLock { $0[key, default: Series()].ready = value ? 2 : 1 } }
    func clearCondition(_ key: Key) { state.withLock { $0[key]?.ready = 0 } }

    /// The four families in the Prometheus text exposition format (0.0.4), rendered straight into
    /// one buffer under the lock (no snapshot: a copy of the table would be copied again on the next
    /// update while the snapshot is alive).
    public func exposition() -> [UInt8] {
        var out: [UInt8] = []
        exposition(appendingTo: &out)
        return out
    }

    /// Appends the exposition to `out` (e.g. after the registry's families), so `/metrics` can build
    /// its body without concatenating a second multi-megabyte copy at ten thousand ExternalSecrets.
    public func exposition(appendingTo out: inout [UInt8]) {
        state.withLock { series in
            out.reserveCapacity(out.count + 1024 + series.count * 360)
            func append(_ text: String) { out.append(contentsOf: text.utf8) }
            func appendLabels(_ key: Key) {
                append("{name=\"")
                append(Self.escape(key.name))
                append("\",namespace=\"")
                append(Self.escape(key.namespace))
                append("\"")
            }
            func appendNumber(_ value: Double) {
                append(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
                out.append(UInt8(ascii: "\n"))
            }
            append("# HELP externalsecret_sync_calls_total Total number of the External Secret sync calls\n")
            append("# TYPE externalsecret_sync_calls_total counter\n")
            for (key, value) in series {
                guard value.hasSyncCalls else { continue }
                append("externalsecret_sync_calls_total")
                appendLabels(key)
                append("} ")
                appendNumber(Double(value.syncCalls))
            }
            append("# HELP externalsecret_sync_calls_error Total number of the External Secret sync errors\n")
            append("# TYPE externalsecret_sync_calls_error counter\n")
            for (key, value) in series {
                guard value.hasSyncErrors else { continue }
                append("externalsecret_sync_calls_error")
                appendLabels(key)
                append("} ")
                appendNumber(Double(value.syncErrors))
            }
            append("# HELP externalsecret_status_condition The status condition of a specific External Secret\n")
            append("# TYPE externalsecret_status_condition gauge\n")
            for (key, value) in series {
                guard value.ready != 0 else { continue }
                let ready = value.ready == 2
                append("externalsecret_status_condition")
                appendLabels(key)
                append(",condition=\"Ready\",status=\"True\"} ")
                append(ready ? "1\n" : "0\n")
                append("externalsecret_status_condition")
                appendLabels(key)
                append(",condition=\"Ready\",status=\"False\"} ")
                append(ready ? "0\n" : "1\n")
            }
            append("# HELP externalsecret_reconcile_duration The duration time to reconcile the External Secret\n")
            append("# TYPE externalsecret_reconcile_duration gauge\n")
            for (key, value) in series {
                guard !value.duration.isNaN else { continue }
                append("externalsecret_reconcile_duration")
                appendLabels(key)
                append("} ")
                appendNumber(value.duration)
            }
        }
    }

    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for ch in value {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }
}
