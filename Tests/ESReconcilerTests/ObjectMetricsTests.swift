import ESReconciler
import Testing

@Suite struct ObjectMetricsTests {
    @Test func rendersUpstreamFamiliesAndLabels() {
        let store = ObjectMetrics()
        let metrics = ReconcilerMetrics(objects: store)
        metrics.syncCall(name: "es", namespace: "ns")
        metrics.syncCall(name: "es", namespace: "ns")
        metrics.syncError(name: "es", namespace: "ns")
        metrics.statusCondition(name: "es", namespace: "ns", ready: true)
        metrics.reconcileDuration(name: "es", namespace: "ns", seconds: 0.5)
        metrics.statusCondition(name: "q\"uote", namespace: "ns", ready: false)
        let text = String(decoding: store.exposition(), as: UTF8.self)
        #expect(text.contains("# TYPE externalsecret_sync_calls_total counter\n"))
        #expect(text.contains("externalsecret_sync_calls_total{name=\"es\",namespace=\"ns\"} 2\n"))
        #expect(text.contains("externalsecret_sync_calls_error{name=\"es\",namespace=\"ns\"} 1\n"))
        #expect(text.contains("externalsecret_status_condition{name=\"es\",namespace=\"ns\",condition=\"Ready\",status=\"True\"} 1\n"))
        #expect(text.contains("externalsecret_status_condition{name=\"es\",namespace=\"ns\",condition=\"Ready\",status=\"False\"} 0\n"))
        #expect(text.contains("externalsecret_reconcile_duration{name=\"es\",namespace=\"ns\"} 500000000\n"))
        #expect(text.contains("name=\"q\\\"uote\""))
        var appended = Array("# registry families\n".utf8)
        store.exposition(appendingTo: &appended)
        #expect(appended == Array("# registry families\n".utf8) + store.exposition())
        metrics.clearStatusCondition(name: "es", namespace: "ns")
        let cleared = String(decoding: store.exposition(), as: UTF8.self)
        #expect(!cleared.contains("externalsecret_status_condition{name=\"es\""))
    }
}
