import ESJSON
import ESProviders

/// `remoteRef.property` over a secret payload, as upstream: a property containing `.` is first tried as one
/// literal key (dots escaped), then as a gjson path; the match is rendered with gjson's `String()`.
enum AWSPropertyPath {
    static func select(_ property: String, in payload: [UInt8], key: String) throws(ProviderError) -> [UInt8] {
        let text = String(decoding: payload, as: UTF8.self)
        if property.contains(".") {
            let escaped = property.replacingDots()
            if let value = GJSONPath.value(in: text, at: escaped) { return Array(value.utf8) }
        }
        if let value = GJSONPath.value(in: text, at: property) { return Array(value.utf8) }
        throw ProviderError.invalid("key \(property) does not exist in secret \(key)")
    }

    /// `dataFrom.extract`: a JSON object's members; strings unquoted, everything else as JSON text.
    static func expand(_ payload: [UInt8], key: String) throws(ProviderError) -> [String: [UInt8]] {
        let json: JSON
        do {
            json = try JSON.parse(payload)
        } catch {
            throw ProviderError.invalid("unable to unmarshal secret \(key): \(error.message)")
        }
        guard case .object(let object) = json else {
            throw ProviderError.invalid(
                "unable to unmarshal secret \(key): json: cannot unmarshal \(json.kindName) into Go value of type map[string]json.RawMessage")
        }
        var out: [String: [UInt8]] = [:]
        for (name, value) in object {
            if case .string(let s) = value { out[name] = Array(s.utf8) } else { out[name] = value.serialized() }
        }
        return out
    }

    /// Tags as the JSON object upstream renders for `metadataPolicy: Fetch`.
    static func tagsJSON(_ tags: [(key: String, value: String)]) -> [UInt8] {
        var object = JSONObject()
        for tag in tags { object[tag.key] = .string(tag.value) }
        return JSON.object(object).serialized()
    }
}

extension String {
    func replacingDots() -> String {
        var out = ""
        for ch in self {
            if ch == "." { out += "\\." } else { out.append(ch) }
        }
        return out
    }
}
