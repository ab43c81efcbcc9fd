import Synchronization

/// Per-ExternalSecret series (`externalsecret_sync_calls_total`, `_sync_calls_error`,
/// `_status_condition`, `_reconcile_duration`) kept in plain dictionaries: with tens of thousands of
/// ExternalSecrets, adding a series to swift-prometheus copies the whole metric family, which made
/// metrics the controller's main cost. `exposition()` renders them in the Prometheus text format;
/// the `/metrics` handler appends it to the registry's output.
public final class ObjectMetrics: Sendable {
    public static let shared = ObjectMetrics()

    struct Key: Hashable { var name: String; var namespace: String }
    struct State {
        var syncCalls: [Key: Double] = [:]
        var syncErrors: [Key: Double] = [:]
        var durations: [Key: Double] = [:]
        var ready: [Key: Bool] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func syncCall(_ key: Key) { state.withLock { $0.syncCalls[key, default: 0] += 1 } }
    func syncError(_ key: Key) { state.withLock { $0.syncErrors[key, default: 0] += 1 } }
    func duration(_ key: Key, nanoseconds: Double) { state.withLock { $0.durations[key] = nanoseconds } }
    func ready(_ key: Key, _ value: Bool) { state.withLock { $0.ready[key] = value } }
    func clearCondition(_ key: Key) { _ = state.withLock { $0.ready.removeValue(forKey: key) } }

    /// The four families in the Prometheus text exposition format (0.0.4).
    public func exposition() -> [UInt8] {
        let snapshot = state.withLock { $0 }
        var out = ""
        out.reserveCapacity(256 * (snapshot.syncCalls.count + 1))
        func labels(_ key: Key) -> String {
            "name=\"\(Self.escape(key.name))\",namespace=\"\(Self.escape(key.namespace))\""
        }
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        out += "# HELP externalsecret_sync_calls_total Total number of the External Secret sync calls\n"
        out += "# TYPE externalsecret_sync_calls_total counter\n"
        for (key, value) in snapshot.syncCalls { out += "externalsecret_sync_calls_total{\(labels(key))} \(number(value))\n" }
        out += "# HELP externalsecret_sync_calls_error Total number of the External Secret sync errors\n"
        out += "# TYPE externalsecret_sync_calls_error counter\n"
        for (key, value) in snapshot.syncErrors { out += "externalsecret_sync_calls_error{\(labels(key))} \(number(value))\n" }
        out += "# HELP externalsecret_status_condition The status condition of a specific External Secret\n"
        out += "# TYPE externalsecret_status_condition gauge\n"
        for (key, ready) in snapshot.ready {
            out += "externalsecret_status_condition{\(labels(key)),condition=\"Ready\",status=\"True\"} \(ready ? 1 : 0)\n"
            out += "externalsecret_status_condition{\(labels(key)),condition=\"Ready\",status=\"False\"} \(ready ? 0 : 1)\n"
        }
        out += "# HELP externalsecret_reconcile_duration The duration time to reconcile the External Secret\n"
        out += "# TYPE externalsecret_reconcile_duration gauge\n"
        for (key, value) in snapshot.durations { out += "externalsecret_reconcile_duration{\(labels(key))} \(number(value))\n" }
        return Array(out.utf8)
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
