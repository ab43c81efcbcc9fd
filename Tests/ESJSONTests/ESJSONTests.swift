@testable import ESJSON
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let v = try JSON.parse(#"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-1.5e3,"g":"\u00e9\ud83d\ude00"}"#)
        #expect(v["a"]?.intValue == 1)
        #expect(v["b"] == [true, false, .null])
        #expect(v[path: ["c", "d"]]?.stringValue == "e")
        #expect(v["f"]?.doubleValue == -1500)
        #expect(v["g"]?.stringValue == "é😀")
    }

    @Test func keepsKeyOrderAndNumberText() throws {
        let text = #"{"z":1,"a":100000000000000000001,"m":1.50}"#
        let v = try JSON.parse(text)
        #expect(v.objectValue?.keys == ["z", "a", "m"])
        #expect(v.serializedString() == text)
    }

    @Test func lastDuplicateKeyWinsInPlace() throws {
        let v = try JSON.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(v.objectValue?.keys == ["a", "b"])
        #expect(v["a"]?.intValue == 3)
    }

    @Test func duplicateKeysAreFoundWhateverTheirSpellingAndPosition() throws {
        // Escaped spelling of an earlier key, a duplicate far from the original, nested objects in between.
        let v = try JSON.parse(#"{"ab":1,"x":{"ab":5,"ab":6},"a\u0062":2,"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"ka":10,"kb":11,"kc":12,"kd":13,"k0":14,"y":[{"q":1},{"q":2,"q":3}]}"#)
        let object = try #require(v.objectValue)
        #expect(object.keys == ["ab", "x", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "ka", "kb", "kc", "kd", "y"])
        #expect(v["ab"]?.intValue == 2)
        #expect(v["k0"]?.intValue == 14)
        #expect(v["x"] == ["ab": 6])
        #expect(v["y"] == [["q": 1], ["q": 3]])
    }

    @Test func keysThatDecodeAlikeAreDuplicates() throws {
        // Two different invalid bytes both decode to U+FFFD; a valid U+FFFD is the same key again.
        let bytes: [UInt8] = Array(#"{"a":1,""#.utf8) + [0xEF] + Array(#"":2,"b":3,""#.utf8) + [0x92]
            + Array(#"":4,""#.utf8) + [0xEF, 0xBF, 0xBD] + Array(#"":5}"#.utf8)
        let v = try JSON.parse(bytes)
        #expect(v.objectValue?.keys == ["a", "\u{FFFD}", "b"])
        #expect(v["\u{FFFD}"]?.intValue == 5)
        #expect(try JSON.parse(v.serialized()) == v)
    }

    @Test func longStringsAreScannedExactly() throws {
        // Strings longer than the eight-byte scan step, with the quote, escape or control byte at every offset.
        for length in 0..<24 {
            let plain = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length)
            #expect(try JSON.parse("\"\(plain)\"") == .string(plain))
            #expect(try JSON.parse("\"\(plain)\\n\(plain)\"") == .string(plain + "\n" + plain))
            #expect(throws: JSONParseError.self) { try JSON.parse("\"\(plain)\u{01}\"") }
            #expect(throws: JSONParseError.self) { try JSON.parse("\"\(plain)") }
        }
    }

    @Test(arguments: [
        ("", "unexpected end of JSON input"),
        ("{", "unexpected end of JSON input"),
        ("x", "invalid character 'x' looking for beginning of value"),
        (#"{"a" 1}"#, "invalid character '1' after object key"),
        (#"{"a":1 "b":2}"#, "invalid character '\"' after object key:value pair"),
        ("[1 2]", "invalid character '2' after array element"),
        ("{1:2}", "invalid character '1' looking for beginning of object key string"),
        ("1 2", "invalid character '2' after top-level value"),
        ("\"a\u{01}\"", "invalid character '\\x01' in string literal"),
        (#""\q""#, "invalid character 'q' in string escape code"),
        ("-", "unexpected end of JSON input"),
        ("-a", "invalid character 'a' in numeric literal"),
        ("1.", "unexpected end of JSON input"),
        ("tru", "unexpected end of JSON input"),
        ("nul!", "invalid character '!' in literal null (expecting 'l')"),
    ])
    func reportsErrorsLikeGo(input: String, message: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(input) }
        do { _ = try JSON.parse(input) } catch { #expect(error.message == message) }
    }

    @Test func rejectsDeepNestingWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSON.parse(#""\ud800x""#).stringValue == "\u{FFFD}x")
        #expect(try JSON.parse(#""\udc00""#).stringValue == "\u{FFFD}")
    }

    @Test func mutatedInputsNeverCrash() {
        let seed = Array(#"{"apiVersion":"v1","items":[{"a":"b\n","n":-1.2e-3,"t":true}],"x":null}"#.utf8)
        var rng = SplitMix64(seed: 42)
        for _ in 0..<5_000 {
            var bytes = seed
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            if let v = try? JSON.parse(bytes) {
                // Whatever parses must round-trip.
                #expect((try? JSON.parse(v.serialized())) == v)
            }
        }
    }
}

@Suite struct JSONSerializerTests {
    @Test func escapesLikeGo() {
        let s = JSON.string("a\"b\\c\n\t\u{01}<>&\u{2028}")
        #expect(s.serializedString() == #""a\"b\\c\n\t\u0001<>&\u2028""#)
        #expect(s.serializedString(JSONWriteOptions(escapeHTML: true)) == #""a\"b\\c\n\t\u0001\u003c\u003e\u0026\u2028""#)
    }

    @Test func sortsAndIndentsOnRequest() {
        let v: JSON = ["b": 1, "a": ["x": [1, 2]], "c": [:], "d": []]
        #expect(v.serializedString(JSONWriteOptions(sortKeys: true)) == #"{"a":{"x":[1,2]},"b":1,"c":{},"d":[]}"#)
        #expect(v.serializedString(JSONWriteOptions(sortKeys: true, indent: "  ")) == """
            {
              "a": {
                "x": [
                  1,
                  2
                ]
              },
              "b": 1,
              "c": {},
              "d": []
            }
            """)
    }

    @Test func pathSubscriptCreatesAndRemoves() {
        var v: JSON = ["metadata": ["name": "x"]]
        v[path: ["spec", "target", "name"]] = "y"
        #expect(v[path: ["spec", "target", "name"]]?.stringValue == "y")
        v[path: ["metadata", "name"]] = nil
        #expect(v["metadata"] == [:])
        v[path: ["nothing", "here"]] = nil
        #expect(v["nothing"] == nil)
    }

    @Test func numbersCompareByValue() {
        #expect(JSON.number(JSONNumber(text: "1.0")) == JSON.number(JSONNumber(text: "1")))
        #expect(JSON.number(JSONNumber(text: "1e2")) == 100)
        #expect(JSONNumber(3.0).text == "3")
        #expect(JSONNumber(0.5).text == "0.5")
    }
}

/// A small deterministic generator for mutation tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct InternedStringsTests {
    @Test func findsEveryWellKnownStringAndNothingElse() {
        let table = InternedStrings.shared
        func lookup(_ s: String) -> String? { Array(s.utf8).withUnsafeBufferPointer { table.string(for: $0) } }
        for s in WellKnownStrings.all { #expect(lookup(s) == s) }
        for s in ["", "apiVersio", "apiVersionx", "Kind", "spec ", "external-secrets.io/v2", String(repeating: "a", count: 60)] {
            #expect(lookup(s) == nil, "\(s)")
        }
    }

    @Test func parsedStringsAreTheSameWhetherInternedOrNot() throws {
        let v = try JSON.parse(#"{"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","apiVersionX":"v1 ","k\u0069nd":"Kind"}"#)
        #expect(v["apiVersion"]?.stringValue == "external-secrets.io/v1")
        #expect(v["kind"]?.stringValue == "Kind")
        #expect(v["apiVersionX"]?.stringValue == "v1 ")
        #expect(v.objectValue?.keys == ["apiVersion", "kind", "apiVersionX"])
    }
}
