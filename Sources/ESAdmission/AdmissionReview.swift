import ESHTTP
import ESJSON

/// The operations an AdmissionReview request can carry.
public enum AdmissionOperation: String, Sendable {
    case create = "CREATE"
    case update = "UPDATE"
    case delete = "DELETE"
    case connect = "CONNECT"
}

/// The `request` of an `admission.k8s.io/v1` (or `v1beta1`) AdmissionReview: only what the
/// webhooks read. The object stays in the indexed request body (no tree, no copy).
public struct AdmissionRequest: Sendable {
    /// `admission.k8s.io/v1` or `admission.k8s.io/v1beta1`; the response uses the same.
    public var reviewAPIVersion: String
    public var uid: String
    public var operation: AdmissionOperation
    /// `request.object`, `nil` when absent or `null`.
    public var object: JSONTape.Value?
    public var dryRun: Bool
    public var namespace: String
    public var name: String

    public static let supportedVersions = ["admission.k8s.io/v1", "admission.k8s.io/v1beta1"]

    /// The parts of an AdmissionReview this type reads. The rest (userInfo, resource kinds, options,
    /// and the whole `oldObject` of an UPDATE) is checked while parsing but not indexed.
    public static let indexedMembers = JSONTape.Selection.members([
        "request": .members(["object": .everything]),
    ])

    /// Reads an AdmissionReview (the whole body, indexed); `AdmissionReviewError` describes what is wrong with it.
    public init(review: JSONTape.Value) throws(AdmissionReviewError) {
        guard let envelope = review.objectValue else { throw AdmissionReviewError("AdmissionReview must be a JSON object") }
        let apiVersion = envelope["apiVersion"]?.stringValue ?? ""
        guard Self.supportedVersions.contains(apiVersion) else {
            throw AdmissionReviewError("unsupported AdmissionReview apiVersion \"\(apiVersion)\"")
        }
        if let kind = envelope["kind"]?.stringValue, kind != "AdmissionReview" {
            throw AdmissionReviewError("unexpected kind \"\(kind)\", expected AdmissionReview")
        }
        guard let request = envelope["request"]?.objectValue else {
            throw AdmissionReviewError("AdmissionReview has no request")
        }
        guard let uid = request["uid"]?.stringValue, !uid.isEmpty else { throw AdmissionReviewError("request.uid is missing") }
        let operationText = request["operation"]?.stringValue ?? ""
        guard let operation = AdmissionOperation(rawValue: operationText) else {
            throw AdmissionReviewError("unsupported operation \"\(operationText)\"")
        }
        reviewAPIVersion = apiVersion
        self.uid = uid
        self.operation = operation
        object = request["object"].flatMap { $0.isNull ? nil : $0 }
        dryRun = request["dryRun"]?.boolValue ?? false
        namespace = request["namespace"]?.stringValue ?? ""
        name = request["name"]?.stringValue ?? ""
    }
}

/// A request body that is not a usable AdmissionReview.
public struct AdmissionReviewError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The `response` of an AdmissionReview, shaped like controller-runtime's.
public struct AdmissionResponse: Sendable, Equatable {
    public var uid: String
    public var allowed: Bool
    public var code: Int
    /// `Forbidden` on denial; `nil` otherwise.
    public var reason: String?
    public var message: String?
    public var warnings: [String]
    /// JSONPatch operations (serialized JSON array), set only when non-empty.
    public var patch: [UInt8]?

    public static func allowed(uid: String, warnings: [String] = [], patch: [UInt8]? = nil) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: true, code: 200, reason: nil, message: nil, warnings: warnings, patch: patch)
    }

    public static func denied(uid: String, message: String, warnings: [String] = []) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: false, code: 403, reason: "Forbidden", message: message, warnings: warnings, patch: nil)
    }

    public static func errored(uid: String, code: Int, message: String) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: false, code: code, reason: nil, message: message, warnings: [], patch: nil)
    }

    /// The whole AdmissionReview carrying this response, as JSON bytes.
    /// Written straight into bytes (this runs for every request); the same text the generic JSON
    /// serializer produces for `{"kind","apiVersion","response":{"uid","allowed","patch"?,"patchType"?,
    /// "status":{"metadata","message"?,"reason"?,"code"},"warnings"?}}`.
    public func reviewBytes(apiVersion: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + uid.utf8.count + (message?.utf8.count ?? 0) + (patch.map { $0.count * 4 / 3 + 40 } ?? 0))
        out.appendBytes(of: #"{"kind":"AdmissionReview","apiVersion":"#)
        JSON.writeString(apiVersion, to: &out)
        out.appendBytes(of: #","response":{"uid":"#)
        JSON.writeString(uid, to: &out)
        if allowed { out.appendBytes(of: #","allowed":true"#) } else { out.appendBytes(of: #","allowed":false"#) }
        if let patch {
            out.appendBytes(of: #","patch":"#)
            JSON.writeString(Base64Encoding.encode(patch), to: &out)
            out.appendBytes(of: #","patchType":"JSONPatch""#)
        }
        out.appendBytes(of: #","status":{"metadata":{}"#)
        if let message {
            out.appendBytes(of: #","message":"#)
            JSON.writeString(message, to: &out)
        }
        if let reason {
            out.appendBytes(of: #","reason":"#)
            JSON.writeString(reason, to: &out)
        }
        out.appendBytes(of: #","code":"#)
        out.appendDecimal(code)
        out.append(UInt8(ascii: "}"))
        if !warnings.isEmpty {
            out.appendBytes(of: #","warnings":["#)
            for (i, warning) in warnings.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(warning, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.appendBytes(of: "}}")
        return out
    }

    /// The same review built as a JSON value and serialized generically (tests compare the two).
    func reviewJSON(apiVersion: String) -> JSON {
        var status = JSONObject(minimumCapacity: 4)
        status["metadata"] = .object(JSONObject())
        if let message { status["message"] = .string(message) }
        if let reason { status["reason"] = .string(reason) }
        status["code"] = .number(JSONNumber(code))
        var response = JSONObject(minimumCapacity: 6)
        response["uid"] = .string(uid)
        response["allowed"] = .bool(allowed)
        if let patch {
            response["patch"] = .string(Base64Encoding.encode(patch))
            response["patchType"] = "JSONPatch"
        }
        response["status"] = .object(status)
        if !warnings.isEmpty { response["warnings"] = .array(warnings.map(JSON.string)) }
        var review = JSONObject(minimumCapacity: 3)
        review["kind"] = "AdmissionReview"
        review["apiVersion"] = .string(apiVersion)
        review["response"] = .object(response)
        return .object(review)
    }
}
