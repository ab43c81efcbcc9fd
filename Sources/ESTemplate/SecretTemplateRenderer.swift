import ESYAML
import ESJSON

/// ESO's `ApplyTemplate` steps that transform data (steps 4–9 of the reference, §6.2), as a pure
/// function. The caller (reconciler) owns the Kubernetes side: it fetches templateFrom sources,
/// removes stale field-managed metadata, resets `data` for non-merge creation policies and wraps
/// errors in `could not apply template: ...`.
public enum SecretTemplateRenderer {
    /// Applies `spec` (or the no-template copy when nil) with `fetched` provider data onto `secret`.
    public static func apply(_ spec: SecretTemplateSpec?, fetched: [String: [UInt8]], sources: TemplateSources = TemplateSources(),
                             to secret: inout RenderedSecret, leftDelimiter: String = "{{", rightDelimiter: String = "}}",
                             limits: TemplateLimits = TemplateLimits()) throws(TemplateApplyError) {
        // 4. No template: copy the fetched keys.
        guard let spec else {
            for (k, v) in fetched { secret.data[k] = v }
            return
        }
        guard spec.engineVersion == "v2" || spec.engineVersion.isEmpty else {
            throw TemplateApplyError(message: "unsupported template engine version: \(spec.engineVersion)")
        }
        // 5. Type.
        if let t = spec.type, !t.isEmpty { secret.type = t }
        // 6. Merge policy / no data templates: copy fetched keys.
        if spec.mergePolicy == .merge || (spec.data.isEmpty && spec.templateFrom.isEmpty) {
            for (k, v) in fetched { secret.data[k] = v }
        }
        let context = Context(data: fetched.mapValues(RawBytes.string(from:)), left: leftDelimiter, right: rightDelimiter, limits: limits)
        // 7. templateFrom, in order: configMap items, secret items, literal.
        do throws(TemplateApplyError) {
            for from in spec.templateFrom {
                if let cm = from.configMap {
                    guard let source = sources.configMaps[cm.name] else {
                        throw TemplateApplyError(message: "configmaps \"\(cm.name)\" not found", isSourceNotFound: true)
                    }
                    for item in cm.items {
                        guard let text = source[item.key] else {
                            throw TemplateApplyError(message: "error in configmap \(cm.name): missing key \(item.key)")
                        }
                        try context.execute(text, key: item.key, scope: item.templateAs, target: from.target,
                                            decoding: from.valuesDecodingStrategy, into: &secret)
                    }
                }
                if let s = from.secret {
                    guard let source = sources.secrets[s.name] else {
                        throw TemplateApplyError(message: "secrets \"\(s.name)\" not found", isSourceNotFound: true)
                    }
                    for item in s.items {
                        guard let bytes = source[item.key] else {
                            throw TemplateApplyError(message: "error in secret \(s.name): missing key \(item.key)")
                        }
                        try context.execute(RawBytes.string(from: bytes), key: item.key, scope: item.templateAs,
                                            target: from.target, decoding: from.valuesDecodingStrategy, into: &secret)
                    }
                }
                if let literal = from.literal {
                    try context.execute(literal, key: literal, scope: .keysAndValues, target: from.target,
                                        decoding: from.valuesDecodingStrategy, into: &secret)
                }
            }
        } catch {
            if error.isSourceNotFound { throw error }
            throw TemplateApplyError(message: "error fetching templateFrom data: \(error.message)")
        }
        // 8. template.data, then 9. metadata labels and annotations.
        do throws(TemplateApplyError) {
            for (k, text) in spec.data.sorted(by: { $0.key < $1.key }) {
                try context.execute(text, key: k, scope: .values, target: .data, decoding: .none, into: &secret)
            }
            for (k, text) in spec.labels.sorted(by: { $0.key < $1.key }) {
                try context.execute(text, key: k, scope: .values, target: .labels, decoding: .none, into: &secret)
            }
            for (k, text) in spec.annotations.sorted(by: { $0.key < $1.key }) {
                try context.execute(text, key: k, scope: .values, target: .annotations, decoding: .none, into: &secret)
            }
        } catch {
            throw TemplateApplyError(message: "could not execute template: \(error.message)")
        }
    }

    struct Context {
        var data: [String: String]
        var left: String
        var right: String
        var limits: TemplateLimits

        func execute(_ text: String, key: String, scope: TemplateScope, target: TemplateTarget,
                     decoding: ValuesDecodingStrategy, into secret: inout RenderedSecret) throws(TemplateApplyError) {
            // KeysAndValues templates are named by their own text (upstream's mapScopeApply), and
            // both scopes wrap the engine's error once more with errExecute, as upstream does.
            let name = scope == .keysAndValues ? text : key
            let rendered: String
            do {
                rendered = try TemplateEngine.render(template: text, name: name, data: data, leftDelimiter: left,
                                                     rightDelimiter: right, limits: limits)
            } catch {
                throw TemplateApplyError(message: "unable to execute template at key \(name): \(error.description)")
            }
            switch scope {
            case .values:
                try set(key, RawBytes.bytes(of: rendered), target: target, decoding: decoding, into: &secret)
            case .keysAndValues:
                let pairs = try keysAndValues(rendered)
                for (k, v) in pairs.sorted(by: { $0.key < $1.key }) {
                    try set(k, Array(v.utf8), target: target, decoding: decoding, into: &secret)
                }
            }
        }

        /// The rendered text as YAML `map[string]string`.
        func keysAndValues(_ text: String) throws(TemplateApplyError) -> [String: String] {
            let json: JSON
            do { json = try YAML.parse(text) } catch {
                throw TemplateApplyError(message: "could not unmarshal template to 'map[string][]byte': \(error.description)")
            }
            switch json {
            case .null: return [:]
            case .object(let o):
                var m: [String: String] = [:]
                for (k, v) in o {
                    switch v {
                    case .string(let s): m[k] = s
                    case .number(let n): m[k] = n.text
                    case .bool(let b): m[k] = b ? "true" : "false"
                    case .null: m[k] = ""
                    default:
                        throw TemplateApplyError(message: "could not unmarshal template to 'map[string][]byte': yaml: unmarshal errors:\n  cannot unmarshal !!\(v.kindName == "array" ? "seq" : "map") into string")
                    }
                }
                return m
            default:
                throw TemplateApplyError(message: "could not unmarshal template to 'map[string][]byte': yaml: unmarshal errors:\n  cannot unmarshal !!\(json.kindName == "array" ? "seq" : "str") into map[string]string")
            }
        }

        func set(_ key: String, _ value: [UInt8], target: TemplateTarget, decoding: ValuesDecodingStrategy,
                 into secret: inout RenderedSecret) throws(TemplateApplyError) {
            let decoded = try decode(value, decoding, key: key)
            switch target {
            case .data: secret.data[key] = decoded
            case .labels: secret.labels[key] = String(decoding: decoded, as: UTF8.self)
            case .annotations: secret.annotations[key] = String(decoding: decoded, as: UTF8.self)
            }
        }

        func decode(_ v: [UInt8], _ strategy: ValuesDecodingStrategy, key: String) throws(TemplateApplyError) -> [UInt8] {
            let text = String(decoding: v, as: UTF8.self)
            switch strategy {
            case .none: return v
            case .base64:
                do { return try Base64.decode(text) } catch {
                    throw TemplateApplyError(message: "error decoding value of key \(key): \(error)")
                }
            case .base64URL:
                do { return try Base64.decode(text, alphabet: Base64.url) } catch {
                    throw TemplateApplyError(message: "error decoding value of key \(key): \(error)")
                }
            case .auto:
                if let b = try? Base64.decode(text) { return b }
                if let b = try? Base64.decode(text, alphabet: Base64.url) { return b }
                return v
            }
        }
    }
}
