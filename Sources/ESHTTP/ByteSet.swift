/// Byte classes of the HTTP grammar (RFC 9110 §5.6.2).
enum ByteSet {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")

    @inline(__always)
    static func isControl(_ c: UInt8) -> Bool { c < 0x20 || c == 0x7F }

    /// tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    @inline(__always)
    static func isToken(_ c: UInt8) -> Bool {
        // One bit per byte below 128: bytes 0-63 in the first word, 64-127 in the second.
        let word = c < 64 ? tokenBitsLow : tokenBitsHigh
        return c < 128 && (word >> UInt64(c & 63)) & 1 != 0
    }

    private static let tokenBitsLow: UInt64 = bits(from: 0, "!#$%&'*+-.^_`|~0123456789")
    private static let tokenBitsHigh: UInt64 = bits(from: 64, "!#$%&'*+-.^_`|~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    private static func bits(from base: UInt8, _ members: StaticString) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<members.utf8CodeUnitCount {
            let c = members.utf8Start[i]
            if c >= base && c < base &+ 64 { word |= 1 << UInt64(c &- base) }
        }
        return word
    }

    /// field-vchar / SP / HTAB (obs-text allowed).
    @inline(__always)
    static func isFieldValue(_ c: UInt8) -> Bool { c == tab || (c >= 0x20 && c != 0x7F) }
}
