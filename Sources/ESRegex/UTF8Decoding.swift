/// UTF-8 decoding with Go's conventions: an invalid byte decodes as U+FFFD with width 1.
enum UTF8Decoding {
    static let runeError: Rune = 0xFFFD

    /// Decodes the rune starting at `index`; returns (rune, width, valid). `index` must be < count.
    @inline(__always)
    static func decode(_ bytes: [UInt8], at index: Int) -> (rune: Rune, width: Int, valid: Bool) {
        let b0 = bytes[index]
        if b0 < 0x80 { return (Rune(b0), 1, true) }
        let count = bytes.count
        func cont(_ i: Int) -> UInt8? {
            guard i < count else { return nil }
            let b = bytes[i]
            return b & 0xC0 == 0x80 ? b : nil
        }
        if b0 >= 0xC2 && b0 <= 0xDF, let b1 = cont(index + 1) {
            return (Rune(b0 & 0x1F) << 6 | Rune(b1 & 0x3F), 2, true)
        }
        if b0 >= 0xE0 && b0 <= 0xEF, let b1 = cont(index + 1), let b2 = cont(index + 2) {
            let r = Rune(b0 & 0x0F) << 12 | Rune(b1 & 0x3F) << 6 | Rune(b2 & 0x3F)
            if r >= 0x800 && !(r >= 0xD800 && r <= 0xDFFF) { return (r, 3, true) }
        }
        if b0 >= 0xF0 && b0 <= 0xF4, let b1 = cont(index + 1), let b2 = cont(index + 2), let b3 = cont(index + 3) {
            let r = Rune(b0 & 0x07) << 18 | Rune(b1 & 0x3F) << 12 | Rune(b2 & 0x3F) << 6 | Rune(b3 & 0x3F)
            if r >= 0x10000 && r <= maxRune { return (r, 4, true) }
        }
        return (runeError, 1, false)
    }

    /// Decodes the rune that ends just before `index` (Go's DecodeLastRune); -1 at the start.
    static func decodeLast(_ bytes: [UInt8], before index: Int) -> Rune {
        if index <= 0 { return -1 }
        var start = index - 1
        let limit = max(0, index - 4)
        while start > limit && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        let (r, width, _) = decode(bytes, at: start)
        if start + width != index { return runeError }
        return r
    }

    static func encode(_ r: Rune, into out: inout [UInt8]) {
        guard let scalar = Unicode.Scalar(UInt32(max(0, r))) else {
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            return
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
