import ESJSON
import Testing

@Suite struct JSONPatchTests {
    func apply(_ patch: String, to doc: String) throws -> JSON {
        try JSONPatch.apply(try JSON.parse(patch), to: try JSON.parse(doc))
    }

    func error(_ patch: String, on doc: String) -> String? {
        do {
            _ = try apply(patch, to: doc)
            return nil
        } catch let error as JSONPatchError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func rfc6902AppendixExamples() throws {
        #expect(try apply(#"[{"op":"add","path":"/baz","value":"qux"}]"#, to: #"{"foo":"bar"}"#) == ["foo": "bar", "baz": "qux"])
        #expect(try apply(#"[{"op":"add","path":"/foo/1","value":"qux"}]"#, to: #"{"foo":["bar","baz"]}"#)
                == ["foo": ["bar", "qux", "baz"]])
        #expect(try apply(#"[{"op":"add","path":"/foo/-","value":"z"}]"#, to: #"{"foo":["a"]}"#) == ["foo": ["a", "z"]])
        #expect(try apply(#"[{"op":"remove","path":"/baz"}]"#, to: #"{"baz":"qux","foo":"bar"}"#) == ["foo": "bar"])
        #expect(try apply(#"[{"op":"remove","path":"/foo/1"}]"#, to: #"{"foo":["bar","qux","baz"]}"#) == ["foo": ["bar", "baz"]])
        #expect(try apply(#"[{"op":"replace","path":"/baz","value":"boo"}]"#, to: #"{"baz":"qux","foo":"bar"}"#)
                == ["baz": "boo", "foo": "bar"])
        #expect(try apply(#"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
                          to: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#)
                == ["foo": ["bar": "baz"], "qux": ["corge": "grault", "thud": "fred"]])
        #expect(try apply(#"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, to: #"{"foo":["all","grass","cows","eat"]}"#)
                == ["foo": ["all", "cows", "eat", "grass"]])
        #expect(try apply(#"[{"op":"copy","from":"/a","path":"/b"}]"#, to: #"{"a":{"x":1}}"#) == ["a": ["x": 1], "b": ["x": 1]])
        #expect(try apply(#"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
                          to: #"{"baz":"qux","foo":["a",2,"c"]}"#) == ["baz": "qux", "foo": ["a", 2, "c"]])
        #expect(try apply(#"[{"op":"add","path":"/a~1b","value":1},{"op":"add","path":"/m~0n","value":2}]"#, to: "{}")
                == ["a/b": 1, "m~n": 2])
        #expect(try apply(#"[{"op":"replace","path":"","value":[1]}]"#, to: "{}") == [1])
    }

    @Test func failuresUseTheAPIServersMessages() {
        #expect(error(#"[{"op":"test","path":"/baz","value":"bar"}]"#, on: #"{"baz":"qux"}"#) == "testing value /baz failed: test failed")
        #expect(error(#"[{"op":"add","path":"/a/b","value":1}]"#, on: #"{"q":{}}"#)
                == #"add operation does not apply: doc is missing path: "/a/b": missing value"#)
        #expect(error(#"[{"op":"remove","path":"/nope"}]"#, on: "{}")
                == #"remove operation does not apply: doc is missing path: "/nope": missing value"#)
        #expect(error(#"[{"op":"replace","path":"/nope","value":1}]"#, on: "{}")
                == "replace operation does not apply: doc is missing key: /nope: missing value")
        #expect(error(#"[{"op":"move","from":"/x","path":"/y"}]"#, on: "{}")
                == "move operation does not apply: doc is missing from path: /x: missing value")
        #expect(error(#"[{"op":"add","path":"/a/5","value":1}]"#, on: #"{"a":[1]}"#)
                == "Unable to access invalid index: 5: invalid index referenced")
        #expect(error(#"[{"op":"frobnicate","path":"/a"}]"#, on: "{}") == "Unexpected kind: frobnicate: unknown object type")
        #expect(error(#"{"op":"add"}"#, on: "{}")?.hasPrefix("json: cannot unmarshal object") == true)
    }

    @Test func failedPatchLeavesNoPartialResult() throws {
        let doc: JSON = ["a": 1]
        #expect(throws: JSONPatchError.self) {
            _ = try JSONPatch.apply([["op": "add", "path": "/b", "value": 2], ["op": "remove", "path": "/zzz"]], to: doc)
        }
        #expect(doc == ["a": 1])
    }
}

@Suite struct MergePatchTests {
    @Test func rfc7386Examples() throws {
        let cases: [(String, String, String)] = [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
            (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
            (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
            (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
            (#"{"a":"foo"}"#, "null", "null"),
            (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
            (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
            ("{}", #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ]
        for (original, patch, expected) in cases {
            #expect(MergePatch.apply(try JSON.parse(patch), to: try JSON.parse(original)) == (try JSON.parse(expected)),
                    "\(original) + \(patch)")
        }
    }

    @Test func createProducesMinimalPatchThatRoundTrips() throws {
        let original = try JSON.parse(#"{"metadata":{"labels":{"a":"1","b":"2"},"name":"x"},"data":{"k":"v"},"list":[1,2]}"#)
        let modified = try JSON.parse(#"{"metadata":{"labels":{"a":"1","c":"3"},"name":"x"},"list":[1,2,3],"type":"Opaque"}"#)
        let patch = MergePatch.create(from: original, to: modified)
        #expect(patch == (try JSON.parse(#"{"metadata":{"labels":{"b":null,"c":"3"}},"data":null,"list":[1,2,3],"type":"Opaque"}"#)))
        #expect(MergePatch.apply(patch, to: original) == modified)
        #expect(MergePatch.create(from: original, to: original) == [:])
    }
}
