import ESJSON
import ESTemplate
import ESYAML
import Foundation

/// Reading and shaping the inputs and output of `external-secrets render`.
enum RenderInputs {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func readFile(_ path: String) throws -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(message: "\(path): cannot read file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func read(_ path: String, _ reader: (String) throws -> String) throws -> String {
        do { return try reader(path) } catch let f as Failure { throw f } catch {
            throw Failure(message: "\(path): \(error)")
        }
    }

    static func documents(_ text: String, path: String) throws -> [JSON] {
        do { return try YAML.parseDocuments(text).map(\.value) } catch {
            throw Failure(message: "\(path): \(error.description)")
        }
    }

    static func externalSecret(from text: String, path: String) throws -> JSON {
        for doc in try documents(text, path: path) {
            if doc["kind"]?.stringValue == "ExternalSecret" { return doc }
            for item in doc["items"]?.arrayValue ?? [] where item["kind"]?.stringValue == "ExternalSecret" { return item }
        }
        throw Failure(message: "\(path): no ExternalSecret found")
    }

    /// The provider data: a map of key → value, base64 (esoctl) or plain.
    static func dataMap(_ text: String, path: String, format: RenderCommand.DataFormat) throws -> [String: [UInt8]] {
        let docs = try documents(text, path: path)
        guard docs.count <= 1 else { throw Failure(message: "\(path): expected a single map of key to value") }
        guard case .object(let object) = docs.first ?? .object(JSONObject()) else {
            throw Failure(message: "\(path): expected a map of key to value")
        }
        var strings: [String: String] = [:]
        for (k, v) in object {
            switch v {
            case .string(let s): strings[k] = s
            case .number(let n): strings[k] = n.text
            case .bool(let b): strings[k] = b ? "true" : "false"
            case .null: strings[k] = ""
            default: strings[k] = v.serializedString()
            }
        }
        let decoded = strings.mapValues { decodeBase64($0) }
        let useBase64: Bool
        switch format {
        case .base64:
            if let bad = decoded.first(where: { $0.value == nil })?.key {
                throw Failure(message: "\(path): value of \(bad) is not valid base64")
            }
            useBase64 = true
        case .plain: useBase64 = false
        case .auto:
            // esoctl's format (every value base64 of text) when that reading is unambiguous; short plain words such
            // as "root" are valid base64 too, but decode to bytes that are not UTF-8 text, so they stay plain.
            useBase64 = !strings.isEmpty && decoded.values.allSatisfy { bytes in
                guard let bytes else { return false }
                return String(validating: bytes, as: UTF8.self) != nil
            }
        }
        return useBase64 ? decoded.mapValues { $0 ?? [] } : strings.mapValues { Array($0.utf8) }
    }

    static func decodeBase64(_ s: String) -> [UInt8]? {
        guard s.utf8.count % 4 == 0 else { return nil }
        guard let data = Data(base64Encoded: s) else { return nil }
        return [UInt8](data)
    }

    /// ConfigMaps and Secrets (also inside `kind: List`) from a --template-from file.
    static func addSources(_ text: String, path: String, to sources: inout TemplateSources) throws {
        var objects: [JSON] = []
        for doc in try documents(text, path: path) {
            if let items = doc["items"]?.arrayValue, doc["kind"]?.stringValue?.hasSuffix("List") == true {
                objects += items
            } else {
                objects.append(doc)
            }
        }
        for obj in objects {
            guard let name = obj["metadata"]?["name"]?.stringValue else { continue }
            switch obj["kind"]?.stringValue {
            case "ConfigMap":
                var m: [String: String] = [:]
                for (k, v) in obj["data"]?.objectValue ?? JSONObject() { m[k] = v.stringValue ?? "" }
                sources.configMaps[name] = m
            case "Secret":
                var m: [String: [UInt8]] = [:]
                for (k, v) in obj["data"]?.objectValue ?? JSONObject() {
                    guard let b = decodeBase64(v.stringValue ?? "") else {
                        throw Failure(message: "\(path): secret \(name): data.\(k) is not valid base64")
                    }
                    m[k] = b
                }
                for (k, v) in obj["stringData"]?.objectValue ?? JSONObject() { m[k] = Array((v.stringValue ?? "").utf8) }
                sources.secrets[name] = m
            default:
                continue
            }
        }
    }

    /// The Secret object as the controller would create it.
    static func secretJSON(_ secret: RenderedSecret, externalSecret es: JSON) -> JSON {
        var metadata = JSONObject()
        let name = es["spec"]?["target"]?["name"]?.stringValue ?? es["metadata"]?["name"]?.stringValue ?? ""
        metadata["name"] = .string(name)
        if let ns = es["metadata"]?["namespace"]?.stringValue { metadata["namespace"] = .string(ns) }
        if !secret.labels.isEmpty {
            metadata["labels"] = .object(JSONObject(secret.labels.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
        }
        if !secret.annotations.isEmpty {
            metadata["annotations"] = .object(JSONObject(secret.annotations.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
        }
        var obj = JSONObject()
        obj["apiVersion"] = "v1"
        obj["kind"] = "Secret"
        obj["metadata"] = .object(metadata)
        obj["type"] = .string(secret.type ?? "Opaque")
        obj["data"] = .object(JSONObject(secret.data.sorted { $0.key < $1.key }.map {
            ($0.key, JSON.string(Data($0.value).base64EncodedString()))
        }))
        return .object(obj)
    }
}
