import ESJSON
import COpenSSL

/// Upstream's `ObjectHash`: lowercase hex of SHA3-224 over Go's `fmt.Sprintf("%+v", x)`. The
/// renderings below reproduce Go's output for the three shapes ESO hashes, byte for byte, so hashes
/// on Secrets written by ESO and by us agree.
public enum ObjectHash {
    /// `data-hash` annotation: Go `%+v` of `map[string][]byte`, e.g. `map[a:[104 105] b:[]]`.
    public static func ofSecretData(_ data: [String: [UInt8]]) -> String {
        sha3_224Hex(Array(GoFormat.byteMap(data).utf8))
    }

    /// `created-by` label: the string `"<namespace>/<name>"` as is.
    public static func ofString(_ s: String) -> String {
        sha3_224Hex(Array(s.utf8))
    }

    /// The metadata hash in `syncedResourceVersion`: `{annotations:map[..] labels:map[..]}`.
    public static func ofMetadata(labels: [String: String], annotations: [String: String]) -> String {
        let text = "{annotations:" + GoFormat.stringMap(annotations) + " labels:" + GoFormat.stringMap(labels) + "}"
        return sha3_224Hex(Array(text.utf8))
    }

    /// SHA3-224 through OpenSSL's EVP interface, as lowercase hex (56 characters).
    public static func sha3_224Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 28)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha3_224(), nil)
            }
        }
        precondition(ok == 1 && length == 28, "OpenSSL SHA3-224 unavailable")
        return HexEncoding.lowercase(digest)
    }
}

/// Go `fmt` `%+v` renderings of maps (keys sorted byte-wise, as Go's fmt sorts string keys).
enum GoFormat {
    static func sortedKeys<V>(_ map: [String: V]) -> [String] {
        map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    static func byteMap(_ map: [String: [UInt8]]) -> String {
        var out = "map["
        var first = true
        for key in sortedKeys(map) {
            if !first { out += " " }
            first = false
            out += key
            out += ":["
            out += (map[key] ?? []).map { String($0) }.joined(separator: " ")
            out += "]"
        }
        return out + "]"
    }

    static func stringMap(_ map: [String: String]) -> String {
        var out = "map["
        var first = true
        for key in sortedKeys(map) {
            if !first { out += " " }
            first = false
            out += key + ":" + (map[key] ?? "")
        }
        return out + "]"
    }
}
