import ESJSON
import Logging

/// Callbacks an informer makes as its cache changes. Keep them quick (enqueue a key, typically).
public struct InformerHandler: Sendable {
    public var onAdd: @Sendable (JSON) async -> Void
    public var onUpdate: @Sendable (_ old: JSON, _ new: JSON) async -> Void
    public var onDelete: @Sendable (JSON) async -> Void

    public init(onAdd: @escaping @Sendable (JSON) async -> Void = { _ in },
                onUpdate: @escaping @Sendable (JSON, JSON) async -> Void = { _, _ in },
                onDelete: @escaping @Sendable (JSON) async -> Void = { _ in }) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }
}

/// client-go's shared informer: list, then watch from the list's resourceVersion, keeping a local
/// cache (indexed by namespace/name and by label) and calling handlers. Watches that end are resumed
/// from the last resourceVersion seen (bookmarks included); `410 Gone` triggers a fresh list, and
/// objects that vanished meanwhile are reported as deleted. Optional periodic resync replays every
/// cached object to `onUpdate`.
public final class Informer: Sendable {
    public let kind: ResourceKind
    public let namespace: String?
    public let labelSelector: String?
    public let fieldSelector: String?
    public let metadataOnly: Bool
    public let resyncPeriod: Duration?
    public let pageSize: Int
    let client: KubeClient
    let logger: Logger

    private struct State {
        var store = InformerStore()
        var handlers: [InformerHandler] = []
        var synced = false
        var resourceVersion = ""
        var lists = 0
        var watches = 0
    }

    private let state = Locked(State())

    public init(client: KubeClient, kind: ResourceKind, namespace: String? = nil, labelSelector: String? = nil,
                fieldSelector: String? = nil, metadataOnly: Bool = false, resyncPeriod: Duration? = nil,
                pageSize: Int = 500, logger: Logger = Logger(label: "informer")) {
        self.client = client
        self.kind = kind
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.metadataOnly = metadataOnly
        self.resyncPeriod = resyncPeriod
        self.pageSize = pageSize
        self.logger = logger
    }

    /// Adds a handler; one added after the cache synced first gets `onAdd` for every cached object.
    public func addHandler(_ handler: InformerHandler) async {
        let existing: [JSON] = state.withLock { s in
            s.handlers.append(handler)
            return s.synced ? Array(s.store.objects.values) : []
        }
        for object in existing { await handler.onAdd(object) }
    }

    // MARK: - Cache reads

    public var hasSynced: Bool { state.withLock { $0.synced } }
    /// The resourceVersion of the last list or event applied.
    public var lastSyncResourceVersion: String { state.withLock { $0.resourceVersion } }
    public var count: Int { state.withLock { $0.store.objects.count } }
    /// How many full lists have run (1 + re-lists after 410).
    public var listCount: Int { state.withLock { $0.lists } }

    public func get(namespace: String?, name: String) -> JSON? {
        state.withLock { $0.store.objects[InformerStore.key(namespace: namespace, name: name)] }
    }

    public func get(key: String) -> JSON? { state.withLock { $0.store.objects[key] } }

    /// Cached objects, optionally in one namespace, sorted by key.
    public func list(namespace: String? = nil) -> [JSON] {
        let objects = state.withLock { $0.store.objects }
        let prefix = namespace.map { $0 + "/" }
        return objects.keys.sorted().compactMap { key in
            guard prefix.map({ key.hasPrefix($0) }) ?? true else { return nil }
            return objects[key]
        }
    }

    /// Cached objects whose label `key` equals `value` (index lookup).
    public func list(label: String, value: String) -> [JSON] {
        state.withLock { s in s.store.keys(label: label, value: value).sorted().compactMap { s.store.objects[$0] } }
    }

    public var keys: [String] { state.withLock { Array($0.store.objects.keys) }.sorted() }

    /// Waits until the first list has been applied; false on timeout or cancellation.
    public func waitForSync(timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !hasSynced {
            if ContinuousClock.now >= deadline || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    // MARK: - Running

    /// Lists and watches until the calling task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listAndWatchLoop() }
            if let resyncPeriod = self.resyncPeriod {
                group.addTask { await self.resyncLoop(every: resyncPeriod) }
            }
            await group.waitForAll()
        }
    }

    private func listAndWatchLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await relist()
                failures = 0
                try await watchUntilGone()
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.warning("list failed", metadata: ["resource": "\(kind)", "error": "\(error)"])
                try? await Task.sleep(for: backoff(failures))
            }
        }
    }

    /// Replaces the cache with a fresh list, reporting adds, updates and deletes.
    private func relist() async throws {
        let (items, resourceVersion) = try await client.listAll(
            kind, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
            pageSize: pageSize, metadataOnly: metadataOnly)
        var fresh = Set<String>()
        var changes: [(old: JSON?, new: JSON?)] = []
        let handlers: [InformerHandler] = state.withLock { s in
            for item in items {
                let key = InformerStore.key(of: item)
                fresh.insert(key)
                let old = s.store.upsert(item)
                if old == nil || old?[path: ["metadata", "resourceVersion"]] != item[path: ["metadata", "resourceVersion"]] {
                    changes.append((old, item))
                }
            }
            for key in s.store.objects.keys where !fresh.contains(key) {
                if let removed = s.store.remove(key: key) { changes.append((removed, nil)) }
            }
            s.resourceVersion = resourceVersion
            s.synced = true
            s.lists += 1
            return s.handlers
        }
        for change in changes {
            for handler in handlers { await dispatch(handler, old: change.old, new: change.new) }
        }
    }

    /// Watches from the cached resourceVersion, re-watching whenever a stream ends, until 410.
    private func watchUntilGone() async throws {
        var failures = 0
        while !Task.isCancelled {
            let from = lastSyncResourceVersion
            do {
                let timeout = Int.random(in: 300...600)
                for try await event in client.watch(kind, namespace: namespace, resourceVersion: from,
                                                    labelSelector: labelSelector, fieldSelector: fieldSelector,
                                                    allowBookmarks: true, timeoutSeconds: timeout,
                                                    metadataOnly: metadataOnly) {
                    failures = 0
                    await apply(event)
                }
            } catch let error as KubeError where error.isGone {
                logger.info("watch expired, re-listing", metadata: ["resource": "\(kind)", "resourceVersion": "\(from)"])
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failures += 1
                if failures > 5 { throw error }
                try await Task.sleep(for: backoff(failures))
            }
        }
        throw CancellationError()
    }

    private func apply(_ event: WatchEvent) async {
        let object = event.object
        let (handlers, old): ([InformerHandler], JSON?) = state.withLock { s in
            if let rv = event.resourceVersion { s.resourceVersion = rv }
            switch event.type {
            case .bookmark:
                return ([], nil)
            case .added, .modified:
                return (s.handlers, s.store.upsert(object))
            case .deleted:
                return (s.handlers, s.store.remove(key: InformerStore.key(of: object)))
            }
        }
        guard event.type != .bookmark else { return }
        for handler in handlers {
            if event.type == .deleted {
                await handler.onDelete(old ?? object)
            } else {
                await dispatch(handler, old: old, new: object)
            }
        }
    }

    private func dispatch(_ handler: InformerHandler, old: JSON?, new: JSON?) async {
        switch (old, new) {
        case (nil, let new?): await handler.onAdd(new)
        case (let old?, let new?): await handler.onUpdate(old, new)
        case (let old?, nil): await handler.onDelete(old)
        case (nil, nil): break
        }
    }

    private func resyncLoop(every period: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: period)
            if Task.isCancelled { return }
            let (objects, handlers) = state.withLock { s in (Array(s.store.objects.values), s.synced ? s.handlers : []) }
            for object in objects {
                for handler in handlers { await handler.onUpdate(object, object) }
            }
        }
    }

    private func backoff(_ failures: Int) -> Duration {
        let capped = min(failures, 6)
        return .milliseconds(Int.random(in: 50...100) * (1 << capped))
    }
}
