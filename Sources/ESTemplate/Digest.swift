internal import COpenSSL

/// Hashes and checksums (OpenSSL EVP one-shot digests).
enum Digest {
    static func digest(_ data: [UInt8], _ md: OpaquePointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        _ = data.withUnsafeBytes { buf in
            EVP_Digest(buf.baseAddress, buf.count, &out, &len, md, nil)
        }
        return Array(out[..<Int(len)])
    }

    static func sha1(_ d: [UInt8]) -> [UInt8] { digest(d, EVP_sha1()) }
    static func sha256(_ d: [UInt8]) -> [UInt8] { digest(d, EVP_sha256()) }
    static func sha512(_ d: [UInt8]) -> [UInt8] { digest(d, EVP_sha512()) }

    static func adler32(_ d: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in d {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return (b << 16) | a
    }
}
