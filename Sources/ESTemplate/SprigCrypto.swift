import ESJSON
internal import COpenSSL
import Glibc

/// sprig's crypto helpers: uuidv4, randBytes, AES-CBC encryption, private key generation, bcrypt
/// (libxcrypt), htpasswd and derivePassword (Master Password over scrypt).
enum SprigCrypto {
    typealias F = GoFunction

    static let functions: [String: GoFunction] = [
        "uuidv4": F([]) { _ in .string(uuidv4()) },
        "randBytes": F([.int]) { a in
            let n = a[0].asInt
            guard n >= 0 else { throw FunctionError("runtime error: makeslice: len out of range") }
            try Sprig.checkSize(n, "randBytes")
            return .string(Base64.encode(SecureRandom.bytes(n)))
        },
        "encryptAES": F([.string, .string]) { a in .string(try encryptAES(a[0].asString, a[1].asString)) },
        "decryptAES": F([.string, .string]) { a in .string(try decryptAES(a[0].asString, a[1].asString)) },
        "genPrivateKey": F([.string]) { a in .string(generatePrivateKey(a[0].asString)) },
        "bcrypt": F([.string]) { a in .string(try bcrypt(a[0].asString)) },
        "htpasswd": F([.string, .string], variadic: .string) { a in
            let user = a[0].asString, pass = a[1].asString
            if user.contains(":") { return .string("invalid username: \(user)") }
            if a.count > 2, a[2].asString.lowercased() == "sha" {
                return .string("\(user):{SHA}\(Base64.encode(Digest.sha1(RawBytes.bytes(of: pass))))")
            }
            return .string("\(user):\(try bcrypt(pass))")
        },
        "derivePassword": F([.int, .string, .string, .string, .string]) { a in
            .string(derivePassword(UInt32(truncatingIfNeeded: a[0].asInt), a[1].asString, a[2].asString, a[3].asString, a[4].asString))
        },
    ]

    static func uuidv4() -> String {
        var b = SecureRandom.bytes(16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let h = HexEncoding.lowercase(b)
        let c = Array(h)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    static func aesKey(_ password: String) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        for (i, b) in RawBytes.bytes(of: password).prefix(32).enumerated() { key[i] = b }
        return key
    }

    static func cbc(_ input: [UInt8], key: [UInt8], iv: [UInt8], encrypt: Bool) throws -> [UInt8] {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw FunctionError("crypto/aes: cannot create cipher") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nil, key, iv, encrypt ? 1 : 0) == 1 else {
            throw FunctionError("crypto/aes: cannot initialise cipher")
        }
        EVP_CIPHER_CTX_set_padding(ctx, 0)
        var out = [UInt8](repeating: 0, count: input.count + 32)
        var len: Int32 = 0, fin: Int32 = 0
        guard EVP_CipherUpdate(ctx, &out, &len, input, Int32(input.count)) == 1 else { throw FunctionError("crypto/cipher: input not full blocks") }
        let finished = out.withUnsafeMutableBufferPointer { buf in EVP_CipherFinal_ex(ctx, buf.baseAddress! + Int(len), &fin) }
        guard finished == 1 else { throw FunctionError("crypto/cipher: input not full blocks") }
        return Array(out.prefix(Int(len + fin)))
    }

    static func encryptAES(_ password: String, _ plaintext: String) throws -> String {
        if plaintext.isEmpty { return "" }
        var content = RawBytes.bytes(of: plaintext)
        let padding = 16 - content.count % 16
        content += [UInt8](repeating: UInt8(padding), count: padding)
        let iv = SecureRandom.bytes(16)
        return Base64.encode(iv + (try cbc(content, key: aesKey(password), iv: iv, encrypt: true)))
    }

    static func decryptAES(_ password: String, _ crypt64: String) throws -> String {
        if crypt64.isEmpty { return "" }
        let crypt: [UInt8]
        do { crypt = try Base64.decode(crypt64) } catch { throw FunctionError("\(error)") }
        guard crypt.count >= 16 else { throw FunctionError("runtime error: slice bounds out of range [:16] with capacity \(crypt.count)") }
        guard (crypt.count - 16) % 16 == 0 else { throw FunctionError("crypto/cipher: input not full blocks") }
        let plain = try cbc(Array(crypt[16...]), key: aesKey(password), iv: Array(crypt[..<16]), encrypt: false)
        guard let last = plain.last, Int(last) <= plain.count else {
            throw FunctionError("runtime error: slice bounds out of range")
        }
        return RawBytes.string(from: Array(plain.dropLast(Int(last))))
    }

    /// sprig's `genPrivateKey`: rsa (4096), dsa, ecdsa (P-256), ed25519 in Go's PEM forms.
    static func generatePrivateKey(_ type: String) -> String {
        let id: Int32
        switch type {
        case "", "rsa": id = EVP_PKEY_RSA
        case "ecdsa": id = EVP_PKEY_EC
        case "ed25519": id = EVP_PKEY_ED25519
        case "dsa": id = EVP_PKEY_DSA
        default: return "Unknown type \(type)"
        }
        var pkey: OpaquePointer?
        if id == EVP_PKEY_DSA {
            guard let pctx = EVP_PKEY_CTX_new_id(id, nil) else { return "failed to generate private key: dsa" }
            defer { EVP_PKEY_CTX_free(pctx) }
            var params: OpaquePointer?
            guard EVP_PKEY_paramgen_init(pctx) == 1, EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx, 2048) == 1,
                EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pctx, 256) == 1, EVP_PKEY_paramgen(pctx, &params) == 1, let params
            else { return "failed to generate private key: \(openSSLError("dsa parameters"))" }
            defer { EVP_PKEY_free(params) }
            guard let kctx = EVP_PKEY_CTX_new(params, nil) else { return "failed to generate private key: dsa" }
            defer { EVP_PKEY_CTX_free(kctx) }
            guard EVP_PKEY_keygen_init(kctx) == 1, EVP_PKEY_keygen(kctx, &pkey) == 1 else {
                return "failed to generate private key: \(openSSLError("dsa"))"
            }
        } else {
            guard let ctx = EVP_PKEY_CTX_new_id(id, nil) else { return "failed to generate private key: \(type)" }
            defer { EVP_PKEY_CTX_free(ctx) }
            guard EVP_PKEY_keygen_init(ctx) == 1 else { return "failed to generate private key: \(openSSLError(type))" }
            if id == EVP_PKEY_RSA { _ = es_EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 4096) }
            if id == EVP_PKEY_EC { _ = es_EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) }
            guard EVP_PKEY_keygen(ctx, &pkey) == 1 else { return "failed to generate private key: \(openSSLError(type))" }
        }
        guard let pkey else { return "failed to generate private key: \(type)" }
        defer { EVP_PKEY_free(pkey) }
        if id == EVP_PKEY_ED25519 {
            guard let der = try? PKCS12Support.pkcs8(pkey) else { return "failed to generate private key: ed25519" }
            return GoPEM.encode(type: "PRIVATE KEY", der: der)
        }
        var out: UnsafeMutablePointer<UInt8>?
        let n = i2d_PrivateKey(pkey, &out)
        guard n > 0, let out else { return "failed to generate private key: \(openSSLError(type))" }
        defer { es_OPENSSL_free(out) }
        let der = Array(UnsafeBufferPointer(start: out, count: Int(n)))
        let pemType = id == EVP_PKEY_RSA ? "RSA PRIVATE KEY" : (id == EVP_PKEY_EC ? "EC PRIVATE KEY" : "DSA PRIVATE KEY")
        return GoPEM.encode(type: pemType, der: der)
    }

    // MARK: bcrypt through libxcrypt (crypt_gensalt_rn / crypt_rn), loaded once.

    typealias GensaltFn = @convention(c) (UnsafePointer<CChar>?, UInt, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>?
    typealias CryptFn = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?, Int32) -> UnsafeMutablePointer<CChar>?

    struct LibCrypt: @unchecked Sendable {
        let gensalt: GensaltFn
        let crypt: CryptFn
    }

    static let libcrypt: LibCrypt? = {
        guard let handle = dlopen("libcrypt.so.1", RTLD_NOW) ?? dlopen("libcrypt.so", RTLD_NOW),
            let g = dlsym(handle, "crypt_gensalt_rn"), let c = dlsym(handle, "crypt_rn")
        else { return nil }
        return LibCrypt(gensalt: unsafeBitCast(g, to: GensaltFn.self), crypt: unsafeBitCast(c, to: CryptFn.self))
    }()

    /// `bcrypt.GenerateFromPassword(input, 10)`: a `$2a$10$` hash.
    static func bcrypt(_ input: String) throws -> String {
        guard let lib = libcrypt else { throw FunctionError("bcrypt: libcrypt is not available") }
        let password = RawBytes.bytes(of: input)
        guard password.count <= 72 else { throw FunctionError("bcrypt: password length exceeds 72 bytes") }
        var setting = [CChar](repeating: 0, count: 64)
        let rnd = SecureRandom.bytes(16).map { CChar(bitPattern: $0) }
        guard lib.gensalt("$2a$", 10, rnd, Int32(rnd.count), &setting, Int32(setting.count)) != nil else {
            throw FunctionError("bcrypt: cannot generate salt")
        }
        let data = UnsafeMutableRawPointer.allocate(byteCount: 65536, alignment: 16)
        defer { data.initializeMemory(as: UInt8.self, repeating: 0, count: 65536); data.deallocate() }
        data.initializeMemory(as: UInt8.self, repeating: 0, count: 65536)
        let phrase = password.map { CChar(bitPattern: $0) } + [0]
        guard let result = lib.crypt(phrase, setting, data, 65536) else { throw FunctionError("bcrypt: hashing failed") }
        let hash = String(cString: result)
        guard hash.hasPrefix("$2a$") else { throw FunctionError("bcrypt: hashing failed") }
        return hash
    }

    // MARK: derivePassword (Master Password algorithm)

    static let templates: [String: [String]] = [
        "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long": ["CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
                 "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
                 "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
                 "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
                 "CvccCvcvCvccno"],
        "medium": ["CvcnoCvc", "CvcCvcno"],
        "short": ["Cvcn"],
        "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
        "pin": ["nnnn"],
    ]
    static let characters: [Character: String] = [
        "V": "AEIOU", "C": "BCDFGHJKLMNPQRSTVWXYZ", "v": "aeiou", "c": "bcdfghjklmnpqrstvwxyz",
        "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ", "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        "n": "0123456789", "o": "@&%?,=[]_:-+*$#!'^~;()/.",
        "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    ]

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

    static func derivePassword(_ counter: UInt32, _ type: String, _ password: String, _ user: String, _ site: String) -> String {
        guard let temps = templates[type] else { return "cannot find password template \(type)" }
        let seed = Array("com.lyndir.masterpassword".utf8)
        let userBytes = RawBytes.bytes(of: user), siteBytes = RawBytes.bytes(of: site)
        let salt = seed + bigEndian(UInt32(userBytes.count)) + userBytes
        var key = [UInt8](repeating: 0, count: 64)
        let pass = RawBytes.bytes(of: password)
        guard EVP_PBE_scrypt(pass.map { CChar(bitPattern: $0) }, pass.count, salt, salt.count, 32768, 8, 2, 128 << 20, &key, 64) == 1 else {
            return "failed to derive password: \(openSSLError("scrypt"))"
        }
        let message = seed + bigEndian(UInt32(siteBytes.count)) + siteBytes + bigEndian(counter)
        var mac = [UInt8](repeating: 0, count: 32)
        var macLen: UInt32 = 0
        _ = HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &mac, &macLen)
        let template = Array(temps[Int(mac[0]) % temps.count])
        var out = ""
        for (i, element) in template.enumerated() {
            let chars = Array(characters[element] ?? "")
            out.append(chars[Int(mac[i + 1]) % chars.count])
        }
        return out
    }
}
