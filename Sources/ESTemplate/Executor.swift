/// A template execution failure, formatted like Go's:
/// `template: key:1:3: executing "key" at <.missing>: map has no entry for key "missing"`.
public struct TemplateExecError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Resource limits for one execution: a template that loops or grows without bound is stopped.
public struct TemplateLimits: Sendable {
    /// Nodes walked, loop iterations and function calls.
    public var maxSteps: Int
    /// Bytes of rendered output.
    public var maxOutputBytes: Int
    /// Nested `{{template}}` calls.
    public var maxDepth: Int

    public init(maxSteps: Int = 2_000_000, maxOutputBytes: Int = 4 << 20, maxDepth: Int = 32) {
        self.maxSteps = maxSteps
        self.maxOutputBytes = maxOutputBytes
        self.maxDepth = maxDepth
    }

    public static let `default` = TemplateLimits()
}

/// A value plus whether its static type is `interface {}` (it came out of a `map[string]interface {}`
/// or `[]interface {}`), which changes Go's error messages.
struct Slot {
    var value: GoValue
    var viaInterface: Bool
    static let missing = Slot(value: .null, viaInterface: false)
}

private enum Flow { case normal, breakLoop, continueLoop }

/// Executes a parsed template set against data (text/template's `state`).
final class Executor {
    private let set: TemplateSet
    private let functions: FunctionMap
    private let parseName: String
    private let text: [UInt8]
    private let limits: TemplateLimits
    private var templateName: String
    private var vars: [(name: String, value: Slot)] = []
    private var output = ""
    private var outputBytes = 0
    private var steps = 0
    private var depth = 0
    private var atPos = -1
    private var atContext = ""

    init(set: TemplateSet, functions: FunctionMap, name: String, text: String, limits: TemplateLimits) {
        self.set = set
        self.functions = functions
        self.parseName = name
        self.templateName = name
        self.text = Array(text.utf8)
        self.limits = limits
    }

    func execute(data: GoValue) throws(TemplateExecError) -> String {
        let dot = Slot(value: data, viaInterface: false)
        vars = [("$", dot)]
        _ = try walkList(dot, set.main)
        return output
    }

    // MARK: - Errors

    private func at(_ pos: Int, _ context: String) {
        atPos = pos
        atContext = context
    }

    private func fail(_ message: String) -> TemplateExecError {
        guard atPos >= 0 else {
            return TemplateExecError(description: "template: \(templateName): \(message)")
        }
        let pos = min(atPos, text.count)
        var line = 1
        var lineStart = 0
        for i in 0..<pos where text[i] == 0x0A { line += 1; lineStart = i + 1 }
        let col = pos - lineStart
        return TemplateExecError(description:
            "template: \(parseName):\(line):\(col): executing \(GoFormat.quote(templateName)) at <\(atContext)>: \(message)")
    }

    private func step() throws(TemplateExecError) {
        steps += 1
        if steps > limits.maxSteps {
            throw TemplateExecError(description:
                "template: \(parseName): execution stopped: more than \(limits.maxSteps) steps")
        }
    }

    private func write(_ s: String) throws(TemplateExecError) {
        outputBytes += s.utf8.count
        if outputBytes > limits.maxOutputBytes {
            throw TemplateExecError(description:
                "template: \(parseName): execution stopped: output larger than \(limits.maxOutputBytes) bytes")
        }
        output += s
    }

    // MARK: - Variables

    private func push(_ name: String, _ value: Slot) { vars.append((name, value)) }

    private func setVar(_ name: String, _ value: Slot) throws(TemplateExecError) {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name {
            vars[i].value = value
            return
        }
        throw fail("undefined variable: \(name)")
    }

    private func varValue(_ name: String) throws(TemplateExecError) -> Slot {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name {
            return vars[i].value
        }
        throw fail("undefined variable: \(name)")
    }

    // MARK: - Walking

    private func walkList(_ dot: Slot, _ list: [TemplateNode]) throws(TemplateExecError) -> Flow {
        for node in list {
            let flow = try walk(dot, node)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func walk(_ dot: Slot, _ node: TemplateNode) throws(TemplateExecError) -> Flow {
        try step()
        switch node {
        case .text(let t):
            try write(t)
        case .action(let pipe):
            let v = try evalPipeline(dot, pipe)
            if pipe.decl.isEmpty {
                try write(v.value.isNull ? "<no value>" : GoFormat.sprint(v.value))
            }
        case .list(let l):
            return try walkList(dot, l)
        case .ifBranch(let b):
            return try walkIfOrWith(dot, b, isWith: false)
        case .withBranch(let b):
            return try walkIfOrWith(dot, b, isWith: true)
        case .rangeBranch(let b):
            return try walkRange(dot, b)
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .templateCall(let pos, let name, let pipe):
            try walkTemplate(dot, pos: pos, name: name, pipe: pipe)
        }
        return .normal
    }

    private func walkIfOrWith(_ dot: Slot, _ b: Branch, isWith: Bool) throws(TemplateExecError) -> Flow {
        let mark = vars.count
        defer { vars.removeLast(vars.count - mark) }
        var val = try evalPipeline(dot, b.pipe)
        val.viaInterface = false
        if val.value.isTrue {
            return try walkList(isWith ? val : dot, b.list)
        } else if let e = b.elseList {
            return try walkList(dot, e)
        }
        return .normal
    }

    private func walkRange(_ dot: Slot, _ r: Branch) throws(TemplateExecError) -> Flow {
        at(r.pipe.pos, r.pipe.description)
        let mark = vars.count
        defer { vars.removeLast(vars.count - mark) }
        let val = try evalPipeline(dot, r.pipe)
        let mark2 = vars.count

        func iteration(_ index: Slot, _ elem: Slot) throws(TemplateExecError) -> Flow {
            try step()
            if !r.pipe.decl.isEmpty {
                if r.pipe.isAssign {
                    try setVar(r.pipe.decl[0], r.pipe.decl.count > 1 ? index : elem)
                } else {
                    vars[vars.count - 1].value = elem
                }
            }
            if r.pipe.decl.count > 1 {
                if r.pipe.isAssign { try setVar(r.pipe.decl[1], elem) } else { vars[vars.count - 2].value = index }
            }
            defer { vars.removeLast(vars.count - mark2) }
            return try walkList(elem, r.list)
        }

        var ran = false
        switch val.value {
        case .list(let items, let elem):
            for (i, item) in items.enumerated() {
                ran = true
                let flow = try iteration(Slot(value: .int(i), viaInterface: false),
                                         Slot(value: item, viaInterface: elem == .any))
                if flow == .breakLoop { break }
            }
        case .bytes(let bytes):
            for (i, b) in bytes.enumerated() {
                ran = true
                let flow = try iteration(Slot(value: .int(i), viaInterface: false),
                                         Slot(value: .int(Int64(b), .uint8), viaInterface: false))
                if flow == .breakLoop { break }
            }
        case .map(let m, let elem):
            for key in m.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                ran = true
                let flow = try iteration(Slot(value: .string(key), viaInterface: false),
                                         Slot(value: m[key] ?? .null, viaInterface: elem == .any))
                if flow == .breakLoop { break }
            }
        case .int(let n, let t):
            if r.pipe.decl.count > 1 {
                throw fail("can't use \(n) to iterate over more than one variable")
            }
            var i: Int64 = 0
            while i < n {
                ran = true
                let v = Slot(value: .int(i, t), viaInterface: false)
                let flow = try iteration(v, v)
                if flow == .breakLoop { break }
                i += 1
            }
        case .null:
            break
        default:
            throw fail("range can't iterate over \(GoFormat.sprint(val.value))")
        }
        if !ran, let e = r.elseList {
            return try walkList(dot, e)
        }
        return .normal
    }

    private func walkTemplate(_ dot: Slot, pos: Int, name: String, pipe: Pipeline?) throws(TemplateExecError) {
        let context = pipe.map { "{{template \(GoFormat.quote(name)) \($0.description)}}" }
            ?? "{{template \(GoFormat.quote(name))}}"
        at(pos, context)
        guard let body = set.defined[name] else {
            throw fail("template \(GoFormat.quote(name)) not defined")
        }
        var newDot = Slot.missing
        if let pipe { newDot = try evalPipeline(dot, pipe); newDot.viaInterface = false }
        guard depth < limits.maxDepth else {
            at(pos, context)
            throw fail("exceeded maximum template depth (\(limits.maxDepth))")
        }
        let savedVars = vars, savedName = templateName
        depth += 1
        vars = [("$", newDot)]
        templateName = name
        defer { vars = savedVars; templateName = savedName; depth -= 1 }
        _ = try walkList(newDot, body)
    }

    // MARK: - Pipelines and commands

    private func evalPipeline(_ dot: Slot, _ pipe: Pipeline) throws(TemplateExecError) -> Slot {
        at(pipe.pos, pipe.description)
        var value: Slot? = nil
        for cmd in pipe.cmds {
            var v = try evalCommand(dot, cmd, final: value)
            v.viaInterface = false
            value = v
        }
        let result = value ?? .missing
        for name in pipe.decl {
            if pipe.isAssign { try setVar(name, result) } else { push(name, result) }
        }
        return result
    }

    private func notAFunction(_ args: [Operand], _ final: Slot?) throws(TemplateExecError) {
        if args.count > 1 || final != nil {
            throw fail("can't give argument to non-function \(args[0].description)")
        }
    }

    private func evalCommand(_ dot: Slot, _ cmd: Command, final: Slot?) throws(TemplateExecError) -> Slot {
        let first = cmd.args[0]
        switch first {
        case .field(let pos, let fields):
            at(pos, first.description)
            return try evalFieldChain(dot, receiver: dot, fields: fields, args: cmd.args, final: final)
        case .chain(let pos, let inner, let fields):
            at(pos, first.description)
            if case .null = inner { throw fail("indirection through explicit nil in \(first.description)") }
            let receiver = try evalArgUntyped(dot, inner)
            at(pos, first.description)
            return try evalFieldChain(dot, receiver: receiver, fields: fields, args: cmd.args, final: final)
        case .identifier(let pos, let name):
            return try evalFunction(dot, name: name, pos: pos, cmd: cmd, args: cmd.args, final: final)
        case .pipe(let p):
            try notAFunction(cmd.args, final)
            return try evalPipeline(dot, p)
        case .variable(let pos, let name, let fields):
            at(pos, first.description)
            let value = try varValue(name)
            if fields.isEmpty {
                try notAFunction(cmd.args, final)
                return value
            }
            return try evalFieldChain(dot, receiver: value, fields: fields, args: cmd.args, final: final)
        default:
            break
        }
        at(first.pos, first.description)
        try notAFunction(cmd.args, final)
        switch first {
        case .bool(_, let b): return Slot(value: .bool(b), viaInterface: false)
        case .dot: return dot
        case .null: throw fail("nil is not a command")
        case .number(_, let n): return Slot(value: try idealConstant(n), viaInterface: false)
        case .string(_, _, let s): return Slot(value: .string(s), viaInterface: false)
        default: throw fail("can't evaluate command \(first.description)")
        }
    }

    private func idealConstant(_ n: NumberConstant) throws(TemplateExecError) -> GoValue {
        let lower = n.text.lowercased()
        let isHexInt = (lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x")) && !lower.contains("p")
        if n.isFloat && !isHexInt && !n.isChar && (lower.contains(".") || lower.contains("e") || lower.contains("p")) {
            return .float(n.float)
        }
        if n.isInt { return .int(n.int, .int) }
        throw fail("\(n.text) overflows int")
    }

    private func evalFieldChain(_ dot: Slot, receiver: Slot, fields: [String], args: [Operand],
                                final: Slot?) throws(TemplateExecError) -> Slot {
        var r = receiver
        for (i, f) in fields.enumerated() {
            let last = i == fields.count - 1
            r = try evalField(f, receiver: r, hasArgs: last && (args.count > 1 || final != nil))
        }
        return r
    }

    private func evalField(_ name: String, receiver: Slot, hasArgs: Bool) throws(TemplateExecError) -> Slot {
        let staticType = receiver.viaInterface ? "interface {}" : receiver.value.typeName
        switch receiver.value {
        case .null:
            if receiver.viaInterface { throw fail("nil pointer evaluating interface {}.\(name)") }
            throw fail("nil data; no entry for key \(GoFormat.quote(name))")
        case .map(let m, let elem):
            if hasArgs { throw fail("\(name) is not a method but has arguments") }
            guard let v = m[name] else { throw fail("map has no entry for key \(GoFormat.quote(name))") }
            return Slot(value: v, viaInterface: elem == .any)
        default:
            throw fail("can't evaluate field \(name) in type \(staticType)")
        }
    }

    // MARK: - Functions

    private func evalFunction(_ dot: Slot, name: String, pos: Int, cmd: Command, args: [Operand],
                              final: Slot?) throws(TemplateExecError) -> Slot {
        at(pos, name)
        try step()
        let argNodes = Array(args.dropFirst())
        if name == "and" || name == "or" {
            guard !argNodes.isEmpty || final != nil else {
                throw fail("wrong number of args for \(name): want at least 1 got 0")
            }
            var v = Slot.missing
            for node in argNodes {
                v = Slot(value: try evalArg(dot, .reflectValue, node), viaInterface: false)
                if v.value.isTrue == (name == "or") { return v }
            }
            if let final { v = Slot(value: try validateType(final, .reflectValue), viaInterface: false) }
            return v
        }
        if name == "call" {
            throw fail("error calling call: call of nil")
        }
        guard let fn = functions.lookup(name) else { throw fail("\(GoFormat.quote(name)) is not a defined function") }
        let numIn = argNodes.count + (final == nil ? 0 : 1)
        if fn.variadic != nil {
            if numIn < fn.params.count {
                throw fail("wrong number of args for \(name): want at least \(fn.params.count) got \(argNodes.count)")
            }
        } else if numIn != fn.params.count {
            throw fail("wrong number of args for \(name): want \(fn.params.count) got \(numIn)")
        }
        var argv: [GoValue] = []
        argv.reserveCapacity(numIn)
        for (i, node) in argNodes.enumerated() {
            argv.append(try evalArg(dot, fn.paramType(at: i), node))
        }
        if let final {
            argv.append(try validateType(final, fn.paramType(at: numIn - 1)))
        }
        do {
            return Slot(value: try fn.body(argv), viaInterface: false)
        } catch let error as TemplateExecError {
            throw error
        } catch {
            at(cmd.pos, cmd.description)
            let message = (error as? FunctionError)?.message ?? "\(error)"
            throw fail("error calling \(name): \(message)")
        }
    }

    /// Evaluates an argument without a target type (chain receivers).
    private func evalArgUntyped(_ dot: Slot, _ node: Operand) throws(TemplateExecError) -> Slot {
        at(node.pos, node.description)
        switch node {
        case .dot: return dot
        case .field(_, let f): return try evalFieldChain(dot, receiver: dot, fields: f, args: [node], final: nil)
        case .variable(_, let n, let f):
            let v = try varValue(n)
            return f.isEmpty ? v : try evalFieldChain(dot, receiver: v, fields: f, args: [node], final: nil)
        case .pipe(let p): return try evalPipeline(dot, p)
        case .identifier(let pos, let name):
            return try evalFunction(dot, name: name, pos: pos, cmd: Command(pos: pos, args: [node]), args: [node], final: nil)
        case .chain(let pos, let inner, let fields):
            let r = try evalArgUntyped(dot, inner)
            at(pos, node.description)
            return try evalFieldChain(dot, receiver: r, fields: fields, args: [node], final: nil)
        default:
            return Slot(value: try evalEmptyInterface(dot, node), viaInterface: false)
        }
    }

    private func evalEmptyInterface(_ dot: Slot, _ node: Operand) throws(TemplateExecError) -> GoValue {
        switch node {
        case .bool(_, let b): return .bool(b)
        case .number(_, let n): return try idealConstant(n)
        case .string(_, _, let s): return .string(s)
        default: return try evalArgUntyped(dot, node).value
        }
    }

    private func evalArg(_ dot: Slot, _ type: GoParam, _ node: Operand) throws(TemplateExecError) -> GoValue {
        at(node.pos, node.description)
        switch node {
        case .dot, .field, .variable, .pipe, .identifier, .chain:
            let v = try evalArgUntyped(dot, node)
            return try validateType(v, type)
        case .null:
            if type.canBeNil { return type.nilValue }
            throw fail("cannot assign nil to \(type.goName)")
        case .bool(_, let b):
            switch type {
            case .bool, .any, .reflectValue: return .bool(b)
            default: break
            }
        case .string(_, _, let s):
            switch type {
            case .string, .any, .reflectValue: return .string(s)
            default: break
            }
        case .number(_, let n):
            switch type {
            case .any, .reflectValue: return try idealConstant(n)
            case .int, .int64:
                guard n.isInt else { throw fail("expected integer; found \(n.text)") }
                return .int(n.int, type == .int ? .int : .int64)
            case .float64:
                guard n.isFloat else { throw fail("expected float; found \(n.text)") }
                return .float(n.float)
            default: break
            }
        }
        switch type {
        case .bool: throw fail("expected bool; found \(node.description)")
        case .string: throw fail("expected string; found \(node.description)")
        case .int, .int64: throw fail("expected integer; found \(node.description)")
        case .float64: throw fail("expected float; found \(node.description)")
        default: throw fail("can't handle \(node.description) for arg of type \(type.goName)")
        }
    }

    private func validateType(_ slot: Slot, _ type: GoParam) throws(TemplateExecError) -> GoValue {
        if case .null = slot.value {
            if slot.viaInterface {
                if type == .any || type == .reflectValue { return .null }
                throw fail("wrong type for value; expected \(type.goName); got interface {}")
            }
            if type.canBeNil { return type.nilValue }
            throw fail("invalid value; expected \(type.goName)")
        }
        guard type.accepts(slot.value) else {
            throw fail("wrong type for value; expected \(type.goName); got \(slot.value.typeName)")
        }
        return slot.value
    }
}
