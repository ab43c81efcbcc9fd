/// A template parse failure, formatted like Go's: `template: <name>:<line>: <message>`.
public struct TemplateParseError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var line: Int
    public var message: String
    public var description: String { "template: \(name):\(line): \(message)" }
}

/// The set of templates one `Parse` produces: the main one plus every `define` and `block`.
struct TemplateSet: Sendable {
    var main: [TemplateNode]
    var defined: [String: [TemplateNode]]
}

/// Go's text/template parser (recursive descent over the lexer's tokens).
struct Parser {
    private var tokens: [Token]
    private var index = 0
    private let name: String
    private let hasFunction: (String) -> Bool
    private var vars: [String] = ["$"]
    private var rangeDepth = 0
    private var depth = 0
    private var defined: [String: [TemplateNode]] = [:]
    /// Nesting of actions and parenthesized pipelines; bounded so execution fits a 512 KiB thread stack.
    static let maximumDepth = 32

    init(text: String, name: String, leftDelim: String, rightDelim: String, hasFunction: @escaping (String) -> Bool) {
        var lexer = Lexer(text, leftDelim: leftDelim, rightDelim: rightDelim)
        tokens = lexer.lexAll()
        self.name = name
        self.hasFunction = hasFunction
    }

    static func parse(_ text: String, name: String, leftDelim: String = "{{", rightDelim: String = "}}",
                      hasFunction: @escaping (String) -> Bool) throws(TemplateParseError) -> TemplateSet {
        var p = Parser(text: text, name: name, leftDelim: leftDelim, rightDelim: rightDelim, hasFunction: hasFunction)
        return try p.parseTop()
    }

    // MARK: - Token stream

    private var lastLine = 1

    private mutating func next() -> Token {
        let t = tokens[min(index, tokens.count - 1)]
        if index < tokens.count { index += 1 }
        lastLine = t.line
        return t
    }

    private func peek() -> Token { tokens[min(index, tokens.count - 1)] }

    private mutating func backup(_ n: Int = 1) { index -= n }

    private mutating func nextNonSpace() -> Token {
        var t = next()
        while t.kind == .space { t = next() }
        return t
    }

    private mutating func peekNonSpace() -> Token {
        let t = nextNonSpace()
        backup()
        return t
    }

    private func error(_ message: String) -> TemplateParseError {
        TemplateParseError(name: name, line: lastLine, message: message)
    }

    private func unexpected(_ token: Token, _ context: String) -> TemplateParseError {
        if token.kind == .error { return error(token.value) }
        return error("unexpected \(token.description) in \(context)")
    }

    // MARK: - Structure

    private mutating func parseTop() throws(TemplateParseError) -> TemplateSet {
        var root: [TemplateNode] = []
        while peek().kind != .eof {
            if peek().kind == .error { _ = next(); throw error(tokens[index - 1].value) }
            if peek().kind == .leftDelim {
                let mark = index
                _ = next()
                if nextNonSpace().kind == .kwDefine {
                    try parseDefinition()
                    continue
                }
                index = mark
            }
            let (node, terminator) = try textOrAction()
            if let terminator { throw error("unexpected \(terminator)") }
            if let node { root.append(node) }
        }
        return TemplateSet(main: root, defined: defined)
    }

    private mutating func parseDefinition() throws(TemplateParseError) {
        let context = "define clause"
        let tok = nextNonSpace()
        guard tok.kind == .string || tok.kind == .rawString else { throw unexpected(tok, context) }
        let defName = (try? GoLiterals.unquote(tok.value)) ?? tok.value
        let end = nextNonSpace()
        guard end.kind == .rightDelim else { throw unexpected(end, context) }
        let savedVars = vars
        vars = ["$"]
        let (list, terminator) = try itemList()
        vars = savedVars
        guard terminator == "{{end}}" else { throw error("unexpected \(terminator) in \(context)") }
        add(defName, list)
    }

    private mutating func add(_ defName: String, _ list: [TemplateNode]) {
        // Go keeps an existing non-empty definition when the new one is empty.
        if let existing = defined[defName], !existing.isEmpty, isEmptyTree(list) { return }
        defined[defName] = list
    }

    private func isEmptyTree(_ list: [TemplateNode]) -> Bool {
        list.allSatisfy { if case .text(let t) = $0 { return t.allSatisfy(\.isWhitespace) } else { return false } }
    }

    /// Items up to `{{end}}` or `{{else}}`; returns the terminator ("{{end}}" / "{{else}}").
    private mutating func itemList() throws(TemplateParseError) -> ([TemplateNode], String) {
        var list: [TemplateNode] = []
        while peekNonSpace().kind != .eof {
            if peek().kind == .error { throw error(next().value) }
            let (node, terminator) = try textOrAction()
            if let terminator { return (list, terminator) }
            if let node { list.append(node) }
        }
        if peek().kind == .error { throw error(next().value) }
        throw error("unexpected EOF")
    }

    private var pendingElseIsChained = false

    /// A text node, an action, or a terminator ("{{end}}"/"{{else}}").
    private mutating func textOrAction() throws(TemplateParseError) -> (TemplateNode?, String?) {
        let tok = nextNonSpace()
        switch tok.kind {
        case .text: return (.text(tok.value), nil)
        case .leftDelim:
            depth += 1
            defer { depth -= 1 }
            guard depth < Parser.maximumDepth else { throw error("max nesting depth exceeded") }
            return try action()
        case .error: throw error(tok.value)
        default: throw unexpected(tok, "input")
        }
    }

    private mutating func action() throws(TemplateParseError) -> (TemplateNode?, String?) {
        let tok = nextNonSpace()
        switch tok.kind {
        case .kwBlock: return (try blockControl(), nil)
        case .kwBreak, .kwContinue:
            let word = tok.kind == .kwBreak ? "break" : "continue"
            let t = nextNonSpace()
            guard t.kind == .rightDelim else { throw unexpected(t, "{{\(word)}}") }
            guard rangeDepth > 0 else { throw error("{{\(word)}} outside {{range}}") }
            return (tok.kind == .kwBreak ? .breakLoop(pos: tok.pos) : .continueLoop(pos: tok.pos), nil)
        case .kwElse:
            let p = peekNonSpace()
            if p.kind == .kwIf || p.kind == .kwWith {
                pendingElseIsChained = true
                return (nil, "{{else}}")
            }
            let t = nextNonSpace()
            guard t.kind == .rightDelim else { throw unexpected(t, "else") }
            pendingElseIsChained = false
            return (nil, "{{else}}")
        case .kwEnd:
            let t = nextNonSpace()
            guard t.kind == .rightDelim else { throw unexpected(t, "end") }
            return (nil, "{{end}}")
        case .kwIf: return (.ifBranch(try parseControl("if")), nil)
        case .kwRange: return (.rangeBranch(try parseControl("range")), nil)
        case .kwWith: return (.withBranch(try parseControl("with")), nil)
        case .kwTemplate: return (try templateControl(), nil)
        case .kwDefine: throw error("unexpected <define> in command")
        default:
            backup()
            return (.action(try pipeline("command", end: .rightDelim)), nil)
        }
    }

    private mutating func parseControl(_ context: String) throws(TemplateParseError) -> Branch {
        let savedVarCount = vars.count
        defer { vars.removeLast(vars.count - savedVarCount) }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, terminator) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: [TemplateNode]?
        if terminator == "{{else}}" {
            if pendingElseIsChained && (context == "if" && peekNonSpace().kind == .kwIf
                || context == "with" && peekNonSpace().kind == .kwWith)
            {
                pendingElseIsChained = false
                let kw = nextNonSpace()
                let nested = try parseControl(context)
                elseList = [kw.kind == .kwIf ? .ifBranch(nested) : .withBranch(nested)]
            } else {
                if pendingElseIsChained {
                    // "{{else if}}" inside range/with etc. is not allowed: Go reports the keyword.
                    pendingElseIsChained = false
                    throw unexpected(nextNonSpace(), "else")
                }
                let (list2, terminator2) = try itemList()
                guard terminator2 == "{{end}}" else { throw error("expected end; found \(terminator2)") }
                elseList = list2
            }
        }
        return Branch(pos: pipe.pos, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func templateName(_ context: String) throws(TemplateParseError) -> (Token, String) {
        let tok = nextNonSpace()
        guard tok.kind == .string || tok.kind == .rawString else { throw unexpected(tok, context) }
        do { return (tok, try GoLiterals.unquote(tok.value)) } catch { throw self.error(error.message) }
    }

    private mutating func templateControl() throws(TemplateParseError) -> TemplateNode {
        let context = "template clause"
        let (tok, tname) = try templateName(context)
        var pipe: Pipeline?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .templateCall(pos: tok.pos, name: tname, pipe: pipe)
    }

    private mutating func blockControl() throws(TemplateParseError) -> TemplateNode {
        let context = "block clause"
        let (tok, tname) = try templateName(context)
        let pipe = try pipeline(context, end: .rightDelim)
        let savedVars = vars, savedRange = rangeDepth
        vars = ["$"]; rangeDepth = 0
        let (list, terminator) = try itemList()
        vars = savedVars; rangeDepth = savedRange
        guard terminator == "{{end}}" else { throw error("unexpected \(terminator) in \(context)") }
        add(tname, list)
        return .templateCall(pos: tok.pos, name: tname, pipe: pipe)
    }

    // MARK: - Pipelines

    private mutating func pipeline(_ context: String, end: TokenKind) throws(TemplateParseError) -> Pipeline {
        var pipe = Pipeline(pos: peekNonSpace().pos, isAssign: false, decl: [], cmds: [])
        depth += 1
        defer { depth -= 1 }
        guard depth < Parser.maximumDepth else { throw error("max nesting depth exceeded") }
        decls: while peekNonSpace().kind == .variable {
            let mark = index
            let v = nextNonSpace()
            let afterVariable = peek()
            let nextTok = peekNonSpace()
            if nextTok.kind == .assign || nextTok.kind == .declare {
                pipe.isAssign = nextTok.kind == .assign
                _ = nextNonSpace()
                pipe.decl.append(v.value)
                if pipe.isAssign {
                    guard vars.contains(v.value) else { throw error("undefined variable \(GoFormat.quote(v.value))") }
                } else {
                    vars.append(v.value)
                }
                break decls
            } else if nextTok.kind == .char && nextTok.value == "," {
                _ = nextNonSpace()
                pipe.decl.append(v.value)
                vars.append(v.value)
                if context == "range" && pipe.decl.count < 2 {
                    let k = peekNonSpace().kind
                    if k == .variable || k == .rightDelim || k == .rightParen { continue decls }
                    throw error("range can only initialize variables")
                }
                throw error("too many declarations in \(context)")
            } else {
                // A plain operand: rewind to the variable.
                _ = afterVariable
                index = mark
                break decls
            }
        }
        while true {
            let tok = nextNonSpace()
            if tok.kind == end {
                guard !pipe.cmds.isEmpty else { throw error("missing value for \(context)") }
                for (i, c) in pipe.cmds.enumerated().dropFirst() {
                    switch c.args[0] {
                    case .bool, .dot, .null, .number, .string:
                        throw error("non executable command in pipeline stage \(i + 1)")
                    default: break
                    }
                }
                return pipe
            }
            switch tok.kind {
            case .bool, .charConstant, .dot, .field, .identifier, .number, .kwNil, .rawString, .string,
                .variable, .leftParen:
                backup()
                pipe.cmds.append(try command())
            default:
                throw unexpected(tok, context)
            }
        }
    }

    private mutating func command() throws(TemplateParseError) -> Command {
        var cmd = Command(pos: peekNonSpace().pos, args: [])
        while true {
            _ = peekNonSpace()
            if let operand = try operand() { cmd.args.append(operand) }
            let tok = next()
            switch tok.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(tok, "operand")
            }
            break
        }
        guard !cmd.args.isEmpty else { throw error("empty command") }
        return cmd
    }

    private mutating func operand() throws(TemplateParseError) -> Operand? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        let chainPos = peek().pos
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(next().value.dropFirst())) }
        switch node {
        case .field(let p, let f): return .field(pos: p, f + fields)
        case .variable(let p, let n, let f): return .variable(pos: p, name: n, fields: f + fields)
        case .bool, .string, .number, .null, .dot:
            throw error("unexpected . after term \(GoFormat.quote(node.description))")
        default: return .chain(pos: chainPos, node, fields)
        }
    }

    private mutating func term() throws(TemplateParseError) -> Operand? {
        let tok = nextNonSpace()
        switch tok.kind {
        case .identifier:
            guard hasFunction(tok.value) else { throw error("function \(GoFormat.quote(tok.value)) not defined") }
            return .identifier(pos: tok.pos, tok.value)
        case .dot: return .dot(pos: tok.pos)
        case .kwNil: return .null(pos: tok.pos)
        case .variable:
            let parts = tok.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard vars.contains(parts[0]) else { throw error("undefined variable \(GoFormat.quote(parts[0]))") }
            return .variable(pos: tok.pos, name: parts[0], fields: Array(parts.dropFirst()))
        case .field: return .field(pos: tok.pos, [String(tok.value.dropFirst())])
        case .bool: return .bool(pos: tok.pos, tok.value == "true")
        case .number, .charConstant:
            do {
                return .number(pos: tok.pos, try GoLiterals.number(tok.value, isChar: tok.kind == .charConstant))
            } catch { throw self.error(error.message) }
        case .leftParen:
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            do {
                return .string(pos: tok.pos, quoted: tok.value, value: try GoLiterals.unquote(tok.value))
            } catch { throw self.error(error.message) }
        case .error:
            throw error(tok.value)
        default:
            backup()
            return nil
        }
    }
}
