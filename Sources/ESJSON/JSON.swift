/// A JSON value that keeps everything it was given: object key order, unknown fields, and the exact
/// text of numbers (so a Kubernetes object read and written back loses nothing).
public enum JSON: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

// MARK: - Typed access

extension JSON {
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var numberValue: JSONNumber? { if case .number(let n) = self { return n } else { return nil } }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var intValue: Int? { numberValue?.int }
    public var doubleValue: Double? { numberValue?.double }

    /// The kind of value, as error messages name it (`string`, `number`, `object`, ...).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Object member access; `nil` when this is not an object or the key is absent.
    public subscript(key: String) -> JSON? {
        get { objectValue?[key] }
        set {
            guard case .object(var o) = self else {
                if let newValue { var o = JSONObject(); o[key] = newValue; self = .object(o) }
                return
            }
            self = .null  // release the payload so `o` is uniquely referenced
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Array element access; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSON? {
        guard case .array(let a) = self, a.indices.contains(index) else { return nil }
        return a[index]
    }

    /// Nested access by a list of object keys. Setting creates intermediate objects; setting `nil`
    /// removes the last key.
    public subscript(path path: [String]) -> JSON? {
        get {
            var current: JSON? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            if path.count == 1 { self[first] = newValue; return }
            let existing: JSON? = self[first]
            guard var child = existing ?? (newValue == nil ? nil : JSON.object(JSONObject())) else { return }
            child[path: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }
}

// MARK: - Literals

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var o = JSONObject()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
}

// MARK: - Equality (semantic: object key order does not matter, numbers compare by value)

extension JSON: Equatable {
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }
}

/// A JSON number kept as its source text; converted on demand.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// `text` must be a valid JSON number (the parser guarantees it for parsed values).
    public init(text: String) { self.text = text }
    public init(_ value: Int) { self.text = String(value) }
    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(.towardZero), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = String(value)
        }
    }

    public var int: Int? {
        if let i = Int(text) { return i }
        if let d = Double(text), d == d.rounded(.towardZero), abs(d) < 9.2e18 { return Int(d) }
        return nil
    }
    public var int64: Int64? { int.map(Int64.init) }
    public var double: Double? { Double(text) }
    /// True when the text has no fraction or exponent.
    public var isInteger: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }
    public var description: String { text }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.text == rhs.text { return true }
        if lhs.isInteger, rhs.isInteger, let a = Int(lhs.text), let b = Int(rhs.text) { return a == b }
        guard let a = lhs.double, let b = rhs.double else { return false }
        return a == b
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(double ?? 0) }
}
