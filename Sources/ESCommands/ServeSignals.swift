import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Waits for SIGTERM or SIGINT (the kubelet's stop signal and Ctrl-C).
enum ServeSignals {
    private final class Waiter: @unchecked Sendable {
        var sources: [any DispatchSourceSignal] = []
    }

    /// Returns the number of the first termination signal received.
    static func waitForTermination() async -> Int32 {
        let waiter = Waiter()
        let fired = Mutex<Bool>(false)
        let signalNumber: Int32 = await withCheckedContinuation { continuation in
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    let first = fired.withLock { done -> Bool in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume(returning: number) }
                }
                source.resume()
                waiter.sources.append(source)
            }
        }
        for source in waiter.sources { source.cancel() }
        return signalNumber
    }
}
