import ESJSON
import Logging

/// List-then-watch of one resource, keeping the latest object per `namespace/name` and calling the
/// handler for every change. Re-lists when the watch expires (410) and retries after failures.
///
/// Memory: the list is read page by page (`limit`/`continue`) and each page is folded into the cache
/// and released before the next is requested, so a re-list of ten thousand objects never holds them
/// all parsed at once. Cached objects go through `transform` first (by default `managedFields` are
/// dropped, as controller-runtime's `TransformStripManagedFields` does) and are kept in `CompactJSON` form.
public final class ResourceInformer: Sendable {
    public enum Change: Sendable {
        case added(JSON)
        case updated(old: JSON, new: JSON)
        case deleted(JSON)
    }

    public let resource: ClusterResource
    let api: any ClusterAPI
    let namespace: String?
    let labelSelector: String?
    let pageSize: Int
    let cache: ObjectCache
    let logger: Logger

    /// `indexLabel`: objects are also indexed by `namespace` + the value of this label (`objects(namespace:label:)`).
    /// `transform`: applied to every object before it is cached and handed to the handler; callers that
    /// need what it drops read the object directly.
    public init(api: any ClusterAPI, resource: ClusterResource, namespace: String?, labelSelector: String? = nil,
                indexLabel: String? = nil, pageSize: Int = 500,
                transform: @escaping @Sendable (inout JSON) -> Void = CacheTransforms.stripManagedFields,
                logger: Logger) {
        self.api = api
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.pageSize = max(1, pageSize)
        self.cache = ObjectCache(indexLabel: indexLabel, transform: transform)
        self.logger = logger
    }

    /// Objects of `namespace` whose `indexLabel` equals `value`.
    public func objects(namespace: String, label value: String) async -> [JSON] {
        await cache.indexed(namespace: namespace, value: value)
    }

    public func object(namespace: String?, name: String) async -> JSON? {
        await cache.get(ObjectCache.key(namespace: namespace, name: name))
    }

    /// Whether `namespace/name` is cached (no decoding).
    public func contains(namespace: String?, name: String) async -> Bool {
        await cache.contains(ObjectCache.key(namespace: namespace, name: name))
    }

    /// Every cached object, decoded one at a time (never all of them at once).
    public func forEachObject(_ body: (JSON) async -> Void) async {
        for bytes in await cache.allEncoded() {
            if let object = CompactJSON.decode(bytes) { await body(object) }
        }
    }

    /// Every cached object, decoded. Prefer `forEachObject` for large caches.
    public func objects() async -> [JSON] {
        var all: [JSON] = []
        await forEachObject { all.append($0) }
        return all
    }

    public var count: Int { get async { await cache.count } }

    public var hasSynced: Bool { get async { await cache.synced } }

    /// Runs until the calling task is cancelled.
    public func run(_ handler: @escaping @Sendable (Change) async -> Void) async {
        var resourceVersion: String? = nil
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    resourceVersion = try await relist(handler)
                }
                let stream = api.watch(resource, namespace: namespace, resourceVersion: resourceVersion ?? "",
                                       labelSelector: labelSelector)
                for try await event in stream {
                    switch event {
                    case .added(let object), .modified(let object):
                        if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue { resourceVersion = rv }
                        if let change = await cache.upsert(object) { await handler(change) }
                    case .deleted(let object):
                        if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue { resourceVersion = rv }
                        if let change = await cache.remove(object) { await handler(change) }
                    case .bookmark(let rv):
                        resourceVersion = rv
                    }
                }
            } catch let error as ClusterAPIError where error.isGone {
                resourceVersion = nil
                continue
            } catch {
                if Task.isCancelled { return }
                logger.debug("watch failed; retrying", metadata: ["resource": "\(resource.rawValue)", "error": "\(error)"])
                resourceVersion = nil
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
    }

    /// Lists page by page into the cache, reporting changes as they are found; objects cached before
    /// but absent from the list are reported deleted at the end. Returns the list's resourceVersion.
    func relist(_ handler: @Sendable (Change) async -> Void) async throws -> String {
        var seen = Set<String>()
        var token: String? = nil
        var resourceVersion = ""
        repeat {
            let page = try await api.listPage(resource, namespace: namespace, labelSelector: labelSelector,
                                              limit: pageSize, continueToken: token)
            for item in page.items {
                seen.insert(ObjectCache.key(of: item))
                if let change = await cache.upsert(item) { await handler(change) }
            }
            resourceVersion = page.resourceVersion
            token = page.continueToken
        } while token?.isEmpty == false
        for key in await cache.keys() where !seen.contains(key) {
            if let change = await cache.remove(key: key) { await handler(change) }
        }
        await cache.markSynced()
        return resourceVersion
    }
}

/// Object transforms applied before caching (controller-runtime's `cache.TransformFunc`).
public enum CacheTransforms {
    public static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Drops `metadata.managedFields`: large and never read from a cache (field ownership is read from
    /// a direct GET when it matters). Annotations stay: an ExternalSecret's `syncedResourceVersion`
    /// hashes all of them, the last-applied one included, as upstream does.
    @Sendable public static func stripManagedFields(_ object: inout JSON) {
        if object[path: ["metadata", "managedFields"]] != nil {
            object[path: ["metadata", "managedFields"]] = nil
        }
    }

    /// `stripManagedFields` plus the last-applied annotation (a copy of the whole object as applied),
    /// for caches whose objects are only checked, never hashed or written back.
    @Sendable public static func stripServerBookkeeping(_ object: inout JSON) {
        stripManagedFields(&object)
        if object[path: ["metadata", "annotations", lastAppliedAnnotation]] != nil {
            object[path: ["metadata", "annotations", lastAppliedAnnotation]] = nil
            if object[path: ["metadata", "annotations"]]?.objectValue?.isEmpty == true {
                object[path: ["metadata", "annotations"]] = nil
            }
        }
    }
}
