import ESRegex
import Testing

/// Go's FindAllStringSubmatchIndex(text, limit) result for a pattern (from Go's documented behaviour
/// and its regexp test tables): one array of byte offsets per match, -1 for absent groups.
struct FindCase: Sendable, CustomStringConvertible {
    var pattern: String
    var text: String
    var limit: Int
    var matches: [[Int]]
    init(_ pattern: String, _ text: String, _ limit: Int, _ matches: [[Int]]) {
        self.pattern = pattern
        self.text = text
        self.limit = limit
        self.matches = matches
    }
    init(_ pattern: String, _ text: String, _ matches: [[Int]]) {
        self.init(pattern, text, -1, matches)
    }
    var description: String { "\(pattern) on \(text.debugDescription)" }
}

let findCases: [FindCase] = [
    FindCase(#""#, "", [[0, 0]]),
    FindCase(#"^abcdefg"#, "abcdefg", [[0, 7]]),
    FindCase(#"a+"#, "baaab", [[1, 4]]),
    FindCase(#"a"#, "bababaab", [[1, 2], [3, 4], [5, 6], [6, 7]]),
    FindCase(#"a"#, "bababaab", 0, []),
    FindCase(#"a"#, "bababaab", 2, [[1, 2], [3, 4]]),
    FindCase(#"a"#, "bababaab", 5, [[1, 2], [3, 4], [5, 6], [6, 7]]),
    FindCase(#"abcd.."#, "abcdef", [[0, 6]]),
    FindCase(#"x"#, "y", []),
    FindCase(#".*"#, "abcdef", [[0, 6]]),
    FindCase(#"^"#, "abcde", [[0, 0]]),
    FindCase(#"$"#, "abcde", [[5, 5]]),
    FindCase(#"^abcd$"#, "abcde", []),
    FindCase(#"a*"#, "baaab", [[0, 0], [1, 4], [5, 5]]),
    FindCase(#"[^a-z]+"#, "ab1234cd", [[2, 6]]),
    FindCase(#"[a\-\]z]+"#, "az]-bcz", [[0, 4], [6, 7]]),
    FindCase(#"[^\n]+"#, "abcd\n", [[0, 4]]),
    FindCase(#"[日本語]+"#, "日本語日本語", [[0, 18]]),
    FindCase(#"日本語+"#, "日本語語語語", [[0, 18]]),
    FindCase(#"()"#, "", [[0, 0, 0, 0]]),
    FindCase(#"(.)(.)"#, "日a", [[0, 4, 0, 3, 3, 4]]),
    FindCase(#"(([^xyz]*)(d))"#, "abcd", [[0, 4, 0, 4, 0, 3, 3, 4]]),
    FindCase(#"((a|b|c)*(d))"#, "abcd", [[0, 4, 0, 4, 2, 3, 3, 4]]),
    FindCase(#"(((a|b|c)*)(d))"#, "abcd", [[0, 4, 0, 4, 0, 3, 2, 3, 3, 4]]),
    FindCase(#"\a\f\n\r\t\v"#, "\u{07}\u{0C}\n\r\t\u{0B}", [[0, 6]]),
    FindCase(#"a*(|(b))c*"#, "aacc", [[0, 4, 2, 2, -1, -1]]),
    FindCase(#"(.*).*"#, "ab", [[0, 2, 0, 2]]),
    FindCase(#"/$"#, "/abc/", [[4, 5]]),
    FindCase(#"/$"#, "/abc", []),
    FindCase(#".(.)"#, "abcd", [[0, 2, 1, 2], [2, 4, 3, 4]]),
    FindCase(#"a(b*)"#, "abbaab", [[0, 3, 1, 3], [3, 4, 4, 4], [4, 6, 5, 6]]),
    FindCase(#"da(.)a$"#, "daXY data", [[5, 9, 7, 8]]),
    FindCase(#"(aa)*$"#, "a", [[1, 1, -1, -1]]),
    FindCase(#"(?:.|(?:.a))"#, "", []),
    FindCase(#"(?:A|(?:A|a))"#, "a", [[0, 1]]),
    FindCase(#"(a){0}"#, "", [[0, 0, -1, -1]]),
    FindCase(#"(?-s)(?:(?:^).)"#, "\n", []),
    FindCase(#"(?s)(?:(?:^).)"#, "\n", [[0, 1]]),
    FindCase(#"\b"#, "x y", [[0, 0], [1, 1], [2, 2], [3, 3]]),
    FindCase(#"\b"#, "xx yy", [[0, 0], [2, 2], [3, 3], [5, 5]]),
    FindCase(#"\B"#, "x", []),
    FindCase(#"\B"#, "xx yy", [[1, 1], [4, 4]]),
    FindCase(#"(|a)*"#, "aa", [[0, 0, 0, 0], [1, 1, 1, 1], [2, 2, 2, 2]]),
    FindCase(#"(|a)+"#, "aa", [[0, 0, 0, 0], [1, 1, 1, 1], [2, 2, 2, 2]]),
    FindCase(#"0A|0[aA]"#, "0a", [[0, 2]]),
    FindCase(#"[a-c]*"#, "\u{65e5}", [[0, 0], [3, 3]]),
    FindCase(#"[^\x{65e5}]"#, "abc\u{65e5}def", [[0, 1], [1, 2], [2, 3], [6, 7], [7, 8], [8, 9]]),
    FindCase(#"[^\S\s]"#, "abcd", []),
    FindCase(#"[^\D[:digit:]]"#, "abcd", []),
    FindCase(#"(?i)\W"#, "k", []),
    FindCase(#"(?i)\W"#, "s", []),
    FindCase(##"\!\"\#\$\%\&\'\(\)\*\+\,\-\.\/\:\;\<\=\>\?\@\[\\\]\^\_\{\|\}\~"##,
             ##"!"#$%&'()*+,-./:;<=>?@[\]^_{|}~"##, [[0, 31]]),
    FindCase(#"a."#, "paranormal", [[1, 3], [3, 5], [8, 10]]),
    FindCase(#"a(x*)b"#, "-ab-axb-", [[1, 3, 2, 2], [4, 7, 5, 6]]),
    FindCase(#"a|ab"#, "ab", [[0, 1]]),
    FindCase(#"ab|a"#, "ab", [[0, 2]]),
    FindCase(#"a*?"#, "aaa", [[0, 0], [1, 1], [2, 2], [3, 3]]),
    FindCase(#"a+?"#, "aaa", [[0, 1], [1, 2], [2, 3]]),
    FindCase(#"a.*?b"#, "aXbYb", [[0, 3]]),
    FindCase(#"a.*b"#, "aXbYb", [[0, 5]]),
    FindCase(#"(?U)a.*b"#, "aXbYb", [[0, 3]]),
    FindCase(#"(?U)a.*?b"#, "aXbYb", [[0, 5]]),
    FindCase(#"(a+)(b+)?"#, "aaa", [[0, 3, 0, 3, -1, -1]]),
    FindCase(#"(a|ab)(c|bcd)(d*)"#, "abcd", [[0, 4, 0, 1, 1, 4, 4, 4]]),
    FindCase(#"(a*)*"#, "b", [[0, 0, 0, 0], [1, 1, 1, 1]]),
    FindCase(#"(a*)+"#, "b", [[0, 0, 0, 0], [1, 1, 1, 1]]),
    FindCase(#"(a){2}"#, "aaa", [[0, 2, 1, 2]]),
    FindCase(#"(a){2,}"#, "aaaa", [[0, 4, 3, 4]]),
    FindCase(#"a{2,3}"#, "aaaaaaa", [[0, 3], [3, 6]]),
    FindCase(#"a{2,3}?"#, "aaaaa", [[0, 2], [2, 4]]),
    FindCase(#"x{1001"#, "x{1001", [[0, 6]]),
    FindCase(#"(?i)hello"#, "say HeLLo", [[4, 9]]),
    FindCase(#"(?i)k"#, "\u{212A}", [[0, 3]]),
    FindCase(#"(?i)[k]"#, "K", [[0, 1]]),
    FindCase(#"(?i)σ"#, "ΣσςX", [[0, 2], [2, 4], [4, 6]]),
    FindCase(#"(?i:a)b"#, "AbAB", [[0, 2]]),
    FindCase(#"(?i)ǆ"#, "ǄǅǆD", [[0, 2], [2, 4], [4, 6]]),
    FindCase(#"(?i)ß"#, "ẞßss", [[0, 3], [3, 5]]),
    FindCase(#"(?i)i"#, "Iiİı", [[0, 1], [1, 2]]),
    FindCase(#"(?i)ı"#, "Iiı", [[2, 4]]),
    FindCase(#"(?i)[a-z]+"#, "ſK\u{212A}x", [[0, 7]]),
    FindCase(#"(?i)a(?-i)b"#, "AbAB", [[0, 2]]),
    FindCase(#"^b"#, "a\nb", []),
    FindCase(#"(?m)^b"#, "a\nb", [[2, 3]]),
    FindCase(#"(?m)a$"#, "a\na", [[0, 1], [2, 3]]),
    FindCase(#"a$"#, "a\na", [[2, 3]]),
    FindCase(#"a$"#, "a\n", []),
    FindCase(#"\Aa"#, "aa", [[0, 1]]),
    FindCase(#"a\z"#, "aa", [[1, 2]]),
    FindCase(#"a.b"#, "a\nb", []),
    FindCase(#"(?s)a.b"#, "a\nb", [[0, 3]]),
    FindCase(#"[^a]"#, "\n", [[0, 1]]),
    FindCase(#"\d+"#, "ab١٢٣12", [[8, 10]]),
    FindCase(#"\w+"#, "héllo", [[0, 1], [3, 6]]),
    FindCase(#"\s+"#, "a \t\nb", [[1, 4]]),
    FindCase(#"[[:alpha:]]+"#, "123abc456", [[3, 6]]),
    FindCase(#"[[:^digit:]]+"#, "12ab34", [[2, 4]]),
    FindCase(#"[[:punct:][:space:]]+"#, "a, b", [[1, 3]]),
    FindCase(#"\pL+"#, "héllo wörld", [[0, 6], [7, 13]]),
    FindCase(#"\p{Lu}+"#, "abcÄÖÜdef", [[3, 9]]),
    FindCase(#"\p{Ll}"#, "ABCd", [[3, 4]]),
    FindCase(#"\PL+"#, "abc123", [[3, 6]]),
    FindCase(#"\pN+"#, "x٣4", [[1, 4]]),
    FindCase(#"\p{Nd}+"#, "x٣4", [[1, 4]]),
    FindCase(#"\pP+"#, "hi!?", [[2, 4]]),
    FindCase(#"\pS"#, "a+b", [[1, 2]]),
    FindCase(#"\pZ"#, "a b", [[1, 2]]),
    FindCase(#"\p{Greek}+"#, "abc αβγ", [[4, 10]]),
    FindCase(#"\p{Cyrillic}+"#, "Привет, world", [[0, 12]]),
    FindCase(#"\p{Han}+"#, "中文abc", [[0, 6]]),
    FindCase(#"\p{Latin}+"#, "αabcβ", [[2, 5]]),
    FindCase(#"[\p{Greek}\d]+"#, "xα1β2y", [[1, 7]]),
    FindCase(#"\p{Hiragana}+"#, "カタひらがな", [[6, 18]]),
    FindCase(#"\p{Katakana}+|\p{Arabic}+"#, "xカタyعربي", [[1, 7], [8, 16]]),
    FindCase(#"\p{Old_Italic}|\p{canadian aboriginal}"#, "\u{1400}", [[0, 3]]),
    FindCase(#"\p{greek}\P{^Latin}\p{Letter}\p{^Nd}"#, "αbcd", [[0, 5]]),
    FindCase(#"\Qa.b\E+"#, "a.bbb", [[0, 5]]),
    FindCase(#"\x41\101\x{1F600}"#, "AA😀", [[0, 6]]),
    FindCase(#"[\x{41}-\x7a]+"#, "@AZaz{", [[1, 5]]),
    FindCase(#"(?P<year>\d{4})-(?P<month>\d{2})"#, "on 2024-05-01", [[3, 10, 3, 7, 8, 10]]),
    FindCase(#"(?<word>\w+)"#, "hi", [[0, 2, 0, 2]]),
    FindCase(#"a|b|c"#, "xcba", [[1, 2], [2, 3], [3, 4]]),
    FindCase(#"(?:ab)*c"#, "ababc", [[0, 5]]),
    FindCase(#"."#, "\u{0}", [[0, 1]]),
    FindCase(#"^(?:foo|bar)-[a-z0-9]+$"#, "foo-x1", [[0, 6]]),
    FindCase(#"^(?:foo|bar)-[a-z0-9]+$"#, "baz-x1", []),
    // Branches with the same leading rune but different case sensitivity keep their own
    // (Go before 1.23 factored them together: golang/go#59007).
    FindCase(#"A.|(?i:a)b"#, "ab Ab", [[0, 2], [3, 5]]),
    FindCase(#"(?i:a)b|A."#, "Ax", [[0, 2]]),
    FindCase(#"A|(?i:a)"#, "a", [[0, 1]]),
]

@Suite struct FindTests {
    @Test(arguments: findCases)
    func findAllSubmatchIndex(_ testCase: FindCase) throws {
        let regex = try GoRegex(testCase.pattern)
        #expect(regex.allMatchOffsets(in: testCase.text, limit: testCase.limit) == testCase.matches)
        if testCase.limit != 0 {
            #expect(regex.matches(testCase.text) == !testCase.matches.isEmpty)
            let first = regex.firstMatch(in: testCase.text)
            #expect(first?.byteRanges.first??.lowerBound == testCase.matches.first?.first)
        }
    }

    @Test func submatchStrings() throws {
        let regex = try GoRegex(#"a(x*)b(y|z)c"#)
        #expect(regex.firstMatch(in: "-axxxbyc-")?.groups == ["axxxbyc", "xxx", "y"])
        #expect(regex.firstMatch(in: "-abzc-")?.groups == ["abzc", "", "z"])
        #expect(regex.firstMatch(in: "-abzc-")?.text == "abzc")
        #expect(regex.firstMatch(in: "none") == nil)
        let optional = try GoRegex(#"(a)|(b)"#)
        #expect(optional.firstMatch(in: "b")?.groups == ["b", nil, "b"])
    }

    @Test func findAllSubmatchStrings() throws {
        let regex = try GoRegex(#"a(x*)b"#)
        #expect(regex.allMatches(in: "-ab-axb-").map(\.groups) == [["ab", ""], ["axb", "x"]])
        #expect(regex.allMatches(in: "-axxb-ab-").map(\.groups) == [["axxb", "xx"], ["ab", ""]])
        let dot = try GoRegex(#"a."#)
        #expect(dot.allMatches(in: "paranormal").map(\.text) == ["ar", "an", "al"])
        #expect(dot.allMatches(in: "paranormal", limit: 2).map(\.text) == ["ar", "an"])
        #expect(dot.allMatches(in: "graal").map(\.text) == ["aa"])
        #expect(dot.allMatches(in: "none").isEmpty)
    }

    @Test func matchString() throws {
        let gophers = try GoRegex(#"(gopher){2}"#)
        #expect(gophers.matches("gophergopher"))
        #expect(gophers.matches("gophergophergopher"))
        #expect(!gophers.matches("gopher"))
        let namespaces = try GoRegex(#"^team-(a|b)$"#)
        #expect(namespaces.matches("team-a"))
        #expect(!namespaces.matches("team-c"))
        #expect(!namespaces.matches("xteam-a"))
        #expect(try GoRegex("prod").matches("my-prod-ns"))
    }

    @Test func subexpressionNames() throws {
        let regex = try GoRegex(#"(?P<first>[a-zA-Z]+) (?P<last>[a-zA-Z]+)"#)
        #expect(regex.subexpressionNames == ["", "first", "last"])
        #expect(regex.numberOfSubexpressions == 2)
        #expect(regex.subexpressionIndex("last") == 2)
        #expect(regex.subexpressionIndex("middle") == -1)
        #expect(try GoRegex(#"(a)(?:b)(?<c>c)"#).subexpressionNames == ["", "", "c"])
    }

    /// One compiled regexp is shared by concurrent tasks (it is an immutable value).
    @Test func concurrentUse() async throws {
        let regex = try GoRegex(#"secret-(\d+)"#)
        let counts = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var found = 0
                    for i in 0..<200 where regex.firstMatch(in: "x-secret-\(task * 1000 + i)-y")?.groups[1] == "\(task * 1000 + i)" {
                        found += 1
                    }
                    return found
                }
            }
            return await group.reduce(0, +)
        }
        #expect(counts == 1600)
    }

    /// Counted repetitions at Go's limit compile and match (expanded without deep recursion).
    @Test func largeCountedRepetitions() throws {
        let optional = try GoRegex(#"^a{0,1000}$"#)
        #expect(optional.matches(String(repeating: "a", count: 1000)))
        #expect(!optional.matches(String(repeating: "a", count: 1001)))
        let nested = try GoRegex(#"^(?:(?:(?:a){0,10}){0,10}){0,10}b"#)
        #expect(nested.firstMatch(in: String(repeating: "a", count: 100) + "b")?.text.count == 101)
        let classes = try GoRegex(#"^[\pL\pN]{1000}"#)
        #expect(classes.matches(String(repeating: "é1", count: 500)))
        #expect(!classes.matches(String(repeating: "é1", count: 499)))
    }

    /// Linear-time matching: a pattern that is exponential for a backtracking engine.
    @Test func pathologicalPatternsFinish() throws {
        let input = String(repeating: "a", count: 30_000)
        #expect(try GoRegex(#"(a*)*b"#).matches(input) == false)
        #expect(try GoRegex(#"(a|aa)*c"#).firstMatch(in: String(input.prefix(5_000))) == nil)
        #expect(try GoRegex(#"(a*)*$"#).firstMatch(in: input)?.text.count == 30_000)
        #expect(try GoRegex(#"(x+x+)+y"#).matches(String(repeating: "x", count: 2_000)) == false)
    }
}
