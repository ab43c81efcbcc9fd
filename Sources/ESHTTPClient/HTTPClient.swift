/// Outbound HTTP over libcurl, which the first client loads (dlopen); if it cannot, every request throws an
/// `HTTPClientError` of kind `.libraryUnavailable` saying what to install. All clients share one libcurl
/// multi loop thread, so connections (HTTP/1.1 keep-alive and HTTP/2 multiplexing) are reused across
/// requests and callers never block Swift's cooperative thread pool. Servers that answer
/// `Connection: close` simply get a new connection next time.
public final class HTTPClient: Sendable {
    public let tls: HTTPClientTLS
    public let defaultTimeout: Duration
    public let connectTimeout: Duration
    /// Upper bound on a buffered (`execute`) response body.
    public let maxResponseBytes: Int
    /// The shared loop, or why libcurl could not be loaded (then every request throws that error).
    private let loop: Result<CurlMultiLoop, HTTPClientError>

    public init(tls: HTTPClientTLS = .init(), defaultTimeout: Duration = .seconds(30),
                connectTimeout: Duration = .seconds(10), maxResponseBytes: Int = 64 << 20) {
        self.tls = tls
        self.defaultTimeout = defaultTimeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
        self.loop = CurlMultiLoop.shared
    }

    /// Loads libcurl now (it is otherwise loaded by the first client) and throws `HTTPClientError` of kind
    /// `.libraryUnavailable` when it cannot be, so a program that will need outbound HTTP can fail at start-up.
    public static func ensureLibraryLoaded() throws(HTTPClientError) {
        if case .failure(let error) = CurlMultiLoop.shared { throw error }
    }

    /// Sends the request and returns the whole response. Throws `HTTPClientError` on transport failure and
    /// `CancellationError` when the calling Task is cancelled (the transfer is aborted).
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let transfer = CurlTransfer(request: request, tls: tls, totalTimeout: request.timeout ?? defaultTimeout,
                                    connectTimeout: connectTimeout, mode: .buffered(maxBytes: maxResponseBytes))
        return try await run(transfer)
    }

    /// Streams the body (watch): `onData` gets each received chunk on the client's loop thread (hand it off
    /// quickly); return false to stop. Returns the status/headers once the stream ends (or throws). Cancelling
    /// the calling Task aborts the transfer. `request.timeout` nil means no overall time limit.
    public func stream(_ request: HTTPClientRequest,
                       onData: @escaping @Sendable ([UInt8]) -> Bool) async throws -> HTTPClientResponse {
        let transfer = CurlTransfer(request: request, tls: tls, totalTimeout: request.timeout,
                                    connectTimeout: connectTimeout, mode: .streaming(onData))
        return try await run(transfer)
    }

    private func run(_ transfer: CurlTransfer) async throws -> HTTPClientResponse {
        try Task.checkCancellation()
        let loop = try self.loop.get()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPClientResponse, any Error>) in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            transfer.cancel()
            loop.noteCancellation()
        }
    }
}
