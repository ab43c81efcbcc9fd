import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// A joinable OS thread running one closure (event loops block in epoll_wait, so they get real threads).
final class LoopThread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: () -> Void

    private init(body: @escaping () -> Void) { self.body = body }

    static func start(_ body: @escaping () -> Void) -> LoopThread? {
        let thread = LoopThread(body: body)
        let context = Unmanaged.passRetained(thread).toOpaque()
        let status = pthread_create(&thread.handle, nil, { context in
            guard let context else { return nil }
            let thread = Unmanaged<LoopThread>.fromOpaque(context).takeRetainedValue()
            thread.body()
            return nil
        }, context)
        if status != 0 {
            Unmanaged<LoopThread>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    func join() { pthread_join(handle, nil) }
}
