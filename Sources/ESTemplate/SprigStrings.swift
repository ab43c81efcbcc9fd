import ESJSON
internal import COpenSSL

/// sprig's string functions.
enum SprigStrings {
    typealias F = GoFunction

    static let functions: [String: GoFunction] = [
        "hello": F([]) { _ in .string("Hello!") },
        "upper": F([.string]) { a in .string(upper(a[0].asString)) },
        "lower": F([.string]) { a in .string(lower(a[0].asString)) },
        "title": F([.string]) { a in .string(title(a[0].asString)) },
        "untitle": F([.string]) { a in .string(untitle(a[0].asString)) },
        "substr": F([.int, .int, .string]) { a in .string(try substr(a[0].asInt, a[1].asInt, a[2].asString)) },
        "repeat": F([.int, .string]) { a in
            let n = a[0].asInt, s = a[1].asString
            guard n >= 0 else { throw FunctionError("strings: negative Repeat count") }
            try Sprig.checkSize(n.multipliedReportingOverflow(by: s.utf8.count).overflow ? -1 : n * s.utf8.count, "repeat")
            return .string(String(repeating: s, count: n))
        },
        "trim": F([.string]) { a in .string(trim(a[0].asString, cutset: nil)) },
        "trimAll": F([.string, .string]) { a in .string(trim(a[1].asString, cutset: a[0].asString)) },
        "trimall": F([.string, .string]) { a in .string(trim(a[1].asString, cutset: a[0].asString)) },
        "trimSuffix": F([.string, .string]) { a in
            let suffix = a[0].asString, s = a[1].asString
            return .string(s.hasSuffix(suffix) && !suffix.isEmpty ? String(decoding: s.utf8.dropLast(suffix.utf8.count), as: UTF8.self) : s)
        },
        "trimPrefix": F([.string, .string]) { a in
            let prefix = a[0].asString, s = a[1].asString
            return .string(s.hasPrefix(prefix) && !prefix.isEmpty ? String(decoding: s.utf8.dropFirst(prefix.utf8.count), as: UTF8.self) : s)
        },
        "nospace": F([.string]) { a in
            .string(String(String.UnicodeScalarView(a[0].asString.unicodeScalars.filter { !Sprig.isSpace($0) })))
        },
        "initials": F([.string]) { a in .string(initials(a[0].asString)) },
        "randAlphaNum": F([.int]) { a in .string(try random(a[0].asInt, alphabet: alnum)) },
        "randAlpha": F([.int]) { a in .string(try random(a[0].asInt, alphabet: letters)) },
        "randAscii": F([.int]) { a in .string(try random(a[0].asInt, alphabet: (32...126).map { Character(Unicode.Scalar(UInt8($0))) })) },
        "randNumeric": F([.int]) { a in .string(try random(a[0].asInt, alphabet: Array("0123456789"))) },
        "swapcase": F([.string]) { a in .string(swapcase(a[0].asString)) },
        "shuffle": F([.string]) { a in
            var scalars = Array(a[0].asString.unicodeScalars)
            var rng = SecureRandom()
            scalars.shuffle(using: &rng)
            return .string(String(String.UnicodeScalarView(scalars)))
        },
        "snakecase": F([.string]) { a in .string(CaseConversion.delimited(a[0].asString, "_")) },
        "kebabcase": F([.string]) { a in .string(CaseConversion.delimited(a[0].asString, "-")) },
        "camelcase": F([.string]) { a in .string(CaseConversion.camel(a[0].asString)) },
        "wrap": F([.int, .string]) { a in .string(wrap(a[1].asString, a[0].asInt, "", false)) },
        "wrapWith": F([.int, .string, .string]) { a in .string(wrap(a[2].asString, a[0].asInt, a[1].asString, true)) },
        "contains": F([.string, .string]) { a in
            let sub = a[0].asString
            return .bool(sub.isEmpty || a[1].asString.utf8.firstRange(of: sub.utf8) != nil)
        },
        "hasPrefix": F([.string, .string]) { a in .bool(a[1].asString.utf8.starts(with: a[0].asString.utf8)) },
        "hasSuffix": F([.string, .string]) { a in .bool(a[1].asString.utf8.reversed().starts(with: a[0].asString.utf8.reversed())) },
        "quote": F([], variadic: .any) { a in
            .string(a.filter { !$0.isNull }.map { GoFormat.quote(Sprig.strval($0)) }.joined(separator: " "))
        },
        "squote": F([], variadic: .any) { a in
            .string(a.filter { !$0.isNull }.map { "'" + Sprig.strval($0) + "'" }.joined(separator: " "))
        },
        "cat": F([], variadic: .any) { a in
            .string(a.filter { !$0.isNull }.map { GoFormat.sprint($0) }.joined(separator: " "))
        },
        "indent": F([.int, .string]) { a in .string(try indent(a[0].asInt, a[1].asString)) },
        "nindent": F([.int, .string]) { a in .string("\n" + (try indent(a[0].asInt, a[1].asString))) },
        "replace": F([.string, .string, .string]) { a in
            .string(try replaceAll(a[2].asString, a[0].asString, a[1].asString))
        },
        "plural": F([.string, .string, .int]) { a in .string(a[2].asInt == 1 ? a[0].asString : a[1].asString) },
        "sha1sum": F([.string]) { a in .string(HexEncoding.lowercase(Digest.sha1(RawBytes.bytes(of: a[0].asString)))) },
        "sha256sum": F([.string]) { a in .string(HexEncoding.lowercase(Digest.sha256(RawBytes.bytes(of: a[0].asString)))) },
        "sha512sum": F([.string]) { a in .string(HexEncoding.lowercase(Digest.sha512(RawBytes.bytes(of: a[0].asString)))) },
        "adler32sum": F([.string]) { a in .string(String(Digest.adler32(RawBytes.bytes(of: a[0].asString)))) },
        "toString": F([.any]) { a in .string(Sprig.strval(a[0])) },
        "split": F([.string, .string]) { a in
            let parts = goSplit(a[1].asString, a[0].asString, -1)
            var m: [String: GoValue] = [:]
            for (i, p) in parts.enumerated() { m["_\(i)"] = .string(p) }
            return .map(GoMap(m), .string)
        },
        "splitn": F([.string, .int, .string]) { a in
            let parts = goSplit(a[2].asString, a[0].asString, a[1].asInt)
            var m: [String: GoValue] = [:]
            for (i, p) in parts.enumerated() { m["_\(i)"] = .string(p) }
            return .map(GoMap(m), .string)
        },
        "splitList": F([.string, .string]) { a in .stringList(goSplit(a[1].asString, a[0].asString, -1)) },
        "toStrings": F([.any]) { a in .stringList(Sprig.strslice(a[0])) },
        "join": F([.string, .any]) { a in .string(Sprig.strslice(a[1]).joined(separator: a[0].asString)) },
        "sortAlpha": F([.any]) { a in
            guard Sprig.list(a[0]) != nil else { return .stringList([Sprig.strval(a[0])]) }
            return .stringList(Sprig.strslice(a[0]).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        },
        "abbrev": F([.int, .string]) { a in .string(abbrev(a[1].asString, a[0].asInt)) },
        "abbrevboth": F([.int, .int, .string]) { a in .string(abbrevBoth(a[2].asString, a[0].asInt, a[1].asInt)) },
        "trunc": F([.int, .string]) { a in
            let c = a[0].asInt
            let s = Array(a[1].asString.utf8)
            if c < 0 && s.count + c > 0 { return .string(String(decoding: s[(s.count + c)...], as: UTF8.self)) }
            if c >= 0 && s.count > c { return .string(String(decoding: s[..<c], as: UTF8.self)) }
            return .string(a[1].asString)
        },
    ]

    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let alnum = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    static func upper(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in
            c.properties.uppercaseMapping.unicodeScalars.count == 1 ? c.properties.uppercaseMapping.unicodeScalars.first! : c
        }))
    }

    static func lower(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in
            c.properties.lowercaseMapping.unicodeScalars.count == 1 ? c.properties.lowercaseMapping.unicodeScalars.first! : c
        }))
    }

    static func upperScalar(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let m = c.properties.uppercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : c
    }

    static func titleScalar(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let m = c.properties.titlecaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : c
    }

    static func lowerScalar(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let m = c.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : c
    }

    /// Go's deprecated `strings.Title`.
    static func title(_ s: String) -> String {
        func isSeparator(_ r: Unicode.Scalar) -> Bool {
            if r.value <= 0x7F {
                switch r {
                case "0"..."9", "a"..."z", "A"..."Z", "_": return false
                default: return true
                }
            }
            if Sprig.isLetter(r) || Sprig.isDigit(r) { return false }
            return Sprig.isSpace(r)
        }
        var prev: Unicode.Scalar = " "
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            out.append(isSeparator(prev) ? titleScalar(c) : c)
            prev = c
        }
        return String(out)
    }

    /// goutils `Uncapitalize`: lower-cases the first letter of each space-separated word.
    static func untitle(_ s: String) -> String {
        var capitalizeNext = true
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            if Sprig.isSpace(c) { out.append(c); capitalizeNext = true }
            else if capitalizeNext { out.append(lowerScalar(c)); capitalizeNext = false }
            else { out.append(c) }
        }
        return String(out)
    }

    static func swapcase(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in
            if c.properties.isUppercase { return lowerScalar(c) }
            if c.properties.isLowercase { return upperScalar(c) }
            return c
        }))
    }

    static func initials(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var atStart = true
        for c in s.unicodeScalars {
            if Sprig.isSpace(c) { atStart = true } else if atStart { out.append(c); atStart = false }
        }
        return String(out)
    }

    static func substr(_ start: Int, _ end: Int, _ s: String) throws -> String {
        let b = Array(s.utf8)
        if start < 0 {
            guard end >= 0, end <= b.count else { throw FunctionError("runtime error: slice bounds out of range [:\(end)] with length \(b.count)") }
            return String(decoding: b[..<end], as: UTF8.self)
        }
        if end < 0 || end > b.count {
            guard start <= b.count else { throw FunctionError("runtime error: slice bounds out of range [\(start):\(b.count)]") }
            return String(decoding: b[start...], as: UTF8.self)
        }
        guard start <= end else { throw FunctionError("runtime error: slice bounds out of range [\(start):\(end)]") }
        return String(decoding: b[start..<end], as: UTF8.self)
    }

    /// `strings.TrimSpace` (cutset nil) or `strings.Trim(s, cutset)`.
    static func trim(_ s: String, cutset: String?) -> String {
        let set = cutset.map { Set($0.unicodeScalars) }
        let test: (Unicode.Scalar) -> Bool = { c in set.map { $0.contains(c) } ?? Sprig.isSpace(c) }
        var scalars = Substring(s).unicodeScalars[...]
        while let f = scalars.first, test(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, test(l) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    static func random(_ count: Int, alphabet: [Character]) throws -> String {
        guard count >= 0 else { throw FunctionError("goutils: count must be non-negative") }
        try Sprig.checkSize(count, "random string")
        var s = ""
        s.reserveCapacity(count)
        var rng = SecureRandom()
        for _ in 0..<count { s.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
        return s
    }

    static func indent(_ n: Int, _ s: String) throws -> String {
        guard n >= 0 else { throw FunctionError("strings: negative Repeat count") }
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false).count
        try Sprig.checkSize(n.multipliedReportingOverflow(by: lines).overflow ? -1 : n * lines + s.utf8.count, "indent")
        let pad = String(repeating: " ", count: n)
        return pad + s.replacingAll("\n", with: "\n" + pad)
    }

    static func replaceAll(_ s: String, _ old: String, _ new: String) throws -> String {
        if old.isEmpty {
            // strings.Replace with an empty old inserts `new` around every rune.
            let scalars = s.unicodeScalars
            try Sprig.checkSize((scalars.count + 1) * new.utf8.count + s.utf8.count, "replace")
            var out = new
            for c in scalars { out.unicodeScalars.append(c); out += new }
            return out
        }
        return s.replacingAll(old, with: new)
    }

    /// `strings.SplitN` (n < 0: all).
    static func goSplit(_ s: String, _ sep: String, _ n: Int) -> [String] {
        if n == 0 { return [] }
        if sep.isEmpty {
            var parts = s.unicodeScalars.map { String($0) }
            if n > 0 && parts.count > n {
                let rest = parts[(n - 1)...].joined()
                parts = Array(parts[..<(n - 1)]) + [rest]
            }
            return parts
        }
        var parts: [String] = []
        let bytes = Array(s.utf8), sepBytes = Array(sep.utf8)
        var start = 0, i = 0
        while i + sepBytes.count <= bytes.count {
            if n > 0 && parts.count == n - 1 { break }
            if bytes[i..<(i + sepBytes.count)].elementsEqual(sepBytes) {
                parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                i += sepBytes.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    static func abbrev(_ s: String, _ width: Int) -> String {
        if width < 4 { return s }
        let b = Array(s.utf8)
        if b.count <= width { return s }
        return String(decoding: b[..<(width - 3)], as: UTF8.self) + "..."
    }

    /// goutils `AbbreviateFull` as sprig's `abbrevboth` calls it.
    static func abbrevBoth(_ s: String, _ left: Int, _ right: Int) -> String {
        if right < 4 || left > 0 && right < 7 { return s }
        let b = Array(s.utf8)
        if b.isEmpty || b.count <= right { return s }
        var offset = min(left, b.count)
        if b.count - offset < right - 3 { offset = b.count - (right - 3) }
        if offset <= 4 { return String(decoding: b[..<(right - 3)], as: UTF8.self) + "..." }
        if offset + right - 3 < b.count {
            return "..." + abbrev(String(decoding: b[offset...], as: UTF8.self), right - 3)
        }
        return "..." + String(decoding: b[(b.count - (right - 3))...], as: UTF8.self)
    }

    /// goutils `WrapCustom`.
    static func wrap(_ s: String, _ length: Int, _ newline: String, _ wrapLong: Bool) -> String {
        let str = Array(s.utf8)
        if str.isEmpty { return "" }
        let nl = Array((newline.isEmpty ? "\n" : newline).utf8)
        let width = max(1, length)
        var offset = 0
        var out: [UInt8] = []
        while str.count - offset > width {
            if str[offset] == 0x20 { offset += 1; continue }
            let end = min(width + offset + 1, str.count)
            var spaceAt = -1
            for i in stride(from: end - 1, through: offset, by: -1) where str[i] == 0x20 { spaceAt = i; break }
            if spaceAt >= offset {
                out += str[offset..<spaceAt]; out += nl
                offset = spaceAt + 1
            } else if wrapLong {
                out += str[offset..<(offset + width)]; out += nl
                offset += width
            } else {
                let e = width + offset
                if let idx = str[e...].firstIndex(of: 0x20) {
                    out += str[offset..<idx]; out += nl
                    offset = idx + 1
                } else {
                    out += str[offset...]
                    offset = str.count
                }
            }
        }
        if offset < str.count { out += str[offset...] }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// `strings.ReplaceAll` over UTF-8 bytes.
    func replacingAll(_ old: String, with new: String) -> String {
        guard !old.isEmpty else { return self }
        let b = Array(utf8), o = Array(old.utf8), n = Array(new.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if i + o.count <= b.count && b[i] == o[0] && b[i..<(i + o.count)].elementsEqual(o) {
                out += n
                i += o.count
            } else {
                out.append(b[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A cryptographically secure generator backed by OpenSSL's RAND_bytes.
struct SecureRandom: RandomNumberGenerator {
    mutating func next() -> UInt64 {
        var v: UInt64 = 0
        withUnsafeMutableBytes(of: &v) { buf in
            _ = RAND_bytes(buf.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(buf.count))
        }
        return v
    }
    static func bytes(_ n: Int) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: n)
        if n > 0 { _ = RAND_bytes(&b, Int32(n)) }
        return b
    }
}
