import CYAML
import ESJSON

/// A YAML syntax or structure error with its 1-based line and column.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let line: Int
    public let column: Int
    public var description: String { line > 0 ? "yaml: line \(line): \(message)" : "yaml: \(message)" }
}

/// One document of a YAML stream, as JSON, with the source line of every value by field path
/// (`spec.data[2].remoteRef.key`), so errors can name the line a user must fix.
public struct YAMLDocument: Sendable {
    public var value: JSON
    /// 1-based line of each value, keyed by field path; the root is `""`.
    public var lines: [String: Int]
    public var startLine: Int { lines[""] ?? 1 }

    public init(value: JSON, lines: [String: Int] = [:]) {
        self.value = value
        self.lines = lines
    }

    /// The line of `path`, or of its nearest ancestor that has one.
    public func line(of path: String) -> Int? {
        var p = path
        while true {
            if let l = lines[p] { return l }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return lines[""] }
            p = String(p[..<cut])
        }
    }
}

public enum YAML {
    /// Upper bound on values produced by one stream, alias expansion included ("billion laughs").
    public static let maximumNodes = 5_000_000
    public static let maximumDepth = 512

    /// All documents of a stream. Empty documents (a lone `---`) are skipped.
    public static func parseDocuments(_ text: String) throws(YAMLError) -> [YAMLDocument] {
        var reader = YAMLEventReader(Array(text.utf8))
        defer { reader.close() }
        return try reader.readStream()
    }

    /// A single-document stream as JSON (`null` when empty).
    public static func parse(_ text: String) throws(YAMLError) -> JSON {
        let docs = try parseDocuments(text)
        guard docs.count <= 1 else {
            throw YAMLError(message: "expected a single document, found \(docs.count)", line: docs[1].startLine, column: 1)
        }
        return docs.first?.value ?? .null
    }
}

/// Pulls libyaml events and builds JSON values, resolving plain scalars the way Kubernetes' YAML
/// decoder (go-yaml, YAML 1.1 rules) does.
struct YAMLEventReader {
    /// Heap-allocated: libyaml keeps a pointer to the parser inside itself, so it must not move.
    let parser: UnsafeMutablePointer<yaml_parser_t>
    let inputPointer: UnsafeMutablePointer<UInt8>
    var anchors: [String: JSON] = [:]
    var nodeCount = 0
    var lines: [String: Int] = [:]

    init(_ bytes: [UInt8]) {
        inputPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        inputPointer.initialize(from: bytes, count: bytes.count)
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, inputPointer, bytes.count)
    }

    mutating func close() {
        yaml_parser_delete(parser)
        parser.deallocate()
        inputPointer.deallocate()
    }

    mutating func next() throws(YAMLError) -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            let problem = parser.pointee.problem.map { String(cString: $0) } ?? "syntax error"
            let mark = parser.pointee.problem_mark
            var message = problem
            if let context = parser.pointee.context.map({ String(cString: $0) }) { message = "\(context): \(problem)" }
            throw YAMLError(message: message, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }
        return event
    }

    mutating func readStream() throws(YAMLError) -> [YAMLDocument] {
        var documents: [YAMLDocument] = []
        while true {
            var event = try next()
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                lines = [:]
                var first = try next()
                defer { yaml_event_delete(&first) }
                if first.type == YAML_DOCUMENT_END_EVENT { continue }
                let value = try readNode(first, path: "", depth: 0)
                var end = try next()
                yaml_event_delete(&end)
                if case .null = value { continue }
                documents.append(YAMLDocument(value: value, lines: lines))
            default:
                continue
            }
        }
    }

    /// Builds the value that starts with `event` (which the caller deletes).
    mutating func readNode(_ event: yaml_event_t, path: String, depth: Int) throws(YAMLError) -> JSON {
        nodeCount += 1
        let line = Int(event.start_mark.line) + 1
        if nodeCount > YAML.maximumNodes {
            throw YAMLError(message: "document is too large (more than \(YAML.maximumNodes) values)", line: line, column: 1)
        }
        if depth > YAML.maximumDepth {
            throw YAMLError(message: "exceeded max depth of \(YAML.maximumDepth)", line: line, column: 1)
        }
        lines[path] = line
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let value = anchors[name] else {
                throw YAMLError(message: "unknown anchor '\(name)' referenced", line: line, column: Int(event.start_mark.column) + 1)
            }
            nodeCount += value.nodeCount
            if nodeCount > YAML.maximumNodes {
                throw YAMLError(message: "document is too large (more than \(YAML.maximumNodes) values)", line: line, column: 1)
            }
            return value
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let tag = scalar.tag.map { String(cString: $0) }
            let value = try resolveScalar(text, tag: tag, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line)
            if let anchor = scalar.anchor { anchors[String(cString: anchor)] = value }
            return value
        case YAML_SEQUENCE_START_EVENT:
            let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
            var items: [JSON] = []
            while true {
                var child = try next()
                defer { yaml_event_delete(&child) }
                if child.type == YAML_SEQUENCE_END_EVENT { break }
                items.append(try readNode(child, path: "\(path)[\(items.count)]", depth: depth + 1))
            }
            let value = JSON.array(items)
            if let anchor { anchors[anchor] = value }
            return value
        case YAML_MAPPING_START_EVENT:
            let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
            var object = JSONObject()
            var merges: [JSONObject] = []
            while true {
                var keyEvent = try next()
                defer { yaml_event_delete(&keyEvent) }
                if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                let keyLine = Int(keyEvent.start_mark.line) + 1
                let key = try readNode(keyEvent, path: path + ".<key>", depth: depth + 1)
                lines.removeValue(forKey: path + ".<key>")
                let isMergeKey = keyEvent.type == YAML_SCALAR_EVENT
                    && keyEvent.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && key == .string("<<")
                let keyText = try keyString(key, line: keyLine)
                let childPath = path.isEmpty ? keyText : "\(path).\(keyText)"
                var valueEvent = try next()
                defer { yaml_event_delete(&valueEvent) }
                let value = try readNode(valueEvent, path: childPath, depth: depth + 1)
                lines[childPath] = keyLine  // a member is best located by its key's line
                if isMergeKey {
                    switch value {
                    case .object(let o): merges.append(o)
                    case .array(let items):
                        for item in items {
                            guard case .object(let o) = item else {
                                throw YAMLError(message: "map merge requires map or sequence of maps as the value", line: keyLine, column: 1)
                            }
                            merges.append(o)
                        }
                    default:
                        throw YAMLError(message: "map merge requires map or sequence of maps as the value", line: keyLine, column: 1)
                    }
                    continue
                }
                if object[keyText] != nil {
                    throw YAMLError(message: "key \"\(keyText)\" already set in map", line: keyLine, column: 1)
                }
                object[keyText] = value
            }
            // Merged keys never override keys written in the mapping itself; earlier merges win.
            for merge in merges {
                for (k, v) in merge where object[k] == nil { object[k] = v }
            }
            let value = JSON.object(object)
            if let anchor { anchors[anchor] = value }
            return value
        default:
            throw YAMLError(message: "unexpected event", line: line, column: Int(event.start_mark.column) + 1)
        }
    }

    func keyString(_ key: JSON, line: Int) throws(YAMLError) -> String {
        switch key {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        default:
            throw YAMLError(message: "invalid map key: a \(key.kindName) cannot be a key", line: line, column: 1)
        }
    }

    func resolveScalar(_ text: String, tag: String?, plain: Bool, line: Int) throws(YAMLError) -> JSON {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!": return .string(text)
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool":
                if let b = YAMLScalar.bool(text) { return .bool(b) }
                throw YAMLError(message: "cannot decode !!str `\(text)` as a !!bool", line: line, column: 1)
            case "tag:yaml.org,2002:int":
                if let n = YAMLScalar.int(text) { return .number(n) }
                throw YAMLError(message: "cannot decode !!str `\(text)` as a !!int", line: line, column: 1)
            case "tag:yaml.org,2002:float":
                if let n = YAMLScalar.int(text) ?? YAMLScalar.float(text) { return .number(n) }
                throw YAMLError(message: "cannot decode !!str `\(text)` as a !!float", line: line, column: 1)
            case "tag:yaml.org,2002:binary": return .string(text.filter { !$0.isWhitespace })
            default: break
            }
        }
        guard plain else { return .string(text) }
        return YAMLScalar.resolvePlain(text)
    }
}

extension JSON {
    /// Number of values in this tree (used to bound alias expansion).
    var nodeCount: Int {
        switch self {
        case .array(let a): return 1 + a.reduce(0) { $0 + $1.nodeCount }
        case .object(let o): return 1 + o.values.reduce(0) { $0 + $1.nodeCount }
        default: return 1
        }
    }
}
