import ESRegex
import Testing

/// A pattern Go's regexp.Compile rejects, with Go's exact err.Error() text.
struct CompileErrorCase: Sendable, CustomStringConvertible {
    var pattern: String
    var message: String
    init(_ pattern: String, _ message: String) {
        self.pattern = pattern
        self.message = message
    }
    var description: String { pattern }
}

let compileErrorCases: [CompileErrorCase] = [
    CompileErrorCase(#"(a"#, #"error parsing regexp: missing closing ): `(a`"#),
    CompileErrorCase(#"("#, #"error parsing regexp: missing closing ): `(`"#),
    CompileErrorCase(#"(a|b"#, #"error parsing regexp: missing closing ): `(a|b`"#),
    CompileErrorCase(#"(?P<name>a"#, #"error parsing regexp: missing closing ): `(?P<name>a`"#),
    CompileErrorCase(#"a)"#, #"error parsing regexp: unexpected ): `a)`"#),
    CompileErrorCase(#")"#, #"error parsing regexp: unexpected ): `)`"#),
    CompileErrorCase(#"(a))"#, #"error parsing regexp: unexpected ): `(a))`"#),
    CompileErrorCase(#"a|b|)"#, #"error parsing regexp: unexpected ): `a|b|)`"#),
    CompileErrorCase(#"\1"#, #"error parsing regexp: invalid escape sequence: `\1`"#),
    CompileErrorCase(#"(a)\1"#, #"error parsing regexp: invalid escape sequence: `\1`"#),
    CompileErrorCase(#"\8"#, #"error parsing regexp: invalid escape sequence: `\8`"#),
    CompileErrorCase(#"\C"#, #"error parsing regexp: invalid escape sequence: `\C`"#),
    CompileErrorCase(#"\Z"#, #"error parsing regexp: invalid escape sequence: `\Z`"#),
    CompileErrorCase(#"\xZZ"#, #"error parsing regexp: invalid escape sequence: `\xZZ`"#),
    CompileErrorCase(#"\x{}"#, #"error parsing regexp: invalid escape sequence: `\x{}`"#),
    CompileErrorCase(#"\x{110000}"#, #"error parsing regexp: invalid escape sequence: `\x{110000`"#),
    CompileErrorCase(#"[\b]"#, #"error parsing regexp: invalid escape sequence: `\b`"#),
    CompileErrorCase(#"[a-\d]"#, #"error parsing regexp: invalid escape sequence: `\d`"#),
    CompileErrorCase(#"a\"#, #"error parsing regexp: trailing backslash at end of expression: ``"#),
    CompileErrorCase(#"(?=a)"#, #"error parsing regexp: invalid or unsupported Perl syntax: `(?=`"#),
    CompileErrorCase(#"(?!a)"#, #"error parsing regexp: invalid or unsupported Perl syntax: `(?!`"#),
    CompileErrorCase(#"(?P=name)"#, #"error parsing regexp: invalid or unsupported Perl syntax: `(?P`"#),
    CompileErrorCase(#"(?z)"#, #"error parsing regexp: invalid or unsupported Perl syntax: `(?z`"#),
    CompileErrorCase(#"x(?i"#, #"error parsing regexp: invalid or unsupported Perl syntax: `(?i`"#),
    CompileErrorCase(#"(?i-)a"#, #"error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"#),
    CompileErrorCase(#"(?--i)a"#, #"error parsing regexp: invalid or unsupported Perl syntax: `(?--`"#),
    CompileErrorCase(#"*"#, #"error parsing regexp: missing argument to repetition operator: `*`"#),
    CompileErrorCase(#"+a"#, #"error parsing regexp: missing argument to repetition operator: `+`"#),
    CompileErrorCase(#"a|*"#, #"error parsing regexp: missing argument to repetition operator: `*`"#),
    CompileErrorCase(#"(*)"#, #"error parsing regexp: missing argument to repetition operator: `*`"#),
    CompileErrorCase(#"(?i)*"#, #"error parsing regexp: missing argument to repetition operator: `*`"#),
    CompileErrorCase(#"??"#, #"error parsing regexp: missing argument to repetition operator: `??`"#),
    CompileErrorCase(#"{2}"#, #"error parsing regexp: missing argument to repetition operator: `{2}`"#),
    CompileErrorCase(#"\Q\E*"#, #"error parsing regexp: missing argument to repetition operator: `*`"#),
    CompileErrorCase(#"a**"#, #"error parsing regexp: invalid nested repetition operator: `**`"#),
    CompileErrorCase(#"a*+"#, #"error parsing regexp: invalid nested repetition operator: `*+`"#),
    CompileErrorCase(#"a??+"#, #"error parsing regexp: invalid nested repetition operator: `??+`"#),
    CompileErrorCase(#"a{2}{3}"#, #"error parsing regexp: invalid nested repetition operator: `{2}{3}`"#),
    CompileErrorCase(#"a{1001}"#, #"error parsing regexp: invalid repeat count: `{1001}`"#),
    CompileErrorCase(#"a{1001}?"#, #"error parsing regexp: invalid repeat count: `{1001}`"#),
    CompileErrorCase(#"x{2,1}"#, #"error parsing regexp: invalid repeat count: `{2,1}`"#),
    CompileErrorCase(#"x{1001,}"#, #"error parsing regexp: invalid repeat count: `{1001,}`"#),
    CompileErrorCase(#"x{9876543210}"#, #"error parsing regexp: invalid repeat count: `{9876543210}`"#),
    CompileErrorCase(#"x{1,9876543210}"#, #"error parsing regexp: invalid repeat count: `{1,9876543210}`"#),
    CompileErrorCase(#"(?:[a-z]{4}){0,251}"#, #"error parsing regexp: invalid repeat count: `{0,251}`"#),
    CompileErrorCase(#"((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})"#,
                     #"error parsing regexp: invalid repeat count: `{2}`"#),
    CompileErrorCase(#"[z-a]"#, #"error parsing regexp: invalid character class range: `z-a`"#),
    CompileErrorCase(#"[a-Z]"#, #"error parsing regexp: invalid character class range: `a-Z`"#),
    CompileErrorCase(#"(?i)[a-Z]"#, #"error parsing regexp: invalid character class range: `a-Z`"#),
    CompileErrorCase(#"[[:foo:]]"#, #"error parsing regexp: invalid character class range: `[:foo:]`"#),
    CompileErrorCase(#"\pX"#, #"error parsing regexp: invalid character class range: `\pX`"#),
    CompileErrorCase(#"\p{Foo}"#, #"error parsing regexp: invalid character class range: `\p{Foo}`"#),
    CompileErrorCase(#"[\p{Foo}]"#, #"error parsing regexp: invalid character class range: `\p{Foo}`"#),
    CompileErrorCase(#"\p{Greek"#, #"error parsing regexp: invalid character class range: `\p{Greek`"#),
    CompileErrorCase(#"\p"#, #"error parsing regexp: invalid character class range: `\p`"#),
    CompileErrorCase(#"[a"#, #"error parsing regexp: missing closing ]: `[a`"#),
    CompileErrorCase(#"x[a-z"#, #"error parsing regexp: missing closing ]: `[a-z`"#),
    CompileErrorCase(#"([a-z)"#, #"error parsing regexp: missing closing ]: `[a-z)`"#),
    CompileErrorCase(#"[]"#, #"error parsing regexp: missing closing ]: `[]`"#),
    CompileErrorCase(#"[^]"#, #"error parsing regexp: missing closing ]: `[^]`"#),
    CompileErrorCase(#"[[:alpha:]"#, #"error parsing regexp: missing closing ]: `[[:alpha:]`"#),
    CompileErrorCase(#"(?P<name"#, #"error parsing regexp: invalid named capture: `(?P<name`"#),
    CompileErrorCase(#"(?P<x y>a)"#, #"error parsing regexp: invalid named capture: `(?P<x y>`"#),
    CompileErrorCase(#"(?P<>a)"#, #"error parsing regexp: invalid named capture: `(?P<>`"#),
    CompileErrorCase(#"(?<name"#, #"error parsing regexp: invalid named capture: `(?<name`"#),
    CompileErrorCase(#"(?<x-y>a)"#, #"error parsing regexp: invalid named capture: `(?<x-y>`"#),
    CompileErrorCase(#"(?<!x)y"#, #"error parsing regexp: invalid named capture: `(?<!x)y`"#),
]

@Suite struct CompileErrorTests {
    @Test(arguments: compileErrorCases)
    func rejectsWithGoMessage(_ testCase: CompileErrorCase) {
        do {
            _ = try GoRegex(testCase.pattern)
            Issue.record("compiled, expected \(testCase.message)")
        } catch {
            #expect(error.description == testCase.message)
        }
    }

    @Test func invalidUTF8() {
        #expect(throws: GoRegexError(code: .invalidUTF8, expression: "\u{FFFD}")) {
            _ = try GoRegex(utf8: [0x61, 0xFF])
        }
        #expect(throws: GoRegexError.self) { _ = try GoRegex(utf8: Array("[".utf8) + [0xFF] + Array("]".utf8)) }
        #expect(throws: GoRegexError.self) { _ = try GoRegex(utf8: [0x5C, 0xFF]) }
    }

    @Test func nestingAndSizeLimits() {
        let deep = String(repeating: "(", count: 1000) + String(repeating: ")", count: 1000)
        #expect(throws: GoRegexError(code: .nestingDepth, expression: deep)) { _ = try GoRegex(deep) }
        let deepStars = String(repeating: "(?:", count: 1000) + String(repeating: ")*", count: 1000)
        #expect(throws: GoRegexError(code: .nestingDepth, expression: deepStars)) { _ = try GoRegex(deepStars) }
        let large = String(repeating: "(xx?){1000}", count: 1000)
        #expect(throws: GoRegexError(code: .large, expression: large)) { _ = try GoRegex(large) }
        // Factoring `a|aa|aaa|…` nests one level per shared prefix: Go rejects it from 501 branches.
        let prefixes = (1...501).map { String(repeating: "a", count: $0) }.joined(separator: "|")
        #expect(throws: GoRegexError(code: .nestingDepth, expression: prefixes)) { _ = try GoRegex(prefixes) }
        #expect((try? GoRegex((1...300).map { String(repeating: "a", count: $0) }.joined(separator: "|"))) != nil)
        // Just inside the limits.
        #expect((try? GoRegex(String(repeating: "(", count: 999) + String(repeating: ")", count: 999))) != nil)
        #expect((try? GoRegex(String(repeating: "(?:", count: 999) + String(repeating: ")*", count: 999))) != nil)
        #expect((try? GoRegex("(?:[a-z]{4}){0,250}")) != nil)
        #expect((try? GoRegex("(" + String(repeating: "|", count: 12345) + ")")) != nil)
    }

    @Test(arguments: [
        "", "|", "a{,2}", "x{1001", "x{2,1", "a*{", "[]a]", "[^]a]", "[a-]", "\\_", "\\Q*+?{[\\E",
        "(?i)(?P<1a>x)", "(?P<n>a)(?P<n>b)", "(?)", "(?i-s:a)", "(?U)a+", "[\\p{Lu}]", "\\p{^Greek}", "\\PL",
        "\\p{Letter}", "\\p{upper case-let ter}", "x{0}", "a{1000}", "(a)(?:b)|c", "\\z\\A", "[[:^alpha:]]",
    ])
    func acceptsValidPatterns(_ pattern: String) {
        #expect((try? GoRegex(pattern)) != nil)
    }
}
