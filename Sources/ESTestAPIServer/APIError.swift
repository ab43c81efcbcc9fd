import ESJSON

/// A failed API call, rendered as a `metav1.Status` body exactly as the real API server does.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: JSON?

    public init(code: Int, reason: String, message: String, details: JSON? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { message }

    public var status: JSON {
        var status: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": .string(message),
        ]
        if !reason.isEmpty { status["reason"] = .string(reason) }
        if let details { status["details"] = details }
        status["code"] = .number(JSONNumber(code))
        return status
    }

    static func details(_ type: ResourceType, name: String) -> JSON {
        var details: JSON = ["name": .string(name)]
        if !type.group.isEmpty { details["group"] = .string(type.group) }
        details["kind"] = .string(type.resource)
        return details
    }

    static func notFound(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(type.qualifiedResource) \"\(name)\" not found",
                 details: details(type, name: name))
    }

    static func alreadyExists(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedResource) \"\(name)\" already exists",
                 details: details(type, name: name))
    }

    static func conflict(_ type: ResourceType, name: String, _ why: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(type.qualifiedResource) \"\(name)\": \(why)",
                 details: details(type, name: name))
    }

    static func modified(_ type: ResourceType, name: String) -> APIError {
        conflict(type, name: name,
                 "the object has been modified; please apply your changes to the latest version and try again")
    }

    static func invalid(_ type: ResourceType, name: String, field: String, _ detail: String) -> APIError {
        var d = details(type, name: name)
        d["kind"] = .string(type.kind)
        d["causes"] = [["reason": "FieldValueInvalid", "message": .string(detail), "field": .string(field)]]
        return APIError(code: 422, reason: "Invalid", message: "\(type.kind) \"\(name)\" is invalid: \(detail)", details: d)
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static let resourceNotFound = APIError(code: 404, reason: "NotFound",
                                           message: "the server could not find the requested resource")

    static func methodNotAllowed(_ method: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
    }

    static func gone(requested: Int, oldest: Int) -> APIError {
        APIError(code: 410, reason: "Expired", message: "too old resource version: \(requested) (\(oldest))")
    }
}
