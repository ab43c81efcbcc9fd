import ESJSON
import ESReconciler
import Foundation

/// A small in-memory Kubernetes API for reconcile-flow unit tests: resourceVersions, uids,
/// generation on spec changes, the status subresource, finalizer-aware deletion, owner GC, events,
/// and injectable failures. Watches are not implemented (reconciles are driven directly).
final class InMemoryCluster: ClusterAPI, @unchecked Sendable {
    struct Event: Equatable { var type: String; var reason: String; var message: String }

    private let lock = NSLock()
    private var objects: [String: JSON] = [:]
    private var nextVersion = 1
    private(set) var recordedEvents: [Event] = []
    private(set) var writes: [String] = []
    /// Fails the next matching calls: (verb, resource) → error.
    var failures: [(verb: String, resource: ClusterResource, error: ClusterAPIError)] = []

    private func key(_ r: ClusterResource, _ ns: String?, _ name: String) -> String { "\(r.rawValue)/\(ns ?? "")/\(name)" }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func injected(_ verb: String, _ r: ClusterResource) -> ClusterAPIError? {
        guard let i = failures.firstIndex(where: { $0.verb == verb && $0.resource == r }) else { return nil }
        return failures.remove(at: i).error
    }

    func object(_ r: ClusterResource, _ ns: String?, _ name: String) -> JSON? { locked { objects[key(r, ns, name)] } }
    var events: [Event] { locked { recordedEvents } }
    var writeLog: [String] { locked { writes } }

    /// Stores `object` as is (test setup), assigning uid/resourceVersion.
    @discardableResult
    func seed(_ r: ClusterResource, _ object: JSON) -> JSON {
        locked {
            var o = object
            stamp(&o, new: true)
            objects[key(r, o[path: ["metadata", "namespace"]]?.stringValue, o[path: ["metadata", "name"]]?.stringValue ?? "")] = o
            return o
        }
    }

    private func stamp(_ o: inout JSON, new: Bool) {
        if new {
            o[path: ["metadata", "uid"]] = .string(UUID().uuidString.lowercased())
            o[path: ["metadata", "creationTimestamp"]] = "2026-01-01T00:00:00Z"
            if o[path: ["metadata", "generation"]] == nil { o[path: ["metadata", "generation"]] = 1 }
        }
        nextVersion += 1
        o[path: ["metadata", "resourceVersion"]] = .string(String(nextVersion))
    }

    func get(_ r: ClusterResource, namespace: String?, name: String) async throws -> JSON? {
        try locked {
            if let e = injected("get", r) { throw e }
            return objects[key(r, namespace, name)]
        }
    }

    func list(_ r: ClusterResource, namespace: String?, labelSelector: String?) async throws -> (items: [JSON], resourceVersion: String) {
        try locked {
            if let e = injected("list", r) { throw e }
            let prefix = "\(r.rawValue)/\(namespace ?? "")/"
            var items = objects.filter { namespace == nil ? $0.key.hasPrefix("\(r.rawValue)/") : $0.key.hasPrefix(prefix) }.map(\.value)
            if let selector = labelSelector, let eq = selector.firstIndex(of: "=") {
                let k = String(selector[..<eq]), v = String(selector[selector.index(after: eq)...])
                items = items.filter { $0[path: ["metadata", "labels", k]]?.stringValue == v }
            }
            return (items, String(nextVersion))
        }
    }

    func create(_ r: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON {
        try locked {
            if let e = injected("create", r) { throw e }
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            let k = key(r, namespace, name)
            if objects[k] != nil { throw ClusterAPIError(code: 409, reason: "AlreadyExists", message: "\(r.rawValue) \"\(name)\" already exists") }
            var o = object
            o[path: ["metadata", "namespace"]] = namespace.map { .string($0) }
            stamp(&o, new: true)
            objects[k] = o
            writes.append("create \(r.rawValue) \(name)")
            return o
        }
    }

    func update(_ r: ClusterResource, namespace: String?, _ object: JSON, fieldManager: String?) async throws -> JSON {
        try locked {
            if let e = injected("update", r) { throw e }
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            let k = key(r, namespace, name)
            guard let current = objects[k] else { throw ClusterAPIError(code: 404, reason: "NotFound", message: "not found") }
            if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue,
               rv != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw ClusterAPIError(code: 409, reason: "Conflict", message: "the object has been modified")
            }
            if current["immutable"]?.boolValue == true, current["data"] != object["data"] {
                throw ClusterAPIError(code: 422, reason: "Invalid", message: "field is immutable when `immutable` is set")
            }
            var o = object
            o["status"] = current["status"]
            o[path: ["metadata", "uid"]] = current[path: ["metadata", "uid"]]
            stamp(&o, new: false)
            objects[k] = o
            writes.append("update \(r.rawValue) \(name)")
            return o
        }
    }

    func updateStatus(_ r: ClusterResource, namespace: String?, _ object: JSON) async throws -> JSON {
        try locked {
            if let e = injected("updateStatus", r) { throw e }
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            let k = key(r, namespace, name)
            guard var current = objects[k] else { throw ClusterAPIError(code: 404, reason: "NotFound", message: "not found") }
            if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue,
               rv != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw ClusterAPIError(code: 409, reason: "Conflict", message: "the object has been modified")
            }
            current["status"] = object["status"]
            stamp(&current, new: false)
            objects[k] = current
            return current
        }
    }

    func mergePatch(_ r: ClusterResource, namespace: String?, name: String, _ patch: JSON, fieldManager: String?) async throws -> JSON {
        try locked {
            if let e = injected("patch", r) { throw e }
            let k = key(r, namespace, name)
            guard var current = objects[k] else { throw ClusterAPIError(code: 404, reason: "NotFound", message: "not found") }
            if let rv = patch[path: ["metadata", "resourceVersion"]]?.stringValue,
               rv != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw ClusterAPIError(code: 409, reason: "Conflict", message: "the object has been modified")
            }
            Self.merge(&current, patch)
            stamp(&current, new: false)
            writes.append("patch \(r.rawValue) \(name)")
            if current[path: ["metadata", "deletionTimestamp"]] != nil,
               (current[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty {
                remove(k, current)
                return current
            }
            objects[k] = current
            return current
        }
    }

    static func merge(_ target: inout JSON, _ patch: JSON) {
        guard case .object(let p) = patch else { target = patch; return }
        if target.objectValue == nil { target = .object(JSONObject()) }
        for (k, v) in p {
            if v.isNull { target[k] = nil; continue }
            var child = target[k] ?? .null
            if case .object = v { merge(&child, v) } else { child = v }
            target[k] = child
        }
    }

    func delete(_ r: ClusterResource, namespace: String?, name: String, preconditionUID: String?) async throws {
        try locked {
            if let e = injected("delete", r) { throw e }
            let k = key(r, namespace, name)
            guard var current = objects[k] else { throw ClusterAPIError(code: 404, reason: "NotFound", message: "not found") }
            if let uid = preconditionUID, uid != current[path: ["metadata", "uid"]]?.stringValue {
                throw ClusterAPIError(code: 409, reason: "Conflict", message: "precondition failed")
            }
            writes.append("delete \(r.rawValue) \(name)")
            if !(current[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty {
                current[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z"
                stamp(&current, new: false)
                objects[k] = current
                return
            }
            remove(k, current)
        }
    }

    /// Removes an object and garbage-collects objects it owns.
    private func remove(_ k: String, _ object: JSON) {
        objects.removeValue(forKey: k)
        guard let uid = object[path: ["metadata", "uid"]]?.stringValue else { return }
        for (key, o) in objects where (o[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains(where: {
            $0["uid"]?.stringValue == uid
        }) {
            remove(key, o)
        }
    }

    func watch(_ r: ClusterResource, namespace: String?, resourceVersion: String,
               labelSelector: String?) -> AsyncThrowingStream<ClusterWatchEvent, any Error> {
        AsyncThrowingStream { $0.finish() }
    }

    func recordEvent(about object: JSON, type: String, reason: String, message: String, component: String) async {
        locked { recordedEvents.append(Event(type: type, reason: reason, message: message)) }
    }
}
