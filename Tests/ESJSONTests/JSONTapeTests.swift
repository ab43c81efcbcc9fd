import Testing
@testable import ESJSON

/// The indexed document must read back exactly what `JSON.parse` builds, and fail exactly as it does.
@Suite struct JSONTapeTests {
    static let documents: [String] = [
        #"{}"#, #"[]"#, #""""#, #"0"#, #"-0.5e+10"#, #"true"#, #"false"#, #"null"#, #"  {"a" : [ 1 , 2 ] }  "#,
        #"{"x":[1,{"y":"\u00e9"}],"a":{"k":[true,null]},"b":{"c":1.5e3,"d":"drop","c":2},"z":-0.5,"a":"last"}"#,
        #"{"s":"quote \" backslash \\ slash \/ controls \b\f\n\r\t end"}"#,
        #"{"pair":"\ud83d\ude00","lone high":"\ud83d","lone low":"\ude00","high then text":"\ud83dx","high high":"\ud83d\ud83d\ude00"}"#,
        #"{"k\u0069nd":"escaped key","kind":"plain key"}"#,
        "{\"caf\u{e9}\":\"non-ASCII key\",\"emoji \u{1F600}\":[\"\u{1F600}\"]}",
        #"{"long":"a string longer than fifteen bytes with a \"quoted\" part","apiVersion":"external-secrets.io/v1"}"#,
        #"{"annotation":"{\"apiVersion\":\"external-secrets.io/v1\",\"kind\":\"ExternalSecret\",\"metadata\":{\"name\":\"x\"}}\n"}"#,
        #"[[[[[]]]],{"a":{"b":{"c":{}}}}]"#,
        #"{"a":1,"b":2,"a":3,"c":4,"b":5}"#,
    ]

    @Test(arguments: documents)
    func readsBackWhatTheTreeParserBuilds(_ text: String) throws {
        let bytes = Array(text.utf8)
        let tree = try JSON.parse(bytes)
        let tape = try JSONTape.parse(bytes)
        #expect(tape.root.json == tree)
        try expectSame(tape.root, tree)
    }

    /// Walks the tape's own accessors (not `json`) against the tree.
    func expectSame(_ value: JSONTape.Value, _ tree: JSON) throws {
        #expect(value.kindName == tree.kindName)
        switch tree {
        case .null: #expect(value.isNull)
        case .bool(let b): #expect(value.boolValue == b)
        case .number(let n): #expect(value.numberValue == n)
        case .string(let s):
            let decoded = try #require(value.stringValue)
            #expect(Array(decoded.utf8) == Array(s.utf8))
        case .array(let elements):
            let tapeElements = try #require(value.arrayValue)
            #expect(tapeElements.count == elements.count)
            for (t, e) in zip(tapeElements, elements) { try expectSame(t, e) }
        case .object(let object):
            let tapeObject = try #require(value.objectValue)
            #expect(tapeObject.count == object.count)
            #expect(tapeObject.members.map(\.key) == object.keys)
            for (key, member) in object {
                let found = try #require(tapeObject[key])
                try expectSame(found, member)
            }
            #expect(tapeObject["no such member"] == nil)
        }
    }

    @Test func repeatedKeysKeepTheirFirstPlaceAndLastValue() throws {
        let tape = try JSONTape.parse(Array(#"{"a":1,"b":2,"a":3,"k\u0062":4}"#.utf8))
        let object = try #require(tape.root.objectValue)
        #expect(object["a"]?.numberValue?.text == "3")
        #expect(object["b"]?.numberValue?.text == "2")
        #expect(object["kb"]?.numberValue?.text == "4")
        #expect(object.count == 3)
        #expect(object.members.map(\.key) == ["a", "b", "kb"])
    }

    @Test func escapedAndNonASCIIKeysAreFoundByTheirDecodedText() throws {
        let tape = try JSONTape.parse(Array("{\"k\\u0069nd\":1,\"caf\u{e9}\":2,\"\\u00e9t\u{e9}\":3}".utf8))
        let object = try #require(tape.root.objectValue)
        #expect(object["kind"]?.numberValue?.text == "1")
        #expect(object["caf\u{e9}"]?.numberValue?.text == "2")
        #expect(object["\u{e9}t\u{e9}"]?.numberValue?.text == "3")
        #expect(object["kinD"] == nil)
    }

    /// Two different invalid UTF-8 keys decode alike (U+FFFD), so they are the same key, as in the tree.
    @Test func invalidUTF8KeysCompareDecoded() throws {
        let bytes: [UInt8] = Array(#"{""#.utf8) + [0xFF] + Array(#"":1,""#.utf8) + [0xFE] + Array(#"":2}"#.utf8)
        let tree = try JSON.parse(bytes)
        let tape = try JSONTape.parse(bytes)
        #expect(tape.root.json == tree)
        #expect(tape.root.objectValue?.count == 1)
        #expect(tape.root["\u{FFFD}"]?.numberValue?.text == "2")
    }

    @Test(arguments: [
        #"{"skip":"#, #"{"skip":[1 2]}"#, #"{"skip":{1:2}}"#, #"{"skip":{"k" 1}}"#, #"{"skip":"a\u00"}"#,
        #"{"skip":"\q"}"#, "{\"skip\":\"a\u{01}\"}", #"{"skip":-}"#, #"{"skip":1.}"#, #"{"skip":1e}"#, #"{"skip":tru}"#,
        #"{"skip":nul}"#, #"{"skip":x}"#, #"{"skip":{"k":1 "l":2}}"#, #"{"skip":[1,]}"#, #"{"a":1} x"#, #"{"skip":1,}"#,
        #"{"s":"\ud83d\u12x4"}"#, #"{"s":"abc\"#, #"{"s":"\u"#, "", "  ", #"{"a":"x"  "#, #"["unterminated"#,
    ])
    func failsExactlyAsTheTreeParser(_ text: String) {
        let bytes = Array(text.utf8)
        var tree: JSONParseError?
        var tape: JSONParseError?
        do { _ = try JSON.parse(bytes) } catch { tree = error }
        do { _ = try JSONTape.parse(bytes) } catch { tape = error }
        #expect(tree != nil)
        #expect(tape == tree)
    }

    static let selection = JSONTape.Selection.members(["a": .everything, "b": .members(["c": .everything])])

    /// Members a selection leaves out are checked, and read back the same when asked for (indexed then).
    @Test(arguments: documents + [#"{"x":[1,{"y":"\u00e9"}],"b":{"c":[1],"d":{"e":[true]},"c":{"f":2}},"z":{"k":[]},"a":[1]}"#])
    func selectiveIndexingReadsBackTheSame(_ text: String) throws {
        let bytes = Array(text.utf8)
        let tree = try JSON.parse(bytes)
        let tape = try JSONTape.parse(bytes, indexing: Self.selection)
        #expect(tape.root.json == tree)
        try expectSame(tape.root, tree)
    }

    @Test(arguments: [
        #"{"skip":"#, #"{"skip":[1 2]}"#, #"{"skip":{1:2}}"#, #"{"skip":{"k" 1}}"#, #"{"skip":"a\u00"}"#,
        #"{"skip":{"s":"\q"}}"#, #"{"skip":[-]}"#, #"{"skip":{"k":1 "l":2}}"#, #"{"skip":[1,]}"#, #"{"a":1} x"#,
        #"{"b":{"skip":{"x":tru}}}"#, #"{"b":{"c":[1,]}}"#,
    ])
    func selectiveIndexingFailsExactlyAsTheTreeParser(_ text: String) {
        let bytes = Array(text.utf8)
        var tree: JSONParseError?
        var tape: JSONParseError?
        do { _ = try JSON.parse(bytes) } catch { tree = error }
        do { _ = try JSONTape.parse(bytes, indexing: Self.selection) } catch { tape = error }
        #expect(tree != nil)
        #expect(tape == tree)
    }

    @Test func nestingBeyondTheLimitIsRejectedLikeTheTreeParser() {
        let deep = "{\"a\":" + String(repeating: "[", count: JSON.maximumDepth + 1) + String(repeating: "]", count: JSON.maximumDepth + 1) + "}"
        var tree: JSONParseError?
        var tape: JSONParseError?
        do { _ = try JSON.parse(Array(deep.utf8)) } catch { tree = error }
        do { _ = try JSONTape.parse(Array(deep.utf8)) } catch { tape = error }
        #expect(tree?.message == "exceeded max depth")
        #expect(tape == tree)
        var skipped: JSONParseError?
        do { _ = try JSONTape.parse(Array(deep.utf8), indexing: .members(["b": .everything])) } catch { skipped = error }
        #expect(skipped == tree)
    }

    /// Random documents from the serializer (escapes, surrogates, nesting) read back identically.
    @Test func randomDocumentsReadBackIdentically() throws {
        var random = SplitMix64(seed: 0x7A9E)
        for _ in 0..<300 {
            let value = Self.randomValue(&random, depth: 0)
            let bytes = value.serialized()
            let tape = try JSONTape.parse(bytes)
            #expect(tape.root.json == value)
            try expectSame(tape.root, value)
            #expect(JSONTape.indexing(value).root.json == value)
        }
    }

    static func randomValue(_ random: inout SplitMix64, depth: Int) -> JSON {
        switch random.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .number(JSONNumber(Int(truncatingIfNeeded: random.next() % 100_000) - 50_000))
        case 3: return .string(randomString(&random))
        case 4: return .array((0..<Int(random.next() % 5)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int(random.next() % 6) { object[randomString(&random)] = randomValue(&random, depth: depth + 1) }
            return .object(object)
        }
    }

    static func randomString(_ random: inout SplitMix64) -> String {
        let alphabet: [Unicode.Scalar] = ["a", "b", "k", "\"", "\\", "/", "\n", "\u{01}", "\u{e9}", "\u{1F600}", " ", "{"]
        var s = ""
        for _ in 0..<Int(random.next() % 24) { s.unicodeScalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
        return s
    }
}
