/// The parse tree of a Go template (text/template/parse node types).
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(Pipeline)
    case ifBranch(Branch)
    case rangeBranch(Branch)
    case withBranch(Branch)
    case templateCall(pos: Int, name: String, pipe: Pipeline?)
    case breakLoop(pos: Int)
    case continueLoop(pos: Int)
    case list([TemplateNode])
}

struct Branch: Sendable {
    var pos: Int
    var pipe: Pipeline
    var list: [TemplateNode]
    var elseList: [TemplateNode]?
}

struct Pipeline: Sendable, CustomStringConvertible {
    var pos: Int
    var isAssign: Bool
    var decl: [String]
    var cmds: [Command]

    var description: String {
        var s = ""
        if !decl.isEmpty {
            s = decl.joined(separator: ", ") + (isAssign ? " = " : " := ")
        }
        return s + cmds.map(\.description).joined(separator: " | ")
    }
}

struct Command: Sendable, CustomStringConvertible {
    var pos: Int
    var args: [Operand]

    var description: String {
        args.map { arg in
            if case .pipe(let p) = arg { return "(" + p.description + ")" }
            return arg.description
        }.joined(separator: " ")
    }
}

/// A numeric constant with every interpretation Go's parser found valid.
struct NumberConstant: Sendable {
    var text: String
    var isInt = false
    var int: Int64 = 0
    var isFloat = false
    var float: Double = 0
    var isChar = false
}

indirect enum Operand: Sendable, CustomStringConvertible {
    case field(pos: Int, [String])
    case variable(pos: Int, name: String, fields: [String])
    case identifier(pos: Int, String)
    case dot(pos: Int)
    case null(pos: Int)
    case bool(pos: Int, Bool)
    case number(pos: Int, NumberConstant)
    case string(pos: Int, quoted: String, value: String)
    case pipe(Pipeline)
    case chain(pos: Int, Operand, [String])

    var pos: Int {
        switch self {
        case .field(let p, _), .variable(let p, _, _), .identifier(let p, _), .dot(let p), .null(let p),
            .bool(let p, _), .number(let p, _), .string(let p, _, _), .chain(let p, _, _):
            return p
        case .pipe(let pipe): return pipe.pos
        }
    }

    var description: String {
        switch self {
        case .field(_, let f): return f.map { "." + $0 }.joined()
        case .variable(_, let n, let f): return n + f.map { "." + $0 }.joined()
        case .identifier(_, let n): return n
        case .dot: return "."
        case .null: return "nil"
        case .bool(_, let b): return b ? "true" : "false"
        case .number(_, let n): return n.text
        case .string(_, let q, _): return q
        case .pipe(let p): return "(" + p.description + ")"
        case .chain(_, let node, let fields):
            let inner: String
            if case .pipe(let p) = node { inner = "(" + p.description + ")" } else { inner = node.description }
            return inner + fields.map { "." + $0 }.joined()
        }
    }
}
