// Which replica may write.

/// Whether this replica currently holds the write lease.
public protocol Leadership: Sendable {
    var isLeader: Bool { get }
    /// Runs the election until cancelled (no-op for a single replica).
    func run() async
    /// Yields when leadership is gained or lost.
    func transitions() -> AsyncStream<Bool>
}

/// A single replica that always leads (standalone mode, or leader election disabled).
public struct SoleLeader: Leadership {
    public init() {}
    public var isLeader: Bool { true }
    public func run() async {}
    public func transitions() -> AsyncStream<Bool> {
        AsyncStream { $0.finish() }
    }
}
