// Watches turned into "something changed" wake-ups, reconnecting forever.
import ESKube
import Logging

enum KubeWatchTrigger {
    /// Yields once per ADDED/MODIFIED/DELETED event of `kind` matching the selectors; reconnects after errors
    /// (1 s pause) and when the server ends the watch. Finishes when the consumer stops listening.
    static func changes(
        _ kube: KubeClient, _ kind: ResourceKind, namespace: String?, fieldSelector: String? = nil,
        labelSelector: String? = nil, logger: Logger
    ) -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                var resourceVersion: String?
                while !Task.isCancelled {
                    do {
                        let events = kube.watch(kind, namespace: namespace, resourceVersion: resourceVersion,
                                                labelSelector: labelSelector, fieldSelector: fieldSelector,
                                                timeoutSeconds: 300)
                        for try await event in events {
                            if let version = event.resourceVersion { resourceVersion = version }
                            if event.type != .bookmark { continuation.yield() }
                        }
                    } catch {
                        if Task.isCancelled { break }
                        resourceVersion = nil
                        logger.debug("watch failed; reconnecting", metadata: ["kind": "\(kind)", "error": "\(error)"])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One stream that yields whenever any of `streams` does.
    static func merge(_ streams: [AsyncStream<Void>]) -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    for stream in streams {
                        group.addTask {
                            for await _ in stream { continuation.yield() }
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
