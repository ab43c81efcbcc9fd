/// Go strings are byte strings; Swift strings are Unicode. Bytes that are not valid UTF-8 (binary
/// secrets such as a base64-decoded PKCS#12 archive) are carried through templates as code points
/// U+10FF00+byte of the last private-use plane and turned back into the original bytes on the way out,
/// so `{{ .keystore | b64dec | pkcs12cert }}` and binary output round-trip exactly.
public enum RawBytes {
    static let base: UInt32 = 0x10FF00

    /// `string(bytes)` in Go terms.
    public static func string(from bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self), !s.utf8.contains(0xF4) { return s }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let need: Int
            switch b {
            case 0x00...0x7F: need = 1
            case 0xC2...0xDF: need = 2
            case 0xE0...0xEF: need = 3
            case 0xF0...0xF4: need = 4
            default: need = 0
            }
            if need > 0, i + need <= bytes.count,
                let s = String(validating: bytes[i..<(i + need)], as: UTF8.self), let scalar = s.unicodeScalars.first,
                s.unicodeScalars.count == 1, scalar.value < base
            {
                out.append(scalar)
                i += need
            } else {
                out.append(Unicode.Scalar(base + UInt32(b))!)
                i += 1
            }
        }
        return String(out)
    }

    /// The Go bytes of a template string.
    public static func bytes(of s: String) -> [UInt8] {
        guard s.utf8.contains(0xF4) else { return Array(s.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if scalar.value >= base {
                out.append(UInt8(scalar.value - base))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }
}
