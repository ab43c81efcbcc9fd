import ESRegex

/// sprig's regular-expression functions over Go RE2 semantics (ESRegex). The plain variants panic on
/// a bad pattern (`regexp: Compile(...)`); the `must` variants return the compile error.
enum SprigRegex {
    typealias F = GoFunction

    static func compile(_ pattern: String, must: Bool) throws -> GoRegex {
        do {
            return try GoRegex(pattern)
        } catch {
            if must { throw FunctionError(error.description) }
            throw FunctionError("regexp: Compile(\(quote(pattern))): \(error.description)")
        }
    }

    /// regexp's `quote`: backquoted when possible.
    static func quote(_ s: String) -> String {
        if !s.contains("`"), s.unicodeScalars.allSatisfy({ ($0 == "\t" || GoFormat.isPrint($0)) && $0 != "\u{FEFF}" }) {
            return "`" + s + "`"
        }
        return GoFormat.quote(s)
    }

    static let functions: [String: GoFunction] = {
        var m: [String: GoFunction] = [:]
        for must in [false, true] {
            func name(_ base: String) -> String { must ? "must" + base.prefix(1).uppercased() + base.dropFirst() : base }
            m[name("regexMatch")] = F([.string, .string]) { a in
                guard let re = try? GoRegex(a[0].asString) else {
                    if must { _ = try compile(a[0].asString, must: true) }
                    return .bool(false)
                }
                return .bool(re.matches(a[1].asString))
            }
            m[name("regexFindAll")] = F([.string, .string, .int]) { a in
                let re = try compile(a[0].asString, must: must)
                return .stringList(re.allMatches(in: a[1].asString, limit: a[2].asInt).map(\.text))
            }
            m[name("regexFind")] = F([.string, .string]) { a in
                let re = try compile(a[0].asString, must: must)
                return .string(re.firstMatch(in: a[1].asString)?.text ?? "")
            }
            m[name("regexReplaceAll")] = F([.string, .string, .string]) { a in
                let re = try compile(a[0].asString, must: must)
                return .string(re.replaceAll(in: a[1].asString, with: a[2].asString))
            }
            m[name("regexReplaceAllLiteral")] = F([.string, .string, .string]) { a in
                let re = try compile(a[0].asString, must: must)
                return .string(re.replaceAllLiteral(in: a[1].asString, with: a[2].asString))
            }
            m[name("regexSplit")] = F([.string, .string, .int]) { a in
                let re = try compile(a[0].asString, must: must)
                return .stringList(re.split(a[1].asString, limit: a[2].asInt))
            }
        }
        m["regexQuoteMeta"] = F([.string]) { a in .string(GoRegex.quoteMeta(a[0].asString)) }
        return m
    }()
}
