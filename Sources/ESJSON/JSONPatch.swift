/// RFC 6902 JSON Patch, applied the way the Kubernetes API server applies `application/json-patch+json`
/// (github.com/evanphx/json-patch): operations run in order on a copy, the first failure aborts
/// the whole patch, and error texts match that library's `err.Error()`.
public enum JSONPatch {
    /// Applies `patch` (a JSON array of operation objects) to `document`.
    public static func apply(_ patch: JSON, to document: JSON) throws(JSONPatchError) -> JSON {
        guard let operations = patch.arrayValue else {
            throw JSONPatchError("json: cannot unmarshal \(patch.kindName) into Go value of type jsonpatch.Patch")
        }
        var doc = document
        for operation in operations {
            try applyOperation(operation, to: &doc)
        }
        return doc
    }

    static func applyOperation(_ operation: JSON, to doc: inout JSON) throws(JSONPatchError) {
        guard operation.objectValue != nil else {
            throw JSONPatchError("json: cannot unmarshal \(operation.kindName) into Go value of type jsonpatch.Operation")
        }
        let op = operation["op"]?.stringValue ?? "unknown"
        guard let path = operation["path"]?.stringValue else {
            throw JSONPatchError("\(op) operation missing path: missing value")
        }
        switch op {
        case "add":
            guard let value = operation["value"] else { throw JSONPatchError("add operation missing value: missing value") }
            try add(value, at: path, in: &doc, operation: "add")
        case "remove":
            try remove(at: path, in: &doc, operation: "remove")
        case "replace":
            guard let value = operation["value"] else { throw JSONPatchError("replace operation missing value: missing value") }
            let tokens = try JSONPointer.parse(path)
            guard (try? JSONPointer.value(at: tokens, in: doc)) != nil else {
                throw JSONPatchError("replace operation does not apply: doc is missing key: \(path): missing value")
            }
            try JSONPointer.replace(value, at: tokens, in: &doc)
        case "move":
            guard let from = operation["from"]?.stringValue else { throw JSONPatchError("move operation missing from: missing value") }
            let fromTokens = try JSONPointer.parse(from)
            guard let value = try? JSONPointer.value(at: fromTokens, in: doc) else {
                throw JSONPatchError("move operation does not apply: doc is missing from path: \(from): missing value")
            }
            try remove(at: from, in: &doc, operation: "move")
            try add(value, at: path, in: &doc, operation: "move")
        case "copy":
            guard let from = operation["from"]?.stringValue else { throw JSONPatchError("copy operation missing from: missing value") }
            guard let value = try? JSONPointer.value(at: try JSONPointer.parse(from), in: doc) else {
                throw JSONPatchError("copy operation does not apply: doc is missing from path: \(from): missing value")
            }
            try add(value, at: path, in: &doc, operation: "copy")
        case "test":
            let expected = operation["value"] ?? .null
            let actual = try? JSONPointer.value(at: try JSONPointer.parse(path), in: doc)
            let passed = actual.map { $0 == expected } ?? expected.isNull
            if !passed { throw JSONPatchError("testing value \(path) failed: test failed") }
        default:
            throw JSONPatchError("Unexpected kind: \(op): unknown object type")
        }
    }

    static func add(_ value: JSON, at path: String, in doc: inout JSON, operation: String) throws(JSONPatchError) {
        let tokens = try JSONPointer.parse(path)
        do {
            try JSONPointer.insert(value, at: tokens, in: &doc)
        } catch {
            if error.message.hasPrefix("Unable to access invalid index") { throw error }
            throw JSONPatchError("\(operation) operation does not apply: doc is missing path: \"\(path)\": missing value")
        }
    }

    static func remove(at path: String, in doc: inout JSON, operation: String) throws(JSONPatchError) {
        let tokens = try JSONPointer.parse(path)
        do {
            try JSONPointer.remove(at: tokens, in: &doc)
        } catch {
            if error.message.hasPrefix("Unable to access invalid index") { throw error }
            throw JSONPatchError("\(operation) operation does not apply: doc is missing path: \"\(path)\": missing value")
        }
    }
}

/// Why a JSON patch could not be applied; `message` is the text the API server returns.
public struct JSONPatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// RFC 6901 JSON Pointer evaluation and in-place edits.
public enum JSONPointer {
    /// Splits "/a/b~1c" into ["a", "b/c"]; "" is the whole document.
    public static func parse(_ pointer: String) throws(JSONPatchError) -> [String] {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else {
            throw JSONPatchError("JSON pointer must be empty or start with a \"/\": \(pointer)")
        }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(unescape)
    }

    static func unescape(_ token: Substring) -> String {
        guard token.contains("~") else { return String(token) }
        var out = ""
        var iterator = token.makeIterator()
        while let c = iterator.next() {
            guard c == "~" else { out.append(c); continue }
            switch iterator.next() {
            case "0": out.append("~")
            case "1": out.append("/")
            case let other?: out.append("~"); out.append(other)
            case nil: out.append("~")
            }
        }
        return out
    }

    /// Escapes one token for use in a pointer.
    public static func escape(_ token: String) -> String {
        var out = ""
        for c in token {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }

    public static func value(at tokens: [String], in doc: JSON) throws(JSONPatchError) -> JSON {
        var current = doc
        for token in tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { throw missing }
                current = next
            case .array(let a):
                let index = try arrayIndex(token, count: a.count, allowEnd: false)
                current = a[index]
            default:
                throw missing
            }
        }
        return current
    }

    static func insert(_ value: JSON, at tokens: [String], in doc: inout JSON) throws(JSONPatchError) {
        guard let last = tokens.last else { doc = value; return }
        try modifyContainer(at: Array(tokens.dropLast()), in: &doc) { (container: inout JSON) throws(JSONPatchError) in
            switch container {
            case .object(var o):
                container = .null
                o[last] = value
                container = .object(o)
            case .array(var a):
                let index = try arrayIndex(last, count: a.count, allowEnd: true)
                container = .null
                a.insert(value, at: index)
                container = .array(a)
            default:
                throw missing
            }
        }
    }

    static func replace(_ value: JSON, at tokens: [String], in doc: inout JSON) throws(JSONPatchError) {
        guard let last = tokens.last else { doc = value; return }
        try modifyContainer(at: Array(tokens.dropLast()), in: &doc) { (container: inout JSON) throws(JSONPatchError) in
            switch container {
            case .object(var o):
                container = .null
                o[last] = value
                container = .object(o)
            case .array(var a):
                let index = try arrayIndex(last, count: a.count, allowEnd: false)
                container = .null
                a[index] = value
                container = .array(a)
            default:
                throw missing
            }
        }
    }

    static func remove(at tokens: [String], in doc: inout JSON) throws(JSONPatchError) {
        guard let last = tokens.last else { doc = .null; return }
        try modifyContainer(at: Array(tokens.dropLast()), in: &doc) { (container: inout JSON) throws(JSONPatchError) in
            switch container {
            case .object(var o):
                guard o[last] != nil else { throw missing }
                container = .null
                o.removeValue(forKey: last)
                container = .object(o)
            case .array(var a):
                let index = try arrayIndex(last, count: a.count, allowEnd: false)
                container = .null
                a.remove(at: index)
                container = .array(a)
            default:
                throw missing
            }
        }
    }

    private static func modifyContainer(
        at tokens: [String], in doc: inout JSON, _ body: (inout JSON) throws(JSONPatchError) -> Void
    ) throws(JSONPatchError) {
        guard let first = tokens.first else { try body(&doc); return }
        let rest = Array(tokens.dropFirst())
        switch doc {
        case .object(var o):
            guard var child = o[first] else { throw missing }
            doc = .null
            defer { doc = .object(o) }
            o[first] = .null
            defer { o[first] = child }
            try modifyContainer(at: rest, in: &child, body)
        case .array(var a):
            let index = try arrayIndex(first, count: a.count, allowEnd: false)
            var child = a[index]
            doc = .null
            a[index] = .null
            defer { a[index] = child; doc = .array(a) }
            try modifyContainer(at: rest, in: &child, body)
        default:
            throw missing
        }
    }

    private static func arrayIndex(_ token: String, count: Int, allowEnd: Bool) throws(JSONPatchError) -> Int {
        if token == "-" {
            if allowEnd { return count }
            throw JSONPatchError("Unable to access invalid index: -1: invalid index referenced")
        }
        guard let index = Int(token), !(token.count > 1 && token.hasPrefix("0")) else {
            throw missing
        }
        let upper = allowEnd ? count : count - 1
        guard index >= 0, index <= upper else {
            throw JSONPatchError("Unable to access invalid index: \(index): invalid index referenced")
        }
        return index
    }

    private static var missing: JSONPatchError { JSONPatchError("missing value") }
}
