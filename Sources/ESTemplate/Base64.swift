import ESJSON

/// encoding/base64 and encoding/base32 with Go's error messages.
enum Base64 {
    static let std = Base64Encoding.standardAlphabet
    static let url = Base64Encoding.urlAlphabet

    static func encode(_ data: [UInt8], alphabet: [UInt8] = std, padding: Bool = true) -> String {
        Base64Encoding.encode(data, alphabet: alphabet, padding: padding)
    }

    struct CorruptInput: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "illegal base64 data at input byte \(offset)" }
    }

    /// `base64.StdEncoding.DecodeString` (padding required; CR/LF ignored).
    static func decode(_ text: String, alphabet: [UInt8] = std, padding: Bool = true) throws(CorruptInput) -> [UInt8] {
        var lookup = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { lookup[Int(c)] = Int16(i) }
        let input = Array(text.utf8)
        var out: [UInt8] = []
        var quantum: [UInt32] = []
        var i = 0
        var sawPadding = false
        while i < input.count {
            let c = input[i]
            if c == 0x0A || c == 0x0D { i += 1; continue }
            if sawPadding { throw CorruptInput(offset: i) }
            if c == 61 {   // '='
                guard padding else { throw CorruptInput(offset: i) }
                // Padding must complete the quantum.
                switch quantum.count {
                case 2:
                    var j = i + 1
                    while j < input.count, input[j] == 0x0A || input[j] == 0x0D { j += 1 }
                    guard j < input.count, input[j] == 61 else { throw CorruptInput(offset: j < input.count ? i : input.count) }
                    i = j + 1
                case 3: i += 1
                default: throw CorruptInput(offset: i)
                }
                flush(&quantum, &out)
                sawPadding = true
                continue
            }
            guard lookup[Int(c)] >= 0 else { throw CorruptInput(offset: i) }
            quantum.append(UInt32(lookup[Int(c)]))
            if quantum.count == 4 { flush(&quantum, &out) }
            i += 1
        }
        if !quantum.isEmpty {
            if padding || quantum.count == 1 { throw CorruptInput(offset: input.count) }
            flush(&quantum, &out)
        }
        return out
    }

    private static func flush(_ q: inout [UInt32], _ out: inout [UInt8]) {
        var n: UInt32 = 0
        for (k, v) in q.enumerated() { n |= v << (18 - 6 * UInt32(k)) }
        out.append(UInt8(n >> 16 & 255))
        if q.count > 2 { out.append(UInt8(n >> 8 & 255)) }
        if q.count > 3 { out.append(UInt8(n & 255)) }
        q.removeAll()
    }

    static let base32Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func base32Encode(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            let chunk = Array(data[i..<min(i + 5, data.count)])
            var buf = [UInt8](repeating: 0, count: 5)
            for (k, b) in chunk.enumerated() { buf[k] = b }
            let n = buf.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let chars = [2, 4, 5, 7, 8][chunk.count - 1]
            for k in 0..<8 {
                out.append(k < chars ? base32Alphabet[Int(n >> (35 - 5 * UInt64(k)) & 31)] : 61)
            }
            i += 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func base32Decode(_ text: String) throws -> [UInt8] {
        var lookup = [Int16](repeating: -1, count: 256)
        for (i, c) in base32Alphabet.enumerated() { lookup[Int(c)] = Int16(i) }
        let input = Array(text.utf8).filter { $0 != 0x0A && $0 != 0x0D }
        guard input.count % 8 == 0 else { throw FunctionError("illegal base32 data at input byte \(input.count / 8 * 8)") }
        var out: [UInt8] = []
        var i = 0
        while i < input.count {
            let block = input[i..<(i + 8)]
            var n: UInt64 = 0
            var chars = 0
            for (k, c) in block.enumerated() {
                if c == 61 { break }
                guard lookup[Int(c)] >= 0 else { throw FunctionError("illegal base32 data at input byte \(i + k)") }
                n |= UInt64(lookup[Int(c)]) << (35 - 5 * UInt64(k))
                chars += 1
            }
            let bytes: Int
            switch chars {
            case 8: bytes = 5
            case 7: bytes = 4
            case 5: bytes = 3
            case 4: bytes = 2
            case 2: bytes = 1
            default: throw FunctionError("illegal base32 data at input byte \(i + chars)")
            }
            for k in 0..<bytes { out.append(UInt8(n >> (32 - 8 * UInt64(k)) & 255)) }
            i += 8
        }
        return out
    }
}
