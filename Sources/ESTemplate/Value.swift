import ESJSON

/// A value as Go templates see it: the dynamic types that ESO's templates can produce.
///
/// Go's static types matter for printing (`typeOf`), argument checking and error messages, so
/// lists and maps carry their element type (`[]interface {}` vs `[]string`, `map[string]string`).
public enum GoValue: Sendable {
    /// An untyped nil interface (`<no value>` when printed by an action, `<nil>` inside fmt).
    case null
    case bool(Bool)
    case int(Int64, GoIntType)
    case float(Double)
    case string(String)
    case list([GoValue], GoElem)
    case map(GoMap, GoElem)
    case bytes([UInt8])
    /// A Go `time.Time` (from `now`, `toDate`, `dateModify`).
    case time(GoTime)
}

/// The integer types sprig and the builtins return.
public enum GoIntType: String, Sendable {
    case int = "int", int64 = "int64", uint8 = "uint8", uint32 = "uint32", uint64 = "uint64", int32 = "int32"
}

/// Element type of a Go slice or map value.
public enum GoElem: String, Sendable {
    case any = "interface {}"
    case string = "string"
    case int = "int"
    case int64 = "int64"
}

extension GoValue {
    public static func list(_ items: [GoValue]) -> GoValue { .list(items, .any) }
    public static func dict(_ items: [String: GoValue]) -> GoValue { .map(GoMap(items), .any) }
    public static func stringMap(_ items: [String: String]) -> GoValue {
        .map(GoMap(items.mapValues { .string($0) }), .string)
    }
    public static func stringList(_ items: [String]) -> GoValue { .list(items.map { .string($0) }, .string) }
    public static func int(_ v: Int) -> GoValue { .int(Int64(v), .int) }
    public static func int64(_ v: Int64) -> GoValue { .int(v, .int64) }

    /// Go's type name (`reflect.Type.String()`), `<nil>` for nil.
    public var typeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int(_, let t): return t.rawValue
        case .float: return "float64"
        case .string: return "string"
        case .list(_, let e): return "[]" + e.rawValue
        case .map(_, let e): return "map[string]" + e.rawValue
        case .bytes: return "[]uint8"
        case .time: return "time.Time"
        }
    }

    /// Go's `reflect.Kind` name.
    public var kindName: String {
        switch self {
        case .null: return "invalid"
        case .bool: return "bool"
        case .int(_, let t): return t.rawValue
        case .float: return "float64"
        case .string: return "string"
        case .list, .bytes: return "slice"
        case .map: return "map"
        case .time: return "struct"
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// text/template's truth: false, 0, nil, and empty strings/slices/maps are false.
    public var isTrue: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i, _): return i != 0
        case .float(let f): return f != 0
        case .string(let s): return !s.isEmpty
        case .list(let l, _): return !l.isEmpty
        case .map(let m, _): return !m.isEmpty
        case .bytes(let b): return !b.isEmpty
        case .time: return true
        }
    }

    /// Go's zero value for an element type.
    static func zero(of elem: GoElem) -> GoValue {
        switch elem {
        case .any: return .null
        case .string: return .string("")
        case .int: return .int(0, .int)
        case .int64: return .int(0, .int64)
        }
    }

    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var listItems: [GoValue]? {
        switch self {
        case .list(let l, _): return l
        case .bytes(let b): return b.map { .int(Int64($0), .uint8) }
        default: return nil
        }
    }
}

/// A Go value converted from and to JSON (what `fromJson` yields: float64 numbers, `[]interface {}`,
/// `map[string]interface {}`).

extension GoValue {
    public init(json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .float(n.double ?? 0)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(a.map(GoValue.init(json:)), .any)
        case .object(let o):
            var m: [String: GoValue] = [:]
            for (k, v) in o { m[k] = GoValue(json: v) }
            self = .map(GoMap(m), .any)
        }
    }
}

/// A Go map: a reference type, so `set`, `unset` and `merge` mutate the map every variable that
/// holds it sees (templates rely on `$_ := set $d "k" "v"`). Executions are single-threaded.
public final class GoMap: @unchecked Sendable {
    public var entries: [String: GoValue]
    public init(_ entries: [String: GoValue] = [:]) { self.entries = entries }
    public subscript(key: String) -> GoValue? {
        get { entries[key] }
        set { entries[key] = newValue }
    }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: Dictionary<String, GoValue>.Keys { entries.keys }
    /// Keys in Go's sorted order (byte-wise).
    public var sortedKeys: [String] { entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
}

extension GoValue {
    /// Whether the value nests lists/maps `limit` or more levels deep. Templates can build
    /// arbitrarily deep (or cyclic, through `set`) values; constructors refuse to go past
    /// `GoValue.maximumNesting` so that printing, encoding and releasing them stays bounded.
    func nestingReaches(_ limit: Int) -> Bool {
        guard limit > 0 else { return true }
        switch self {
        case .list(let items, _): return items.contains { $0.nestingReaches(limit - 1) }
        case .map(let m, _): return m.entries.values.contains { $0.nestingReaches(limit - 1) }
        default: return false
        }
    }

    static let maximumNesting = 48

    /// Throws when storing `values` inside a list or map would nest too deeply.
    static func checkNesting(_ values: some Sequence<GoValue>) throws {
        for v in values where v.nestingReaches(maximumNesting) {
            throw FunctionError("value nested more than \(maximumNesting) levels deep")
        }
    }
}
