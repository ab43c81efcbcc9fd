import ESRegex
import Foundation

/// Times `body` once (after one warm-up run) and prints milliseconds.
func measure(_ label: String, _ body: () -> Int) {
    _ = body()
    let start = DispatchTime.now().uptimeNanoseconds
    let result = body()
    let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    print(label.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "%9.2f ms", ms) + "  (result \(result))")
}

let aaa = String(repeating: "a", count: 30_000)
let text = String(repeating: "The quick brown fox jumps over the lazy dog; secret-name-42 = value\n", count: 15_000) // ~1 MB
let prefixChain = (1...500).map { String(repeating: "a", count: $0) }.joined(separator: "|")
measure("compile simple pattern x1000") { var n = 0; for _ in 0..<1000 { n += (try! GoRegex(#"^(?:foo|bar)-[a-z0-9]+$"#)).numberOfSubexpressions }; return n }
measure("compile \\pL (tables already built)") { (try! GoRegex(#"\pL+"#)).numberOfSubexpressions }
measure("compile (?i)\\p{Greek}") { (try! GoRegex(#"(?i)\p{Greek}"#)).numberOfSubexpressions }
measure("compile 500-branch prefix chain (125 kB)") { (try! GoRegex(prefixChain)).numberOfSubexpressions }
measure("reject invalid pattern x1000") { var n = 0; for _ in 0..<1000 { if (try? GoRegex(#"(?P<name>a|b"#)) == nil { n += 1 } }; return n }
measure("(a*)*b on 30k a (no match)") { (try! GoRegex(#"(a*)*b"#)).matches(aaa) ? 1 : 0 }
measure("(a|aa)*c firstMatch on 30k a") { (try! GoRegex(#"(a|aa)*c"#)).firstMatch(in: aaa) == nil ? 0 : 1 }
measure("literal 'zebra' on 1 MB (no match)") { (try! GoRegex("zebra")).matches(text) ? 1 : 0 }
measure("\\w+@\\w+ MatchString on 1 MB (no match)") { (try! GoRegex(#"\w+@\w+"#)).matches(text) ? 1 : 0 }
measure("secret-[a-z]+-(\\d+) allMatches on 1 MB") { (try! GoRegex(#"secret-[a-z]+-(\d+)"#)).allMatches(in: text).count }
measure("\\w+ allMatches on 1 MB") { (try! GoRegex(#"\w+"#)).allMatches(in: text).count }
measure("replaceAll fox->cat on 1 MB") { (try! GoRegex("fox")).replaceAll(in: text, with: "cat").utf8.count }
measure("namespace MatchString x10000") { let r = try! GoRegex(#"^team-(a|b)-.*$"#); var n = 0; for i in 0..<10_000 { if r.matches("team-a-ns\(i)") { n += 1 } }; return n }
