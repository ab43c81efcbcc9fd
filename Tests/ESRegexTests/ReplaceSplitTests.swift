import ESRegex
import Testing

/// Go ReplaceAllString(input, template) results.
struct ReplaceCase: Sendable, CustomStringConvertible {
    var pattern: String
    var input: String
    var template: String
    var expected: String
    init(_ pattern: String, _ input: String, _ template: String, _ expected: String) {
        self.pattern = pattern
        self.input = input
        self.template = template
        self.expected = expected
    }
    var description: String { "\(pattern) / \(template)" }
}

let replaceCases: [ReplaceCase] = [
    ReplaceCase(#"a(x*)b"#, "-ab-axxb-", "T", "-T-T-"),
    ReplaceCase(#"a(x*)b"#, "-ab-axxb-", "$1", "--xx-"),
    ReplaceCase(#"a(x*)b"#, "-ab-axxb-", "$1W", "---"),
    ReplaceCase(#"a(x*)b"#, "-ab-axxb-", "${1}W", "-W-xxW-"),
    ReplaceCase(#"a(?P<1W>x*)b"#, "-ab-axxb-", "$1W", "--xx-"),
    ReplaceCase(#"a(?P<1W>x*)b"#, "-ab-axxb-", "${1}W", "-W-xxW-"),
    ReplaceCase(#"(?P<first>\w+) (?P<last>\w+)"#, "Alan Turing", "${last} ${first}", "Turing Alan"),
    ReplaceCase(#"(?P<first>\w+) (?P<last>\w+)"#, "Alan Turing", "$last, $first", "Turing, Alan"),
    ReplaceCase(#"(\w+)"#, "a b", "$$1", "$1 $1"),
    ReplaceCase(#"(\w+)"#, "a b", "<$2>", "<> <>"),
    ReplaceCase(#"(\w+)"#, "a b", "${1", "${1 ${1"),
    ReplaceCase(#"(\w+)"#, "a b", "$", "$ $"),
    ReplaceCase(#"(\w+)"#, "a b", "$01", " "),
    ReplaceCase(#"(\w+)"#, "a b", "${01}", " "),
    ReplaceCase(#"(\w+)"#, "ab", "[$0]", "[ab]"),
    ReplaceCase(#"(a)|b"#, "ab", "<$1>", "<a><>"),
    ReplaceCase(#"a*"#, "baaac", "X", "XbXcX"),
    ReplaceCase(#"x*"#, "abc", "-", "-a-b-c-"),
    ReplaceCase(#""#, "abc", "-", "-a-b-c-"),
    ReplaceCase(#"b*"#, "abc", "-", "-a-c-"),
    ReplaceCase(#"^"#, "abc", "-", "-abc"),
    ReplaceCase(#"$"#, "abc", "-", "abc-"),
    ReplaceCase(#"(?m)^"#, "a\nb", "> ", "> a\n> b"),
    ReplaceCase(#"\s+"#, "a  b \t c", " ", "a b c"),
    ReplaceCase(#"[aeiou]"#, "héllo wörld", "", "héll wörld"),
    ReplaceCase(#"ö"#, "héllo wörld", "o", "héllo world"),
    ReplaceCase(#"^prefix-(.*)$"#, "prefix-db-password", "$1", "db-password"),
    ReplaceCase(#"_"#, "DB_USER_NAME", "-", "DB-USER-NAME"),
    ReplaceCase(#"(?i)SECRET"#, "my-Secret-secret", "x", "my-x-x"),
]

/// Go Split(input, limit) results.
struct SplitCase: Sendable, CustomStringConvertible {
    var pattern: String
    var input: String
    var limit: Int
    var expected: [String]
    init(_ pattern: String, _ input: String, _ limit: Int, _ expected: [String]) {
        self.pattern = pattern
        self.input = input
        self.limit = limit
        self.expected = expected
    }
    var description: String { "\(pattern) on \(input) n=\(limit)" }
}

let splitCases: [SplitCase] = [
    SplitCase(#"a"#, "banana", -1, ["b", "n", "n", ""]),
    SplitCase(#"a"#, "apple", 0, []),
    SplitCase(#"a"#, "grape", 1, ["grape"]),
    SplitCase(#"a"#, "papaya", 2, ["p", "paya"]),
    SplitCase(#"z+"#, "pizza", -1, ["pi", "a"]),
    SplitCase(#"z+"#, "pizza", 0, []),
    SplitCase(#"z+"#, "pizza", 1, ["pizza"]),
    SplitCase(#"z+"#, "pizza", 2, ["pi", "a"]),
    SplitCase(#"a*"#, "abaabaccadaaae", 5, ["", "b", "b", "c", "cadaaae"]),
    SplitCase(#""#, "abc", -1, ["a", "b", "c"]),
    SplitCase(#"x*"#, "", -1, [""]),
    SplitCase(#""#, "", -1, []),
    SplitCase(#","#, "a,b,,c,", -1, ["a", "b", "", "c", ""]),
    SplitCase(#"\s*,\s*"#, "a , b,c", -1, ["a", "b", "c"]),
    SplitCase(#"/"#, "/a/b", -1, ["", "a", "b"]),
]

@Suite struct ReplaceSplitTests {
    @Test(arguments: replaceCases)
    func replaceAllString(_ testCase: ReplaceCase) throws {
        let regex = try GoRegex(testCase.pattern)
        #expect(regex.replaceAll(in: testCase.input, with: testCase.template) == testCase.expected)
    }

    @Test(arguments: splitCases)
    func split(_ testCase: SplitCase) throws {
        #expect(try GoRegex(testCase.pattern).split(testCase.input, limit: testCase.limit) == testCase.expected)
    }

    @Test func replaceAllLiteral() throws {
        let regex = try GoRegex(#"a(x*)b"#)
        #expect(regex.replaceAllLiteral(in: "-ab-axxb-", with: "T") == "-T-T-")
        #expect(regex.replaceAllLiteral(in: "-ab-axxb-", with: "$1") == "-$1-$1-")
        #expect(regex.replaceAllLiteral(in: "-ab-axxb-", with: "${1}") == "-${1}-${1}-")
    }

    @Test func replaceAllFunc() throws {
        let regex = try GoRegex(#"[a-c]"#)
        #expect(regex.replaceAll(in: "Hello abc", using: { $0.uppercased() }) == "Hello ABC")
    }

    @Test func expandTemplate() throws {
        let regex = try GoRegex(#"(?P<key>\w+):\s+(?P<value>\w+)"#)
        let match = try #require(regex.firstMatch(in: "option1: value1"))
        #expect(regex.expand(template: "$key=$value", match: match) == "option1=value1")
    }

    @Test func quoteMeta() throws {
        #expect(GoRegex.quoteMeta("Escaping symbols like: .+*?()|[]{}^$")
            == #"Escaping symbols like: \.\+\*\?\(\)\|\[\]\{\}\^\$"#)
        #expect(GoRegex.quoteMeta("héllo") == "héllo")
        let quoted = GoRegex.quoteMeta("a.b*c")
        #expect(try GoRegex(quoted).matches("xa.b*cx"))
        #expect(try !GoRegex(quoted).matches("aXbbc"))
    }
}
