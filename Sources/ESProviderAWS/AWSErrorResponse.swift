import ESHTTPClient
import ESJSON
import Foundation

/// Reads the error code and message out of a JSON-protocol or query-protocol (XML) error response.
enum AWSErrorResponse {
    static func parse(_ response: HTTPClientResponse, operation: String) -> AWSError {
        var code = ""
        var message = ""
        if let json = try? JSON.parse(response.body), case .object = json {
            code = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? ""
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? ""
        } else {
            let text = String(decoding: response.body, as: UTF8.self)
            code = XMLText.firstValue(of: "Code", in: text) ?? ""
            message = XMLText.firstValue(of: "Message", in: text) ?? ""
        }
        if code.isEmpty, let header = response.header("x-amzn-ErrorType") { code = header }
        code = normalizedCode(code)
        if message.isEmpty { message = "HTTP status \(response.status)" }
        return AWSError(kind: AWSError.classify(code: code, message: message, status: response.status),
                        code: code, message: message, status: response.status, operation: operation)
    }

    /// `com.amazonaws.secretsmanager#ResourceNotFoundException` or `ParameterNotFound:http://...` → the bare code.
    static func normalizedCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code)
    }
}

/// Just enough XML for STS responses: the text of the first element with a given name, entities decoded.
enum XMLText {
    static func firstValue(of tag: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(tag)>") else { return nil }
        guard let close = xml.range(of: "</\(tag)>", range: open.upperBound..<xml.endIndex) else { return nil }
        return decodeEntities(String(xml[open.upperBound..<close.lowerBound]))
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semi = rest.firstIndex(of: ";"), rest.distance(from: rest.startIndex, to: semi) <= 10 else {
                out += "&"
                rest = rest.dropFirst()
                continue
            }
            let entity = rest[rest.index(after: rest.startIndex)..<semi]
            var replacement: String?
            switch entity {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            default:
                if entity.hasPrefix("#x"), let v = UInt32(entity.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                } else if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                }
            }
            if let replacement {
                out += replacement
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest.dropFirst()
            }
        }
        return out + rest
    }
}
