/// sprig's encoding, JSON, path and URL functions.
enum SprigEncoding {
    typealias F = GoFunction

    static let functions: [String: GoFunction] = [
        "b64enc": F([.string]) { a in .string(Base64.encode(RawBytes.bytes(of: a[0].asString))) },
        "b64dec": F([.string]) { a in
            do { return .string(RawBytes.string(from: try Base64.decode(a[0].asString))) }
            catch { return .string("\(error)") }
        },
        "b32enc": F([.string]) { a in .string(Base64.base32Encode(RawBytes.bytes(of: a[0].asString))) },
        "b32dec": F([.string]) { a in
            do { return .string(RawBytes.string(from: try Base64.base32Decode(a[0].asString))) }
            catch { return .string("\(error)") }
        },
        "hexdec": F([.string]) { a in
            let s = Array(a[0].asString.utf8)
            var out: [UInt8] = []
            var i = 0
            while i + 1 < s.count {
                guard let hi = GoLiterals.hexValue(Unicode.Scalar(s[i])) else {
                    throw FunctionError("encoding/hex: invalid byte: \(Lexer.describe(Unicode.Scalar(s[i])))")
                }
                guard let lo = GoLiterals.hexValue(Unicode.Scalar(s[i + 1])) else {
                    throw FunctionError("encoding/hex: invalid byte: \(Lexer.describe(Unicode.Scalar(s[i + 1])))")
                }
                out.append(UInt8(hi * 16 + lo))
                i += 2
            }
            if s.count % 2 == 1 { throw FunctionError("encoding/hex: odd length hex string") }
            return .string(RawBytes.string(from: out))
        },
        "fromJson": F([.string]) { a in (try? GoJSON.unmarshal(a[0].asString)) ?? .null },
        "mustFromJson": F([.string]) { a in try GoJSON.unmarshal(a[0].asString) },
        "toJson": F([.any]) { a in .string((try? GoJSON.marshal(a[0])) ?? "") },
        "mustToJson": F([.any]) { a in
            do { return .string(try GoJSON.marshal(a[0])) } catch { throw FunctionError("\(error)") }
        },
        "toPrettyJson": F([.any]) { a in .string((try? GoJSON.marshal(a[0], indent: "  ")) ?? "") },
        "mustToPrettyJson": F([.any]) { a in
            do { return .string(try GoJSON.marshal(a[0], indent: "  ")) } catch { throw FunctionError("\(error)") }
        },
        "toRawJson": F([.any]) { a in .string((try? GoJSON.marshal(a[0], escapeHTML: false)) ?? "") },
        "mustToRawJson": F([.any]) { a in
            do { return .string(try GoJSON.marshal(a[0], escapeHTML: false)) } catch { throw FunctionError("\(error)") }
        },
        "base": F([.string]) { a in .string(GoPath.base(a[0].asString)) },
        "dir": F([.string]) { a in .string(GoPath.dir(a[0].asString)) },
        "clean": F([.string]) { a in .string(GoPath.clean(a[0].asString)) },
        "ext": F([.string]) { a in .string(GoPath.ext(a[0].asString)) },
        "isAbs": F([.string]) { a in .bool(a[0].asString.hasPrefix("/")) },
        "osBase": F([.string]) { a in .string(GoPath.base(a[0].asString)) },
        "osDir": F([.string]) { a in .string(GoPath.dir(a[0].asString)) },
        "osClean": F([.string]) { a in .string(GoPath.clean(a[0].asString)) },
        "osExt": F([.string]) { a in .string(GoPath.ext(a[0].asString)) },
        "osIsAbs": F([.string]) { a in .bool(a[0].asString.hasPrefix("/")) },
        "urlParse": F([.string]) { a in try GoURL.parse(a[0].asString) },
        "urlJoin": F([.map]) { a in .string(GoURL.join(a[0].asMap)) },
    ]
}

/// Go's `path` package (slash-separated, lexical).
enum GoPath {
    static func clean(_ p: String) -> String {
        if p.isEmpty { return "." }
        let rooted = p.hasPrefix("/")
        var parts: [Substring] = []
        for seg in p.split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == ".." {
                if let last = parts.last, last != ".." { parts.removeLast() }
                else if !rooted { parts.append(seg) }
                continue
            }
            parts.append(seg)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func base(_ p: String) -> String {
        if p.isEmpty { return "." }
        var s = Substring(p)
        while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
        if s == "/" { return "/" }
        if let i = s.lastIndex(of: "/") { s = s[s.index(after: i)...] }
        return s.isEmpty ? "/" : String(s)
    }

    static func dir(_ p: String) -> String {
        let i = p.lastIndex(of: "/").map { p.index(after: $0) } ?? p.startIndex
        return clean(String(p[..<i]))
    }

    static func ext(_ p: String) -> String {
        for i in p.indices.reversed() {
            if p[i] == "/" { break }
            if p[i] == "." { return String(p[i...]) }
        }
        return ""
    }
}

/// Enough of net/url for sprig's `urlParse` and `urlJoin`.
enum GoURL {
    static func parse(_ raw: String) throws -> GoValue {
        var rest = Substring(raw)
        var fragment = ""
        if let h = rest.firstIndex(of: "#") {
            fragment = percentDecode(String(rest[rest.index(after: h)...]))
            rest = rest[..<h]
        }
        var scheme = ""
        if let c = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter,
            rest[..<c].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
        {
            scheme = rest[..<c].lowercased()
            rest = rest[rest.index(after: c)...]
        } else if let first = rest.first, first == ":" {
            throw FunctionError("unable to parse url: parse \(GoFormat.quote(raw)): missing protocol scheme")
        }
        var query = ""
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var host = "", userinfo = "", opaque = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                userinfo = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            host = String(authority)
        } else if !scheme.isEmpty && !rest.hasPrefix("/") {
            opaque = String(rest)
            rest = ""
        }
        var hostname = host
        if hostname.hasPrefix("["), let close = hostname.firstIndex(of: "]") {
            hostname = String(hostname[hostname.index(after: hostname.startIndex)..<close])
        } else if let colon = hostname.lastIndex(of: ":") {
            hostname = String(hostname[..<colon])
        }
        return .dict([
            "scheme": .string(scheme), "host": .string(host), "hostname": .string(hostname),
            "path": .string(percentDecode(String(rest))), "query": .string(query), "opaque": .string(opaque),
            "fragment": .string(fragment), "userinfo": .string(userinfo),
        ])
    }

    static func join(_ m: GoMap) -> String {
        func get(_ k: String) -> String { m[k].map { Sprig.strval($0) } ?? "" }
        var s = ""
        let scheme = get("scheme"), host = get("host"), userinfo = get("userinfo"), path = get("path")
        if !scheme.isEmpty { s += scheme + ":" }
        let opaque = get("opaque")
        if !opaque.isEmpty {
            s += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || !userinfo.isEmpty {
                if !host.isEmpty || !path.isEmpty || !userinfo.isEmpty { s += "//" }
                if !userinfo.isEmpty { s += userinfo + "@" }
                s += host
            }
            if !path.isEmpty && !path.hasPrefix("/") && !host.isEmpty { s += "/" }
            s += escapePath(path)
        }
        let query = get("query")
        if !query.isEmpty { s += "?" + query }
        let fragment = get("fragment")
        if !fragment.isEmpty { s += "#" + escapePath(fragment) }
        return s
    }

    static func percentDecode(_ s: String) -> String {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 37, i + 2 < b.count, let h = GoLiterals.hexValue(Unicode.Scalar(b[i + 1])),
                let l = GoLiterals.hexValue(Unicode.Scalar(b[i + 2]))
            {
                out.append(UInt8(h * 16 + l)); i += 3
            } else { out.append(b[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func escapePath(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Unicode.Scalar(b)
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || "-_.~$&+,/:;=@!*'()".unicodeScalars.contains(c)
            {
                out.unicodeScalars.append(c)
            } else {
                out += "%" + GoFormat.hex2(UInt32(b)).uppercased()
            }
        }
        return out
    }
}
