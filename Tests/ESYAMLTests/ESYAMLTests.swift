import ESJSON
import ESYAML
import Testing

@Suite struct YAMLParserTests {
    @Test func parsesAManifestWithLines() throws {
        let text = """
            apiVersion: external-secrets.io/v1beta1
            kind: ExternalSecret
            metadata:
              name: example
            spec:
              refreshInterval: 1h
              data:
              - secretKey: password
                remoteRef:
                  key: db
                  property: password
              - secretKey: user
                remoteRef:
                  key: db
            """
        let docs = try YAML.parseDocuments(text)
        #expect(docs.count == 1)
        let doc = docs[0]
        #expect(doc.value["kind"]?.stringValue == "ExternalSecret")
        #expect(doc.value[path: ["spec", "data"]]?[1]?[path: ["remoteRef", "key"]]?.stringValue == "db")
        #expect(doc.lines["spec.data[1].remoteRef.key"] == 14)
        #expect(doc.lines["spec.data[0]"] == 8)
        #expect(doc.line(of: "spec.data[0].remoteRef.version") == 9)
    }

    @Test func splitsMultipleDocumentsAndSkipsEmptyOnes() throws {
        let docs = try YAML.parseDocuments("a: 1\n---\n---\nb: 2\n...\n---\n# only a comment\n")
        #expect(docs.map(\.value) == [["a": 1], ["b": 2]])
        #expect(docs[1].startLine == 4)
    }

    @Test func resolvesPlainScalarsByYAML11Rules() throws {
        let v = try YAML.parse("""
            s: hello
            q: "yes"
            yy: yes
            o2: off
            nn: ~
            e:
            i: 42
            h: 0x1F
            o: 0777
            f: 1.5
            neg: -3
            ts: 2024-01-01
            ver: 1.2.3
            big: 1_000
            """)
        #expect(v["s"] == "hello")
        #expect(v["q"] == "yes")
        #expect(v["yy"] == true)
        #expect(v["o2"] == false)
        #expect(v["nn"] == .null)
        #expect(v["e"] == .null)
        #expect(v["i"] == 42)
        #expect(v["h"] == 31)
        #expect(v["o"] == 511)
        #expect(v["f"] == 1.5)
        #expect(v["neg"] == -3)
        #expect(v["ts"] == "2024-01-01")
        #expect(v["ver"] == "1.2.3")
        #expect(v["big"] == 1000)
    }

    @Test func handlesBlockScalarsAnchorsAndMergeKeys() throws {
        let v = try YAML.parse("""
            base: &base
              a: 1
              b: 2
            derived:
              <<: *base
              b: 3
            list: [*base]
            literal: |
              line one
              line two
            folded: >-
              folded
              text
            """)
        #expect(v["derived"] == ["a": 1, "b": 3])
        #expect(v["list"] == [["a": 1, "b": 2]])
        #expect(v["literal"] == "line one\nline two\n")
        #expect(v["folded"] == "folded text")
    }

    @Test func reportsSyntaxErrorsWithLines() {
        do {
            _ = try YAML.parseDocuments("a: 1\nb: [1, 2\nc: 3\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line >= 2)
            #expect(error.description.hasPrefix("yaml: line"))
        }
        #expect(throws: YAMLError.self) { try YAML.parse("a: 1\na: 2\n") }
        #expect(throws: YAMLError.self) { try YAML.parse("a: *nope\n") }
    }

    @Test func boundsAliasExpansion() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(throws: YAMLError.self) { try YAML.parse(text) }
    }

    @Test func mutatedInputsNeverCrash() {
        let seed = Array("a: [1, {b: c}]\nd: |\n  x\n---\ne: &x f\ng: *x\n".utf8)
        var state: UInt64 = 7
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for _ in 0..<3_000 {
            var bytes = seed
            for _ in 0..<(1 + Int(next() % 3)) {
                let i = Int(next() % UInt64(bytes.count))
                let alphabet = Array("[]{}:-&*|>#\n '\"\tab1".utf8)
                bytes[i] = alphabet[Int(next() % UInt64(alphabet.count))]
            }
            _ = try? YAML.parseDocuments(String(decoding: bytes, as: UTF8.self))
        }
    }
}

@Suite struct YAMLWriterTests {
    @Test func writesBlockStyleThatReadsBack() throws {
        let v: JSON = [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": "x", "labels": ["a": "true"]],
            "data": ["k": "dmFsdWU="],
            "list": [["a": 1, "b": "yes"], "plain", [1, 2]],
            "empty": [:], "none": [], "multi": "l1\nl2\n", "quoted": "a: b", "num": "123",
        ]
        let text = YAML.serialize(v)
        #expect(try YAML.parse(text) == v)
        #expect(text.contains("  labels:\n    a: \"true\"\n"))
    }
}
