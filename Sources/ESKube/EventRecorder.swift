import ESJSON
import Foundation
import Logging

/// `events.k8s.io/v1` Event type.
public enum KubeEventType: String, Sendable {
    case normal = "Normal"
    case warning = "Warning"
}

extension KubeClient {
    /// This host's name, looked up once (not per Event).
    public static let hostName: String = ProcessInfo.processInfo.hostName

    /// Records an `events.k8s.io/v1` Event about `regarding` (any object with metadata). Failures are
    /// logged, never thrown: events are best-effort, as in client-go's recorder.
    public func recordEvent(regarding object: JSON, type: KubeEventType, reason: String, action: String, note: String,
                            reportingController: String = "external-secrets",
                            reportingInstance: String = KubeClient.hostName) async {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? "default"
        let name = object[path: ["metadata", "name"]]?.stringValue ?? "unknown"
        let now = KubeTime.now()
        let eventName = "\(name).\(String(UInt64(now * 1e9), radix: 16))"
        var regarding: JSON = ["kind": object["kind"] ?? "", "apiVersion": object["apiVersion"] ?? "",
                               "name": .string(name)]
        if let ns = object[path: ["metadata", "namespace"]] { regarding["namespace"] = ns }
        if let uid = object[path: ["metadata", "uid"]] { regarding["uid"] = uid }
        if let rv = object[path: ["metadata", "resourceVersion"]] { regarding["resourceVersion"] = rv }
        let event: JSON = [
            "apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": ["name": .string(eventName), "namespace": .string(namespace)],
            "eventTime": .string(KubeTime.formatMicro(now)),
            "reportingController": .string(reportingController), "reportingInstance": .string(reportingInstance),
            "action": .string(action), "reason": .string(reason), "regarding": regarding,
            "note": .string(String(note.prefix(1024))), "type": .string(type.rawValue),
        ]
        do {
            _ = try await create(.events, namespace: namespace, event)
        } catch {
            logger.warning("unable to record event", metadata: ["reason": "\(reason)", "object": "\(namespace)/\(name)",
                                                                 "error": "\(error)"])
        }
    }
}
