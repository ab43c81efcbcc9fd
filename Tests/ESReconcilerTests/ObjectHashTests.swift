import ESReconciler
import Testing

/// Expected values computed independently with python3 `hashlib.sha3_224` over the Go `%+v` text.
@Suite struct ObjectHashTests {
    @Test func dataHashMatchesGoRendering() {
        // map[a:[104 105] b:[]]
        #expect(ObjectHash.ofSecretData(["a": Array("hi".utf8), "b": []])
            == "7ea3465c6776a2d21a7c6afaa765c3abc9e38a7cb9b4d770456f0b89")
        // map[a:[104 105] b:[0 1]]
        #expect(ObjectHash.ofSecretData(["b": [0, 1], "a": Array("hi".utf8)])
            == "6dfb0df4b72b8d24dc8f01437cb291dc69afd7bd42e354f103ed3193")
    }

    @Test func emptyDataHashesAsEmptyGoMap() {
        #expect(ObjectHash.ofSecretData([:]) == "74a974446e359fb3e6baff9bd0058950e6edd0f040888d9989b0a11b")
    }

    @Test func keysSortBytewiseLikeGo() {
        // map[B:[0 255] a:[] é:[195 169]]: uppercase before lowercase before non-ASCII.
        #expect(ObjectHash.ofSecretData(["é": [195, 169], "a": [], "B": [0, 255]])
            == "0dca42145f93ca8963095c703d501e5f51572307f1c2b42276c93587")
    }

    @Test func createdByHashesNamespaceSlashName() {
        #expect(ObjectHash.ofString("default/my-es") == "b8464376b5fe3535e690594280bfe59b60be2603cb6cbb6d6c8bcbb4")
    }

    @Test func metadataHash() {
        #expect(ObjectHash.ofMetadata(labels: [:], annotations: [:])
            == "f47fe3c0b255b6dd8047cdffa772587bb829efe7a1cb70febeda2eb2")
        #expect(ObjectHash.ofMetadata(labels: ["team": "a", "app": "web"],
                                      annotations: ["external-secrets.io/force-sync": "1700000000"])
            == "0246cebc05d81a252c59b84f0de149cc1385524abfe8851a011506b4")
    }

    @Test func fieldManagerSwitchesToSha3AboveSixtyThreeCharacters() {
        // 63 characters exactly: kept.
        #expect(FieldManager.name(forExternalSecret: "abcdefghijklmnopqrstuvwxyz1")
            == "externalsecrets.external-secrets.io/abcdefghijklmnopqrstuvwxyz1")
        #expect(FieldManager.name(forExternalSecret: "a-very-long-external-secret-name-xyz")
            == "externalsecrets.external-secrets.io/sha3/bba0230cf51c2af19e9e38a7135ff20d7005a522d32e3b8c53ec2985")
    }
}
