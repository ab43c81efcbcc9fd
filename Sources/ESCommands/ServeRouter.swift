import ESHTTP

/// The webhook listener's routes: `/validate-*` and `/mutate-*` go to the admission handler;
/// everything else is 404 (as controller-runtime's webhook server answers).
public struct ServeRouter: ImmediateHTTPHandler {
    private let admission: any HTTPHandler

    public init(admission: any HTTPHandler) {
        self.admission = admission
    }

    public static func isWebhookPath(_ path: String) -> Bool {
        path.hasPrefix("/validate-") || path.hasPrefix("/mutate-")
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard Self.isWebhookPath(request.path) else { return .text(404, "404 page not found\n") }
        return await admission.handle(request)
    }

    public func respondImmediately(_ request: HTTPRequest) -> HTTPResponse? {
        guard Self.isWebhookPath(request.path) else { return .text(404, "404 page not found\n") }
        return (admission as? any ImmediateHTTPHandler)?.respondImmediately(request)
    }
}
