/// Tokens of Go's text/template lexer.
enum TokenKind: Equatable, Sendable {
    case error, eof, text, leftDelim, rightDelim, space, identifier, field, variable
    case string, rawString, charConstant, number, bool, dot, pipe, leftParen, rightParen
    case declare, assign, char, comment
    // keywords
    case kwBlock, kwBreak, kwContinue, kwDefine, kwElse, kwEnd, kwIf, kwNil, kwRange, kwTemplate, kwWith
}

struct Token: Sendable {
    var kind: TokenKind
    var value: String
    var pos: Int      // byte offset in the template text
    var line: Int

    /// How Go's parser names a token in "unexpected %s" messages.
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return value
        case .kwBlock, .kwBreak, .kwContinue, .kwDefine, .kwElse, .kwEnd, .kwIf, .kwNil, .kwRange,
             .kwTemplate, .kwWith:
            return "<\(value)>"
        default:
            if value.unicodeScalars.count > 10 {
                let q = GoFormat.quote(value)
                // %.10q: the quoted form truncated to 10 characters of the value.
                let truncated = GoFormat.quote(String(String.UnicodeScalarView(value.unicodeScalars.prefix(10))))
                _ = q
                return truncated + "..."
            }
            return GoFormat.quote(value)
        }
    }
}

/// Go's text/template lexer: text and actions with configurable delimiters, trim markers,
/// comments, strings, raw strings, character constants and numbers.
struct Lexer {
    let input: [UInt8]
    let leftDelim: [UInt8]
    let rightDelim: [UInt8]
    var pos = 0
    var start = 0
    var line = 1
    var startLine = 1
    var parenDepth = 0
    var insideAction = false
    var tokens: [Token] = []
    var done = false

    static let trimLeft: [UInt8] = Array("-".utf8)

    init(_ text: String, leftDelim: String, rightDelim: String) {
        input = Array(text.utf8)
        self.leftDelim = Array((leftDelim.isEmpty ? "{{" : leftDelim).utf8)
        self.rightDelim = Array((rightDelim.isEmpty ? "}}" : rightDelim).utf8)
    }

    /// Lexes everything up to EOF or the first error (the last token is .eof or .error).
    mutating func lexAll() -> [Token] {
        while !done { step() }
        return tokens
    }

    // MARK: - Helpers

    private func hasPrefix(_ p: [UInt8], at i: Int) -> Bool {
        guard i + p.count <= input.count else { return false }
        for k in 0..<p.count where input[i + k] != p[k] { return false }
        return true
    }

    private func peekByte(_ offset: Int = 0) -> UInt8? {
        pos + offset < input.count ? input[pos + offset] : nil
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }

    private func text(_ from: Int, _ to: Int) -> String { String(decoding: input[from..<to], as: UTF8.self) }

    private mutating func emit(_ kind: TokenKind) {
        tokens.append(Token(kind: kind, value: text(start, pos), pos: start, line: startLine))
        advanceStart()
    }

    private mutating func advanceStart() {
        start = pos
        startLine = line
    }

    private mutating func ignore() {
        line += input[start..<pos].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        advanceStart()
    }

    private mutating func move(_ n: Int) {
        for _ in 0..<n where pos < input.count {
            if input[pos] == 0x0A { line += 1 }
            pos += 1
        }
    }

    private mutating func fail(_ message: String) {
        tokens.append(Token(kind: .error, value: message, pos: start, line: startLine))
        done = true
    }

    // MARK: - States

    private mutating func step() {
        if insideAction { lexInsideAction() } else { lexText() }
    }

    private mutating func lexText() {
        var i = pos
        while i < input.count, !hasPrefix(leftDelim, at: i) { i += 1 }
        if i >= input.count {
            move(input.count - pos)
            if pos > start { emitText(trimmingTrailing: false) }
            tokens.append(Token(kind: .eof, value: "", pos: pos, line: line))
            done = true
            return
        }
        move(i - pos)
        let afterDelim = i + leftDelim.count
        let trim = afterDelim + 1 < input.count && input[afterDelim] == UInt8(ascii: "-") && Lexer.isSpace(input[afterDelim + 1])
        if pos > start { emitText(trimmingTrailing: trim) }
        lexLeftDelim(trim: trim)
    }

    private mutating func emitText(trimmingTrailing: Bool) {
        var end = pos
        if trimmingTrailing {
            while end > start, Lexer.isSpace(input[end - 1]) { end -= 1 }
        }
        if end > start {
            tokens.append(Token(kind: .text, value: text(start, end), pos: start, line: startLine))
        }
        ignore()
    }

    private mutating func lexLeftDelim(trim: Bool) {
        move(leftDelim.count)
        let afterMarker = pos + (trim ? 2 : 0)
        if hasPrefix(Array("/*".utf8), at: afterMarker) {
            move(afterMarker - pos)
            ignore()
            lexComment()
            return
        }
        tokens.append(Token(kind: .leftDelim, value: text(start, pos), pos: start, line: startLine))
        move(trim ? 2 : 0)
        ignore()
        insideAction = true
        parenDepth = 0
    }

    private mutating func lexComment() {
        // pos at "/*"
        var i = pos + 2
        while i + 1 < input.count, !(input[i] == UInt8(ascii: "*") && input[i + 1] == UInt8(ascii: "/")) { i += 1 }
        guard i + 1 < input.count else { fail("unclosed comment"); return }
        move(i + 2 - pos)
        let (isDelim, trim) = atRightDelim()
        guard isDelim else { fail("comment ends before closing delimiter"); return }
        move((trim ? 2 : 0) + rightDelim.count)
        ignore()
        if trim { skipLeadingSpace() }
    }

    private func atRightDelim() -> (Bool, Bool) {
        if pos + 1 < input.count, Lexer.isSpace(input[pos]), input[pos + 1] == UInt8(ascii: "-"),
            hasPrefix(rightDelim, at: pos + 2)
        {
            return (true, true)
        }
        if hasPrefix(rightDelim, at: pos) { return (true, false) }
        return (false, false)
    }

    private mutating func skipLeadingSpace() {
        while pos < input.count, Lexer.isSpace(input[pos]) { move(1) }
        ignore()
    }

    private mutating func lexRightDelim(trim: Bool) {
        if trim { move(2); ignore() }
        move(rightDelim.count)
        emit(.rightDelim)
        insideAction = false
        if trim { skipLeadingSpace() }
    }

    private mutating func lexInsideAction() {
        let (isDelim, trim) = atRightDelim()
        if isDelim {
            if parenDepth == 0 {
                lexRightDelim(trim: trim)
            } else {
                fail("unclosed left paren")
            }
            return
        }
        guard let c = peekByte() else { fail("unclosed action"); return }
        switch c {
        case _ where Lexer.isSpace(c):
            while let b = peekByte(), Lexer.isSpace(b) {
                // Stop before a right trim marker " -}}".
                if atRightDelim().0 { break }
                move(1)
            }
            emit(.space)
        case UInt8(ascii: "="):
            move(1); emit(.assign)
        case UInt8(ascii: ":"):
            move(1)
            guard peekByte() == UInt8(ascii: "=") else { fail("expected :="); return }
            move(1); emit(.declare)
        case UInt8(ascii: "|"):
            move(1); emit(.pipe)
        case UInt8(ascii: "\""):
            lexQuote()
        case UInt8(ascii: "`"):
            lexRawQuote()
        case UInt8(ascii: "$"):
            lexVariableOrField(kind: .variable)
        case UInt8(ascii: "'"):
            lexChar()
        case UInt8(ascii: "."):
            if let n = peekByte(1), n >= 0x30 && n <= 0x39 {
                lexNumber()
            } else {
                lexVariableOrField(kind: .field)
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), 0x30...0x39:
            lexNumber()
        case _ where Lexer.isAlnum(c):
            lexIdentifier()
        case UInt8(ascii: "("):
            move(1); emit(.leftParen); parenDepth += 1
        case UInt8(ascii: ")"):
            move(1)
            parenDepth -= 1
            if parenDepth < 0 { fail("unexpected right paren"); return }
            emit(.rightParen)
        default:
            if c < 0x80 && c >= 0x20 && c != 0x7F {
                move(1); emit(.char)
            } else {
                let scalar = String(decoding: input[pos..<min(input.count, pos + 4)], as: UTF8.self).unicodeScalars.first
                fail("unrecognized character in action: \(Lexer.describe(scalar))")
            }
        }
    }

    /// `%#U` formatting: `U+0023 '#'`.
    static func describe(_ s: Unicode.Scalar?) -> String {
        guard let s else { return "U+FFFD '\u{FFFD}'" }
        let hex = GoFormat.pad(String(s.value, radix: 16).uppercased(), 4)
        return GoFormat.isPrint(s) ? "U+\(hex) '\(Character(s))'" : "U+\(hex)"
    }

    private func atTerminator() -> Bool {
        guard let c = peekByte() else { return true }
        if Lexer.isSpace(c) { return true }
        switch c {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"),
            UInt8(ascii: "("):
            return true
        default:
            return hasPrefix(rightDelim, at: pos)
        }
    }

    private mutating func badCharacter() {
        let scalar = String(decoding: input[pos..<min(input.count, pos + 4)], as: UTF8.self).unicodeScalars.first
        fail("bad character \(Lexer.describe(scalar))")
    }

    private mutating func lexIdentifier() {
        while let b = peekByte(), Lexer.isAlnum(b) { move(1) }
        guard atTerminator() else { badCharacter(); return }
        let word = text(start, pos)
        let kind: TokenKind
        switch word {
        case "block": kind = .kwBlock
        case "break": kind = .kwBreak
        case "continue": kind = .kwContinue
        case "define": kind = .kwDefine
        case "else": kind = .kwElse
        case "end": kind = .kwEnd
        case "if": kind = .kwIf
        case "nil": kind = .kwNil
        case "range": kind = .kwRange
        case "template": kind = .kwTemplate
        case "with": kind = .kwWith
        case "true", "false": kind = .bool
        default: kind = .identifier
        }
        emit(kind)
    }

    private mutating func lexVariableOrField(kind: TokenKind) {
        move(1)   // '$' or '.'
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return
        }
        while let b = peekByte(), Lexer.isAlnum(b) { move(1) }
        guard atTerminator() else { badCharacter(); return }
        emit(kind)
    }

    private mutating func lexChar() {
        move(1)
        while true {
            guard let c = peekByte(), c != 0x0A else { fail("unterminated character constant"); return }
            move(1)
            if c == UInt8(ascii: "\\") {
                guard let n = peekByte(), n != 0x0A else { fail("unterminated character constant"); return }
                move(1)
            } else if c == UInt8(ascii: "'") {
                break
            }
        }
        emit(.charConstant)
    }

    private mutating func lexQuote() {
        move(1)
        while true {
            guard let c = peekByte(), c != 0x0A else { fail("unterminated quoted string"); return }
            move(1)
            if c == UInt8(ascii: "\\") {
                guard let n = peekByte(), n != 0x0A else { fail("unterminated quoted string"); return }
                move(1)
            } else if c == UInt8(ascii: "\"") {
                break
            }
        }
        emit(.string)
    }

    private mutating func lexRawQuote() {
        move(1)
        while true {
            guard let c = peekByte() else { fail("unterminated raw quoted string"); return }
            move(1)
            if c == UInt8(ascii: "`") { break }
        }
        emit(.rawString)
    }

    private mutating func accept(_ set: String) -> Bool {
        if let c = peekByte(), set.utf8.contains(c) { move(1); return true }
        return false
    }

    private mutating func acceptRun(_ set: String) {
        while let c = peekByte(), set.utf8.contains(c) { move(1) }
    }

    /// Go's scanNumber: sign, base prefixes, underscores, fraction, exponent, imaginary suffix.
    private mutating func lexNumber() {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") { digits = "0123456789abcdefABCDEF_" }
            else if accept("oO") { digits = "01234567_" }
            else if accept("bB") { digits = "01_" }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-"); acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-"); acceptRun("0123456789_")
        }
        _ = accept("i")
        if let c = peekByte(), Lexer.isAlnum(c) {
            move(1)
            fail("bad number syntax: \(GoFormat.quote(text(start, pos)))")
            return
        }
        emit(.number)
    }
}
