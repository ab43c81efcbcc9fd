/// A Go parameter type, as text/template's reflection-based argument checking sees it.
enum GoParam: Sendable {
    case any           // interface{}
    case reflectValue  // reflect.Value (builtins): any value, but nil literals are rejected
    case string, bool, int, int64, float64
    case list          // []interface{}
    case stringList    // []string
    case map           // map[string]interface{}

    var goName: String {
        switch self {
        case .any: return "interface {}"
        case .reflectValue: return "reflect.Value"
        case .string: return "string"
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .float64: return "float64"
        case .list: return "[]interface {}"
        case .stringList: return "[]string"
        case .map: return "map[string]interface {}"
        }
    }

    var canBeNil: Bool {
        switch self {
        case .any, .list, .stringList, .map: return true
        default: return false
        }
    }

    /// Whether a (concrete) value is assignable to this parameter.
    func accepts(_ v: GoValue) -> Bool {
        switch (self, v) {
        case (.any, _), (.reflectValue, _): return true
        case (.string, .string), (.bool, .bool), (.float64, .float): return true
        case (.int, .int(_, .int)), (.int64, .int(_, .int64)): return true
        case (.list, .list(_, .any)), (.stringList, .list(_, .string)), (.map, .map(_, .any)): return true
        default: return false
        }
    }

    /// The zero value a nil argument becomes.
    var nilValue: GoValue {
        switch self {
        case .list: return .list([], .any)
        case .stringList: return .list([], .string)
        case .map: return .dict([:])
        default: return .null
        }
    }
}

/// An error a template function returns (`error calling <name>: <message>`).
public struct FunctionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One entry of the template function map.
struct GoFunction: Sendable {
    var params: [GoParam]
    var variadic: GoParam?
    var body: @Sendable ([GoValue]) throws -> GoValue

    init(_ params: [GoParam], variadic: GoParam? = nil,
         _ body: @escaping @Sendable ([GoValue]) throws -> GoValue) {
        self.params = params
        self.variadic = variadic
        self.body = body
    }

    func paramType(at i: Int) -> GoParam {
        i < params.count ? params[i] : (variadic ?? .any)
    }
}

/// The function map templates run with.
public struct FunctionMap: Sendable {
    var functions: [String: GoFunction]

    init(_ functions: [String: GoFunction]) { self.functions = functions }

    /// Every function name (builtins included) a template may call.
    public var names: [String] { Array(Set(functions.keys).union(Builtins.names)).sorted() }

    func lookup(_ name: String) -> GoFunction? { functions[name] ?? Builtins.table[name] }

    func has(_ name: String) -> Bool { functions[name] != nil || Builtins.table[name] != nil || Builtins.names.contains(name) }
}

// MARK: - Argument helpers for function bodies

extension GoValue {
    var asString: String { if case .string(let s) = self { return s } else { return GoFormat.sprint(self) } }
    var asInt: Int { if case .int(let i, _) = self { return Int(clamping: i) } else { return 0 } }
    var asFloat: Double { if case .float(let f) = self { return f } else { return 0 } }
    var asBool: Bool { if case .bool(let b) = self { return b } else { return false } }
    var asMap: GoMap { if case .map(let m, _) = self { return m } else { return GoMap() } }
    var asList: [GoValue] { listItems ?? [] }
}
