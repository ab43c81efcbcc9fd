import ESJSON
import ESYAML

/// ESO's `toYaml` / `fromYaml` (runtime/template/v2/yaml.go).
enum ESOYAML {
    typealias F = GoFunction

    static let functions: [String: GoFunction] = [
        // toYaml: "" on error, trailing newline trimmed.
        "toYaml": F([.any]) { a in
            guard var text = try? GoYAMLEmitter.marshal(a[0]) else { return .string("") }
            if text.hasSuffix("\n") { text.removeLast() }
            return .string(text)
        },
        // fromYaml: a map; a parse failure is reported under the "Error" key.
        "fromYaml": F([.string]) { a in
            do {
                let json = try YAML.parse(a[0].asString)
                switch json {
                case .object: return GoValue(json: json)
                case .null: return .dict([:])
                default:
                    return .dict(["Error": .string("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(jsonKind(json)) into Go value of type map[string]interface {}")])
                }
            } catch {
                return .dict(["Error": .string("error converting YAML to JSON: \(error)")])
            }
        },
    ]

    static func jsonKind(_ j: JSON) -> String {
        switch j {
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "bool"
        default: return "object"
        }
    }
}
