/// Coalesces identical concurrent calls: while a call for `key` runs, later callers await its result instead of
/// calling again. Nothing is kept after the call finishes (no staleness). Counts calls actually made.
public actor InFlightCalls<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]
    public private(set) var started = 0
    public private(set) var joined = 0

    public init() {}

    public func run(_ key: String, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = running[key] {
            joined += 1
            return try await task.value
        }
        started += 1
        let task = Task { try await operation() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }
}
