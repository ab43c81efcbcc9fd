import ESHTTP

/// The webhook listener's routes: `/validate-*` and `/mutate-*` go to the admission handler;
/// everything else is 404 (as controller-runtime's webhook server answers).
public struct ServeRouter: ImmediateHTTPHandler {
    private let admission: any HTTPHandler
    /// `admission` when it can answer on the spot (looked up once, not per request).
    private let immediateAdmission: (any ImmediateHTTPHandler)?

    public init(admission: any HTTPHandler) {
        self.admission = admission
        self.immediateAdmission = admission as? any ImmediateHTTPHandler
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
        return immediateAdmission?.respondImmediately(request)
    }
}
