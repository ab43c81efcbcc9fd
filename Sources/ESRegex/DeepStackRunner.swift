import Foundation

/// Runs work whose recursion depth grows with the pattern's nesting (up to Go's limit of 1000
/// levels) on a thread with a large stack, so compiling never overflows a small thread stack
/// (server or cooperative-pool threads may have as little as 512 KiB).
enum DeepStackRunner {
    /// Stack size for the helper thread: ample for 1000 nesting levels even in debug builds.
    static let stackSize = 64 << 20

    /// Patterns with fewer groups and alternatives than this cannot nest deeply enough to matter.
    static let nestingThreshold = 128

    static func needsDeepStack(_ pattern: [UInt8]) -> Bool {
        var count = 0
        for b in pattern where b == UInt8(ascii: "(") || b == UInt8(ascii: "|") {
            count += 1
            if count >= nestingThreshold { return true }
        }
        return false
    }

    /// Calls `body` on a fresh thread with a `stackSize` stack and waits for its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        guard let value = box.value else { return body() }
        return value
    }

    /// Written by the helper thread before it signals, read by the caller after waiting.
    private final class ResultBox<T>: @unchecked Sendable {
        var value: T?
    }
}
