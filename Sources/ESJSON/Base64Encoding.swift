/// Base64 encoding (RFC 4648): the standard alphabet with padding is what Kubernetes uses for
/// `Secret.data`, admission patches and JSON `[]byte` fields.
public enum Base64Encoding {
    public static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    public static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func encode(_ data: [UInt8], alphabet: [UInt8] = standardAlphabet, padding: Bool = true) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= data.count {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = data.count - i
        if rest > 0 {
            var n = UInt32(data[i]) << 16
            if rest == 2 { n |= UInt32(data[i + 1]) << 8 }
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
            if rest == 2 { out.append(alphabet[Int(n >> 6 & 63)]) } else if padding { out.append(61) }
            if padding { out.append(61) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
