import Testing
import ESAPI
import ESJSON

/// Metadata maps are checked when the object is decoded and built only when read.
@Suite struct ObjectMetaTests {
    static func externalSecret(metadata: String) throws -> JSONTape.Value {
        let text = #"{"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","metadata":"# + metadata +
            #","spec":{"data":[{"secretKey":"a","remoteRef":{"key":"k"}}]}}"#
        return try JSONTape.parse(Array(text.utf8)).root
    }

    @Test func mapsReadBackAsWritten() throws {
        let metadata = #"{"name":"db","labels":{"app":"x","tier":null,"app":"y"},"annotations":{"note":"a \"quoted\" \u00e9"}}"#
        let document = try Self.externalSecret(metadata: metadata)
        let es = try ExternalSecret(document: document, version: .v1)
        #expect(es.metadata.labels == ["app": "y", "tier": ""])
        #expect(es.metadata.annotations == ["note": "a \"quoted\" \u{e9}"])
        // The same object decoded from a tree gives the same metadata.
        let fromTree = try ExternalSecret(json: document.json, version: .v1)
        #expect(fromTree.metadata == es.metadata)
        var changed = es.metadata
        changed.labels["extra"] = "1"
        #expect(changed.labels == ["app": "y", "tier": "", "extra": "1"])
        #expect(changed != es.metadata)
    }

    @Test(arguments: [
        (#"{"labels":{"a":"x","b":1}}"#, "metadata.labels.b",
         "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"),
        (#"{"annotations":["x"]}"#, "metadata.annotations",
         "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type map[string]string"),
        (#"{"labels":{"a":{"b":"c"}}}"#, "metadata.labels.a",
         "json: cannot unmarshal object into Go struct field ObjectMeta.metadata.labels of type string"),
    ])
    func wronglyTypedMapsFailAtDecode(metadata: String, path: String, message: String) throws {
        let document = try Self.externalSecret(metadata: metadata)
        #expect(throws: APIDecodingError(path: path, message: message)) {
            try ExternalSecret(document: document, version: .v1)
        }
    }
}
