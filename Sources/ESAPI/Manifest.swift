import ESJSON
import ESYAML

/// One decoded external-secrets.io object of a manifest.
public enum APIObject: Sendable {
    case externalSecret(ExternalSecret)
    case secretStore(SecretStore)
    case clusterExternalSecret(ClusterExternalSecret)
    case pushSecret(PushSecret)
}

/// Reads objects out of YAML or JSON manifests (multi-document, `kind: List` expanded) and decodes
/// the external-secrets.io ones, attaching YAML line numbers to decoding errors.
public enum Manifest {
    /// One object of a manifest: its JSON, where it starts, and the line of each field path.
    public struct Document: Sendable {
        public var json: JSON
        public var lines: [String: Int]
        /// Prefix of `lines` keys for this object (`items[3].` inside a List), `""` otherwise.
        public var linePrefix: String
        public var startLine: Int

        /// The source line of `path` (or its nearest ancestor).
        public func line(of path: String) -> Int? {
            var p = path
            while true {
                let key = linePrefix.isEmpty ? p : (p.isEmpty ? String(linePrefix.dropLast()) : linePrefix + p)
                if let l = lines[key] { return l }
                if p.isEmpty { return startLine }
                if let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) { p = String(p[..<cut]) } else { p = "" }
            }
        }

        public var apiVersion: String { json["apiVersion"]?.stringValue ?? "" }
        public var kind: String { json["kind"]?.stringValue ?? "" }
        public var name: String { json["metadata"]?["name"]?.stringValue ?? "" }
        public var namespace: String { json["metadata"]?["namespace"]?.stringValue ?? "" }

        /// True for `external-secrets.io/*` objects of a kind this module decodes.
        public var isExternalSecretsObject: Bool {
            apiVersion.hasPrefix(APIGroup.name + "/") && APIKind(rawValue: kind) != nil
        }

        /// Decodes the object; errors carry the source line.
        public func decode() throws(APIDecodingError) -> APIObject {
            do throws(APIDecodingError) {
                switch APIKind(rawValue: kind) {
                case .externalSecret: return .externalSecret(try ExternalSecret(json: json))
                case .secretStore, .clusterSecretStore: return .secretStore(try SecretStore(json: json))
                case .clusterExternalSecret: return .clusterExternalSecret(try ClusterExternalSecret(json: json))
                case .pushSecret: return .pushSecret(try PushSecret(json: json))
                case nil: throw APIDecodingError(path: "kind", message: "unsupported kind \(goQuoted(kind))")
                }
            } catch {
                var located = error
                located.line = line(of: error.path)
                throw located
            }
        }
    }

    /// Splits `text` (YAML, which includes JSON) into objects; a `kind: List` yields its items.
    public static func documents(_ text: String) throws(YAMLError) -> [Document] {
        var out: [Document] = []
        for doc in try YAML.parseDocuments(text) {
            if doc.value["kind"]?.stringValue == "List", let items = doc.value["items"]?.arrayValue {
                for (i, item) in items.enumerated() {
                    let prefix = "items[\(i)]."
                    out.append(Document(json: item, lines: doc.lines, linePrefix: prefix,
                                        startLine: doc.lines["items[\(i)]"] ?? doc.startLine))
                }
            } else {
                out.append(Document(json: doc.value, lines: doc.lines, linePrefix: "", startLine: doc.startLine))
            }
        }
        return out
    }
}

func goQuoted(_ s: String) -> String { GoDuration.goQuote(s) }
