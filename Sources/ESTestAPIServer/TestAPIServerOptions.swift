/// Knobs for the test API server.
public struct TestAPIServerOptions: Sendable {
    /// Custom resource definitions (`*.yaml`, multi-document) loaded at start.
    public var crdDirectory: String?
    /// How often watches with `allowWatchBookmarks=true` get a BOOKMARK.
    public var bookmarkInterval: Duration
    /// Changes kept for watch resumption; older resourceVersions get `410 Gone`.
    public var historyLimit: Int
    public var eventLoopCount: Int

    public init(crdDirectory: String? = nil, bookmarkInterval: Duration = .seconds(1), historyLimit: Int = 20_000,
                eventLoopCount: Int = 2) {
        self.crdDirectory = crdDirectory
        self.bookmarkInterval = bookmarkInterval
        self.historyLimit = historyLimit
        self.eventLoopCount = eventLoopCount
    }
}
