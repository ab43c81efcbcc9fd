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
    /// All four families of one ExternalSecret in one entry (nil: no series).
    struct Series {
        var syncCalls: Double?
        var syncErrors: Double?
        var duration: Double?
        var ready: Bool?
    }

    private let state = Mutex<[Key: Series]>([:])

    public init() {}

    func syncCall(_ key: Key) { state.withLock { $0[key, default: Series()].syncCalls = ($0[key]?.syncCalls ?? 0) + 1 } }
    func syncError(_ key: Key) { state.withLock { $0[key, default: Series()].syncErrors = ($0[key]?.syncErrors ?? 0) + 1 } }
    func duration(_ key: Key, nanoseconds: Double) { state.withLock { $0[key, default: Series()].duration = nanoseconds } }
    func ready(_ key: Key, _ value: Bool) { state.withLock { $0[key, default: Series()].ready = value } }
    func clearCondition(_ key: Key) { state.withLock { $0[key]?.ready = nil } }

    /// The four families in the Prometheus text exposition format (0.0.4), rendered straight into
    /// one buffer under the lock (no snapshot: a copy of the table would be copied again on the next
    /// update while the snapshot is alive).
    public func exposition() -> [UInt8] {
        state.withLock { series in
            var out: [UInt8] = []
            out.reserveCapacity(64 + series.count * 360)
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
                guard let calls = value.syncCalls else { continue }
                append("externalsecret_sync_calls_total")
                appendLabels(key)
                append("} ")
                appendNumber(calls)
            }
            append("# HELP externalsecret_sync_calls_error Total number of the External Secret sync errors\n")
            append("# TYPE externalsecret_sync_calls_error counter\n")
            for (key, value) in series {
                guard let errors = value.syncErrors else { continue }
                append("externalsecret_sync_calls_error")
                appendLabels(key)
                append("} ")
                appendNumber(errors)
            }
            append("# HELP externalsecret_status_condition The status condition of a specific External Secret\n")
            append("# TYPE externalsecret_status_condition gauge\n")
            for (key, value) in series {
                guard let ready = value.ready else { continue }
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
                guard let duration = value.duration else { continue }
                append("externalsecret_reconcile_duration")
                appendLabels(key)
                append("} ")
                appendNumber(duration)
            }
            return out
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
