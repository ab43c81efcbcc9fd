import ESProviders
import ESReconciler
import Testing

@Suite struct KeysAndDecodingTests {
    @Test func convertDefaultReplacesInvalidRunesWithUnderscore() throws {
        let out = try SecretKeys.convertKeys(["foo/bar baz": [1], "ok-key.1_x": [2], "ünï": [3]], strategy: .default)
        #expect(out == ["foo_bar_baz": [1], "ok-key.1_x": [2], "ünï": [3]])
    }

    @Test func convertUnicodeUsesLowercaseHexCodePoint() throws {
        let out = try SecretKeys.convertKeys(["a/b": [], "c@d": []], strategy: .unicode)
        #expect(Set(out.keys) == ["a_U002f_b", "c_U0040_d"])
        #expect(SecretKeys.convert("x😀", strategy: .unicode) == "x_U1f600_")
    }

    @Test func convertCollisionIsAnError() {
        #expect(throws: KeyError(message: "secret name collision during conversion: a_b")) {
            try SecretKeys.convertKeys(["a/b": [], "a_b": []], strategy: .default)
        }
    }

    @Test func validateKeysDropsEmptyAndRejectsInvalid() throws {
        var map: [String: [UInt8]] = ["": [1], "good": [2]]
        try SecretKeys.validateKeys(&map)
        #expect(map == ["good": [2]])
        var bad: [String: [UInt8]] = ["foo/bar": []]
        #expect(throws: KeyError(message:
            "key has invalid character /, only alphanumeric, '-', '.' and '_' are allowed: foo/bar")) {
            try SecretKeys.validateKeys(&bad)
        }
        var long: [String: [UInt8]] = [String(repeating: "k", count: 254): []]
        #expect(throws: KeyError.self) { try SecretKeys.validateKeys(&long) }
    }

    @Test func base64StdRequiresPaddingAndSkipsNewlines() throws {
        #expect(try GoBase64.decode(Array("aGk=".utf8), alphabet: .standard) == Array("hi".utf8))
        #expect(try GoBase64.decode(Array("aG\nk=\r\n".utf8), alphabet: .standard) == Array("hi".utf8))
        #expect(throws: GoBase64.CorruptInputError(offset: 0)) { try GoBase64.decode(Array("aGk".utf8), alphabet: .standard) }
        #expect(throws: GoBase64.CorruptInputError(offset: 2)) { try GoBase64.decode(Array("aG-_".utf8), alphabet: .standard) }
        #expect(throws: GoBase64.CorruptInputError(offset: 4)) { try GoBase64.decode(Array("aGk=x".utf8), alphabet: .standard) }
        #expect(try GoBase64.decode([], alphabet: .standard) == [])
    }

    @Test func base64URLUsesURLAlphabet() throws {
        #expect(try GoBase64.decode(Array("-_8=".utf8), alphabet: .url) == [0xfb, 0xff])
        #expect(throws: GoBase64.CorruptInputError.self) { try GoBase64.decode(Array("+/8=".utf8), alphabet: .url) }
    }

    @Test func autoFallsBackToURLThenRaw() throws {
        #expect(try ValueDecoding.decode(Array("aGk=".utf8), strategy: .auto) == Array("hi".utf8))
        #expect(try ValueDecoding.decode(Array("-_8=".utf8), strategy: .auto) == [0xfb, 0xff])
        #expect(try ValueDecoding.decode(Array("not base64!".utf8), strategy: .auto) == Array("not base64!".utf8))
        #expect(throws: ValueDecoding.DecodingError(message: "decoding strategy Rot13 is not supported")) {
            try ValueDecoding.decode([], strategy: .other("Rot13"))
        }
    }

    @Test func decodeMapNamesTheKey() {
        #expect(throws: ValueDecoding.DecodingError(message: "failure decoding key b: illegal base64 data at input byte 0")) {
            try ValueDecoding.decodeMap(["a": Array("aGk=".utf8), "b": Array("!!".utf8)], strategy: .base64)
        }
    }

    @Test func nullBytePolicyFailReportsFirstKey() throws {
        try ValueDecoding.checkNullBytes(["a": [0]], policy: .ignore)
        #expect(throws: ValueDecoding.DecodingError.self) { try ValueDecoding.checkNullBytes(["b": [0], "a": [1]], policy: .fail) }
        do {
            try ValueDecoding.checkNullBytes(key: "k", value: [65, 0], policy: .fail)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("fetched secret value for key \"k\" contains null bytes"))
        }
    }

    @Test func gjsonPropertyLookups() {
        let doc = #"{"a":{"b":"c","n":1.50,"i":42,"t":true,"z":null},"list":[{"x":1},{"x":2}],"dot.key":"v"}"#
        #expect(GJSONPath.value(in: doc, at: "a.b") == "c")
        #expect(GJSONPath.value(in: doc, at: "a.n") == "1.5")
        #expect(GJSONPath.value(in: doc, at: "a.i") == "42")
        #expect(GJSONPath.value(in: doc, at: "a.t") == "true")
        #expect(GJSONPath.value(in: doc, at: "a.z") == "")
        #expect(GJSONPath.value(in: doc, at: "list.1.x") == "2")
        #expect(GJSONPath.value(in: doc, at: "list.#") == "2")
        #expect(GJSONPath.value(in: doc, at: "list.#.x") == "[1,2]")
        #expect(GJSONPath.value(in: doc, at: #"dot\.key"#) == "v")
        #expect(GJSONPath.value(in: doc, at: "a.b*") == "c")
        #expect(GJSONPath.value(in: doc, at: "missing") == nil)
        #expect(GJSONPath.value(in: "not json", at: "a") == nil)
    }

    @Test func goFloatFormatting() {
        #expect(GJSONPath.goFormatFloat(1000) == "1000")
        #expect(GJSONPath.goFormatFloat(1e21) == "1000000000000000000000")
        #expect(GJSONPath.goFormatFloat(1.5e-7) == "0.00000015")
        #expect(GJSONPath.goFormatFloat(-2.25) == "-2.25")
    }
}
