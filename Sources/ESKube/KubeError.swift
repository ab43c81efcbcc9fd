import Foundation
import ESJSON

/// A failed API call, decoded from the `metav1.Status` body the server returned (or synthesised
/// from the HTTP status when the body was not a Status).
public struct KubeError: Error, Sendable, CustomStringConvertible {
    /// HTTP status code (404, 409, 410, 422, ...).
    public var code: Int
    /// `Status.reason`: "NotFound", "Conflict", "AlreadyExists", "Invalid", "Expired", ...
    public var reason: String
    public var message: String
    public var details: JSON?
    /// Seconds from `Retry-After`, when the server sent it.
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String, message: String, details: JSON? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Decodes a Status body; falls back to the code's standard reason.
    init(status code: Int, body: [UInt8], retryAfter: Int? = nil) {
        if let status = try? JSON.parse(body), status["kind"]?.stringValue == "Status" {
            self.init(code: status["code"]?.intValue ?? code,
                      reason: status["reason"]?.stringValue ?? KubeError.reason(for: code),
                      message: status["message"]?.stringValue ?? "", details: status["details"],
                      retryAfterSeconds: retryAfter)
        } else {
            let text = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            self.init(code: code, reason: KubeError.reason(for: code),
                      message: text.isEmpty ? "the server responded with the status code \(code) but did not return more information" : text,
                      retryAfterSeconds: retryAfter)
        }
    }

    init(status json: JSON) {
        self.init(code: json["code"]?.intValue ?? 500, reason: json["reason"]?.stringValue ?? "",
                  message: json["message"]?.stringValue ?? "", details: json["details"])
    }

    public var description: String { message }

    public var isNotFound: Bool { reason == "NotFound" || (code == 404 && !Self.knownReasons.contains(reason)) }
    public var isConflict: Bool { reason == "Conflict" }
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }
    public var isInvalid: Bool { reason == "Invalid" }
    public var isForbidden: Bool { reason == "Forbidden" || code == 403 }
    public var isUnauthorized: Bool { reason == "Unauthorized" || code == 401 }
    public var isTooManyRequests: Bool { reason == "TooManyRequests" || code == 429 }

    private static let knownReasons: Set<String> = ["Conflict", "AlreadyExists", "Invalid", "Forbidden", "Unauthorized"]

    static func reason(for code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "Unknown"
        }
    }
}
