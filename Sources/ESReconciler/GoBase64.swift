/// Go `encoding/base64` decoding (`StdEncoding` / `URLEncoding`, both padded, non-strict): `\r` and
/// `\n` are skipped anywhere, padding is required, and errors carry Go's text
/// `illegal base64 data at input byte <n>`.
public enum GoBase64 {
    public enum Alphabet: Sendable { case standard, url }

    public struct CorruptInputError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public init(offset: Int) { self.offset = offset }
        public var description: String { "illegal base64 data at input byte \(offset)" }
    }

    private static func decodeTable(_ alphabet: Alphabet) -> [UInt8] {
        var table = [UInt8](repeating: 0xff, count: 256)
        let chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
            + (alphabet == .standard ? Array("+/".utf8) : Array("-_".utf8))
        for (i, c) in chars.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }

    private static let standardTable = decodeTable(.standard)
    private static let urlTable = decodeTable(.url)

    public static func decode(_ src: [UInt8], alphabet: Alphabet) throws(CorruptInputError) -> [UInt8] {
        let table = alphabet == .standard ? standardTable : urlTable
        let pad = UInt8(ascii: "=")
        func isNewline(_ b: UInt8) -> Bool { b == 0x0a || b == 0x0d }
        var out: [UInt8] = []
        out.reserveCapacity(src.count / 4 * 3)
        var si = 0
        while si < src.count {
            var dbuf: [UInt8] = [0, 0, 0, 0]
            var dlen = 4
            var j = 0
            var trailingError: Int? = nil
            quantum: while j < 4 {
                if si == src.count {
                    if j == 0 { return out }
                    // Padded encodings require a complete quantum.
                    throw CorruptInputError(offset: si - j)
                }
                let byte = src[si]
                si += 1
                let value = table[Int(byte)]
                if value != 0xff {
                    dbuf[j] = value
                    j += 1
                    continue
                }
                if isNewline(byte) { continue }
                if byte != pad { throw CorruptInputError(offset: si - 1) }
                switch j {
                case 0, 1:
                    throw CorruptInputError(offset: si - 1)
                case 2:
                    while si < src.count, isNewline(src[si]) { si += 1 }
                    if si == src.count { throw CorruptInputError(offset: src.count) }
                    if src[si] != pad { throw CorruptInputError(offset: si - 1) }
                    si += 1
                default:
                    break
                }
                while si < src.count, isNewline(src[si]) { si += 1 }
                if si < src.count { trailingError = si }
                dlen = j
                break quantum
            }
            let val = UInt32(dbuf[0]) << 18 | UInt32(dbuf[1]) << 12 | UInt32(dbuf[2]) << 6 | UInt32(dbuf[3])
            let bytes: [UInt8] = [UInt8(truncatingIfNeeded: val >> 16), UInt8(truncatingIfNeeded: val >> 8),
                                  UInt8(truncatingIfNeeded: val)]
            out.append(contentsOf: bytes.prefix(dlen - 1))
            if let offset = trailingError { throw CorruptInputError(offset: offset) }
            if dlen < 4 { break }
        }
        return out
    }
}
