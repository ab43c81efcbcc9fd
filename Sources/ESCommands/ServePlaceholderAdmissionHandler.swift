import ESHTTP
import ESJSON

/// A minimal AdmissionReview v1 responder: echoes `request.uid` with `allowed: true`.
/// Stands in for the real admission handler wherever none is plugged into `ServerAssembly`.
public struct PlaceholderAdmissionHandler: HTTPHandler {
    public init() {}

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.method == "POST" else { return .text(405, "method \(request.method) not allowed, use POST\n") }
        guard let review = try? JSON.parse(request.body), let uid = review["request"]?["uid"]?.stringValue else {
            return .text(400, "request body is not an AdmissionReview\n")
        }
        let apiVersion = review["apiVersion"]?.stringValue ?? "admission.k8s.io/v1"
        let response: JSON = [
            "apiVersion": .string(apiVersion),
            "kind": "AdmissionReview",
            "response": ["uid": .string(uid), "allowed": true],
        ]
        return .json(200, response.serialized())
    }
}
