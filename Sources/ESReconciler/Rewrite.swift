import ESJSON
import ESProviders
import ESRegex

/// Renders a Go template against string data; ESTemplate supplies it (`rewrite[].transform`).
public typealias KeyTemplateRenderer = @Sendable (_ template: String, _ data: [String: String]) throws -> String

/// `dataFrom[].rewrite[]` (upstream `esutils.RewriteMap`): operations applied to the keys in order.
public enum Rewrite {
    public struct RewriteError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Applies every operation of `rewrite` (the JSON array) in order.
    public static func apply(_ operations: [JSON], to input: [String: [UInt8]],
                             renderer: KeyTemplateRenderer?) throws(RewriteError) -> [String: [UInt8]] {
        var out = input
        for (i, op) in operations.enumerated() {
            do {
                out = try applyOne(op, to: out, renderer: renderer)
            } catch {
                throw RewriteError(message: "failed rewrite operation[\(i)]: \(error.message)")
            }
        }
        return out
    }

    static func applyOne(_ op: JSON, to input: [String: [UInt8]],
                         renderer: KeyTemplateRenderer?) throws(RewriteError) -> [String: [UInt8]] {
        if let merge = op["merge"], !merge.isNull { return try mergeValues(merge, input) }
        if let re = op["regexp"], !re.isNull {
            return try regexp(source: re["source"]?.stringValue ?? "", target: re["target"]?.stringValue ?? "", input)
        }
        if let transform = op["transform"], !transform.isNull {
            return try self.transform(template: transform["template"]?.stringValue ?? "", input, renderer: renderer)
        }
        return input
    }

    public static func regexp(source: String, target: String, _ input: [String: [UInt8]]) throws(RewriteError) -> [String: [UInt8]] {
        let re: GoRegex
        do { re = try GoRegex(source) } catch {
            throw RewriteError(message: "regexp failed with failed to compile: \(error.description)")
        }
        var out: [String: [UInt8]] = [:]
        for key in input.keys.sorted() {
            out[re.replaceAll(in: key, with: target)] = input[key]
        }
        return out
    }

    public static func transform(template: String, _ input: [String: [UInt8]],
                                 renderer: KeyTemplateRenderer?) throws(RewriteError) -> [String: [UInt8]] {
        guard let renderer else {
            throw RewriteError(message: "transform failed with failed to transform key: templates are not supported yet")
        }
        var out: [String: [UInt8]] = [:]
        for key in input.keys.sorted() {
            do {
                out[try renderer(template, ["value": key])] = input[key]
            } catch {
                throw RewriteError(message: "transform failed with failed to transform key: \(error)")
            }
        }
        return out
    }

    /// `rewrite[].merge`: JSON-merges the values (each a JSON object).
    public static func mergeValues(_ op: JSON, _ input: [String: [UInt8]]) throws(RewriteError) -> [String: [UInt8]] {
        let priority = (op["priority"]?.arrayValue ?? []).compactMap(\.stringValue)
        let ignoreNotFound = op["priorityPolicy"]?.stringValue == "IgnoreNotFound"
        let ignoreConflicts = op["conflictPolicy"]?.stringValue == "Ignore"
        let strategy = op["strategy"]?.stringValue ?? ""
        let into = op["into"]?.stringValue ?? ""

        let keys = input.keys.filter { !priority.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } + priority
        var merged = JSONObject()
        var conflicts: [String] = []
        for key in keys {
            guard let value = input[key] else {
                if ignoreNotFound { continue }
                throw RewriteError(message: "merge failed with key \"\(key)\" not found in input map")
            }
            let parsed: JSON
            do { parsed = try JSON.parse(value) } catch {
                throw RewriteError(message: "merge failed with failed to unmarshal JSON: \(error.message)")
            }
            guard let object = parsed.objectValue else {
                throw RewriteError(message:
                    "merge failed with failed to unmarshal JSON: json: cannot unmarshal \(parsed.kindName) into Go value of type map[string]interface {}")
            }
            for (k, v) in object {
                if merged[k] != nil { conflicts.append(k) }
                merged[k] = v
            }
        }
        if !ignoreConflicts, !conflicts.isEmpty {
            throw RewriteError(message: "merge failed with conflicts: \(conflicts.joined(separator: ", "))")
        }
        switch strategy {
        case "", "Extract":
            var out: [String: [UInt8]] = [:]
            for (k, v) in merged { out[k] = GoJSONValue.bytes(of: v) }
            return out
        case "JSON":
            guard !into.isEmpty else { throw RewriteError(message: "merge failed with missing 'into' field") }
            var out = input
            out[into] = GoJSONValue.marshal(.object(merged), escapeHTML: false)
            return out
        default:
            return [:]
        }
    }
}

/// How Go turns a value decoded into `any` back into bytes (`GetByteValue`, `json.Marshal`).
enum GoJSONValue {
    static func bytes(of value: JSON) -> [UInt8] {
        switch value {
        case .string(let s): return Array(s.utf8)
        case .null: return []
        case .bool(let b): return Array((b ? "true" : "false").utf8)
        case .number(let n): return Array(GJSONPath.goFormatFloat(n.double ?? 0).utf8)
        case .object, .array: return marshal(value, escapeHTML: true)
        }
    }

    /// Go `json.Marshal` of a decoded `any`: map keys sorted, numbers re-formatted from float64.
    static func marshal(_ value: JSON, escapeHTML: Bool) -> [UInt8] {
        normalized(value).serialized(JSONWriteOptions(sortKeys: true, escapeHTML: escapeHTML))
    }

    static func normalized(_ value: JSON) -> JSON {
        switch value {
        case .number(let n):
            return .number(JSONNumber(text: GJSONPath.goFormatFloat(n.double ?? 0)))
        case .array(let a):
            return .array(a.map(normalized))
        case .object(let o):
            var out = JSONObject(minimumCapacity: o.count)
            for (k, v) in o { out[k] = normalized(v) }
            return .object(out)
        default:
            return value
        }
    }
}
