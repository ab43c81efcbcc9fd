import ESAPI
import ESHTTP
import ESJSON

/// The validating and mutating admission webhooks over HTTP, as the API server calls them:
/// POST an AdmissionReview (`admission.k8s.io/v1` or `v1beta1`) to one of `AdmissionRoute.all`,
/// get the review back with `response` filled in (same apiVersion, `uid` echoed).
///
/// HTTP errors: unknown path 404, a method other than POST 405, a body that is not an
/// AdmissionReview 400 (with an AdmissionReview carrying `status.code` 400 and the reason).
public struct AdmissionHandler: ImmediateHTTPHandler {
    public let reviewer: AdmissionReviewer

    public init(onAdmitted: AdmissionReviewer.AdmittedHook? = nil) {
        reviewer = AdmissionReviewer(onAdmitted: onAdmitted)
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        response(to: request)
    }

    /// Admission is synchronous (parse, decode, validate, serialize): answered on the loop thread.
    public func respondImmediately(_ request: HTTPRequest) -> HTTPResponse? {
        response(to: request)
    }

    func response(to request: HTTPRequest) -> HTTPResponse {
        let (status, body) = respond(method: request.method, path: request.path,
                                     contentType: request.headers["Content-Type"], body: request.body)
        return status == 404 || status == 405 ? .text(status, String(decoding: body, as: UTF8.self)) : .json(status, body)
    }

    /// The whole exchange without I/O: HTTP status and response body.
    public func respond(method: String, path: String, contentType: String?, body: [UInt8]) -> (status: Int, body: [UInt8]) {
        guard let route = AdmissionRoute(path: path) else { return (404, Array("404 page not found\n".utf8)) }
        guard method == "POST" else { return (405, Array("method \(method) not allowed, use POST\n".utf8)) }
        if let contentType, !Self.isJSONMediaType(contentType) {
            return badRequest("contentType=\(contentType), expected application/json")
        }
        guard !body.isEmpty else { return badRequest("request body is empty") }
        // Checked whole and indexed, not built: the request reads a handful of envelope fields and
        // decodes the object's typed fields straight from the body.
        let review: JSONTape
        do { review = try JSONTape.parse(body, indexing: AdmissionRequest.indexedMembers) } catch { return badRequest("couldn't parse AdmissionReview: \(error.message)") }
        let request: AdmissionRequest
        do { request = try AdmissionRequest(review: review.root) } catch { return badRequest(error.description) }
        let response = reviewer.review(request, route: route)
        return (200, response.reviewBytes(apiVersion: request.reviewAPIVersion))
    }

    /// `application/json` at the start, in any letter case (controller-runtime checks the prefix).
    static func isJSONMediaType(_ contentType: String) -> Bool {
        let expected: StaticString = "application/json"
        let utf8 = contentType.utf8
        let count = expected.utf8CodeUnitCount
        guard utf8.count >= count else { return false }
        var i = utf8.startIndex
        for offset in 0..<count {
            let a = utf8[i]
            if (a >= 65 && a <= 90 ? a | 0x20 : a) != expected.utf8Start[offset] { return false }
            i = utf8.index(after: i)
        }
        return true
    }

    func badRequest(_ message: String) -> (status: Int, body: [UInt8]) {
        (400, AdmissionResponse.errored(uid: "", code: 400, message: message).reviewBytes(apiVersion: "admission.k8s.io/v1"))
    }
}
