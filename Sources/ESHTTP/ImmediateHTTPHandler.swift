/// A handler that can answer some requests at once, on the thread that parsed them, without
/// suspending. The server asks `respondImmediately` first and starts a task for `handle` only when it
/// returns `nil`: a synchronous answer (the admission webhook's) then costs no task, no job hop and
/// no mailbox round trip, and pipelined answers leave in one write.
///
/// Return only responses whose body is `.bytes`; anything slow, blocking or streamed belongs in
/// `handle`.
public protocol ImmediateHTTPHandler: HTTPHandler {
    func respondImmediately(_ request: HTTPRequest) -> HTTPResponse?
}
