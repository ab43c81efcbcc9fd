import ESAPI
import ESJSON
import ESProviders
import ESTemplate
import ESValidation
import ESYAML

/// `target.template` applied as upstream's `ApplyTemplate` (§6.2 steps 2 and 5–9) with ESTemplate's
/// engine. `templateFrom` reads ConfigMaps and Secrets only from the ExternalSecret's own namespace.
public struct ESOSecretTemplating: SecretTemplating {
    let api: any ClusterAPI
    let leftDelimiter: String
    let rightDelimiter: String

    public init(api: any ClusterAPI, leftDelimiter: String = "{{", rightDelimiter: String = "}}") {
        self.api = api
        self.leftDelimiter = leftDelimiter
        self.rightDelimiter = rightDelimiter
    }

    struct TemplateError: Error, CustomStringConvertible {
        var description: String
    }

    /// The renderer `rewrite[].transform` uses (`.value` = the key).
    public static func keyRenderer(leftDelimiter: String = "{{", rightDelimiter: String = "}}") -> KeyTemplateRenderer {
        { template, data in
            try TemplateEngine.render(template: template, name: "transform", data: data, leftDelimiter: leftDelimiter,
                                      rightDelimiter: rightDelimiter)
        }
    }

    public func apply(template: JSON, externalSecret es: ExternalSecretView, data: [String: [UInt8]],
                      secret: inout JSON) async throws {
        // Upstream re-runs the webhook's template rules at render time, so a cluster without the
        // webhook is protected too (privileged Secret types, templateFrom targets).
        if let typed = try? ExternalSecret(json: es.json) {
            let issues = Validator.validateTemplate(of: typed)
            if !issues.isEmpty { throw TemplateError(description: issues.joined(separator: "; ")) }
        }
        let engine = template["engineVersion"]?.stringValue ?? "v2"
        guard engine.isEmpty || engine == "v2" else { throw TemplateError(description: "unsupported template engine version: \(engine)") }

        var labels = ExternalSecretView.stringMap(secret[path: ["metadata", "labels"]])
        var annotations = ExternalSecretView.stringMap(secret[path: ["metadata", "annotations"]])
        let rawLabels = ExternalSecretView.stringMap(template[path: ["metadata", "labels"]])
        let rawAnnotations = ExternalSecretView.stringMap(template[path: ["metadata", "annotations"]])
        for (k, v) in rawLabels { labels[k] = v }
        for (k, v) in rawAnnotations { annotations[k] = v }
        var finalizers = (secret[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
        for f in (template[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue) where !finalizers.contains(f) {
            finalizers.append(f)
        }
        if !finalizers.isEmpty { secret[path: ["metadata", "finalizers"]] = .array(finalizers.map { .string($0) }) }

        if let type = template["type"]?.stringValue, !type.isEmpty { secret["type"] = .string(type) }
        var secretData = SecretData.decode(secret)
        let templateData = template["data"]?.objectValue ?? JSONObject()
        let templateFrom = template["templateFrom"]?.arrayValue ?? []
        if template["mergePolicy"]?.stringValue == "Merge" || (templateData.isEmpty && templateFrom.isEmpty) {
            for (k, v) in data { secretData[k] = v }
        }

        for item in templateFrom {
            let target = (item["target"]?.stringValue ?? "Data").lowercased()
            let decoding = ValuesDecoding(rawValue: item["valuesDecodingStrategy"]?.stringValue ?? "")
            var rendered: [(String, [UInt8])] = []
            do {
                if let cm = item["configMap"], !cm.isNull {
                    rendered += try await renderItems(cm, kind: "configmap", source: try await configMapData(cm, es), data: data)
                }
                if let sec = item["secret"], !sec.isNull {
                    rendered += try await renderItems(sec, kind: "secret", source: try await secretValues(sec, es), data: data)
                }
                if let literal = item["literal"]?.stringValue {
                    rendered += try keysAndValues(try render(literal, name: "literal", data: data))
                }
            } catch let error as TemplateError {
                throw TemplateError(description: "error fetching templateFrom data: \(error.description)")
            }
            for (key, value) in rendered {
                let decoded = try decoding.decode(value)
                switch target {
                case "annotations": annotations[key] = String(decoding: decoded, as: UTF8.self)
                case "labels": labels[key] = String(decoding: decoded, as: UTF8.self)
                default: secretData[key] = decoded
                }
            }
        }

        for (key, value) in templateData {
            guard let text = value.stringValue else { continue }
            do {
                secretData[key] = try render(text, name: key, data: data)
            } catch let error as TemplateError {
                throw TemplateError(description: "could not execute template: \(error.description)")
            }
        }
        for (k, v) in rawLabels { labels[k] = String(decoding: try render(v, name: k, data: data), as: UTF8.self) }
        for (k, v) in rawAnnotations { annotations[k] = String(decoding: try render(v, name: k, data: data), as: UTF8.self) }

        secret[path: ["metadata", "labels"]] = SecretMutation.stringMapJSON(labels)
        secret[path: ["metadata", "annotations"]] = SecretMutation.stringMapJSON(annotations)
        secret["data"] = SecretData.encode(secretData)
    }

    func render(_ text: String, name: String, data: [String: [UInt8]]) throws -> [UInt8] {
        do {
            return try TemplateEngine.renderBytes(template: text, name: name, data: data, leftDelimiter: leftDelimiter,
                                                  rightDelimiter: rightDelimiter)
        } catch {
            throw TemplateError(description: error.description)
        }
    }

    /// `configMap`/`secret` items: each item's key is rendered as a template, as Values or KeysAndValues.
    func renderItems(_ ref: JSON, kind: String, source: [String: String], data: [String: [UInt8]]) async throws -> [(String, [UInt8])] {
        let name = ref["name"]?.stringValue ?? ""
        var out: [(String, [UInt8])] = []
        for item in ref["items"]?.arrayValue ?? [] {
            let key = item["key"]?.stringValue ?? ""
            guard let text = source[key] else { throw TemplateError(description: "error in \(kind) \(name): missing key \(key)") }
            let rendered = try render(text, name: key, data: data)
            if item["templateAs"]?.stringValue == "KeysAndValues" {
                out += try keysAndValues(rendered)
            } else {
                out.append((key, rendered))
            }
        }
        return out
    }

    func keysAndValues(_ rendered: [UInt8]) throws -> [(String, [UInt8])] {
        let parsed: JSON
        do {
            parsed = try YAML.parse(String(decoding: rendered, as: UTF8.self))
        } catch {
            throw TemplateError(description: "could not unmarshal template to 'map[string][]byte': \(error)")
        }
        if parsed.isNull { return [] }
        guard let object = parsed.objectValue else {
            throw TemplateError(description: "could not unmarshal template to 'map[string][]byte': not a map")
        }
        return object.map { ($0.key, Array(($0.value.stringValue ?? GJSONValueText.text($0.value)).utf8)) }
    }

    func configMapData(_ ref: JSON, _ es: ExternalSecretView) async throws -> [String: String] {
        let name = ref["name"]?.stringValue ?? ""
        guard let cm = try await api.get(.configMaps, namespace: es.namespace, name: name) else {
            throw TemplateError(description: "configmaps \"\(name)\" not found")
        }
        return ExternalSecretView.stringMap(cm["data"])
    }

    func secretValues(_ ref: JSON, _ es: ExternalSecretView) async throws -> [String: String] {
        let name = ref["name"]?.stringValue ?? ""
        guard let secret = try await api.get(.secrets, namespace: es.namespace, name: name) else {
            throw TemplateError(description: "secrets \"\(name)\" not found")
        }
        return SecretData.decode(secret).mapValues { RawBytes.string(from: $0) }
    }
}

/// `templateFrom[].valuesDecodingStrategy`.
struct ValuesDecoding {
    let strategy: String
    init(rawValue: String) { strategy = rawValue }
    func decode(_ value: [UInt8]) throws -> [UInt8] {
        switch strategy {
        case "", "None": return value
        case "Base64": return try ValueDecoding.decode(value, strategy: .base64)
        case "Base64URL": return try ValueDecoding.decode(value, strategy: .base64URL)
        case "Auto": return try ValueDecoding.decode(value, strategy: .auto)
        default: throw ValueDecoding.DecodingError(message: "decoding strategy \(strategy) is not supported")
        }
    }
}

/// Scalars from YAML maps as the text Go's YAML→string conversion gives.
enum GJSONValueText {
    static func text(_ value: JSON) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.text
        case .string(let s): return s
        default: return value.serializedString()
        }
    }
}
