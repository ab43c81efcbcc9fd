/// Masterminds/semver v3 as sprig exposes it: `semver` and `semverCompare`.
struct SemVersion: Comparable {
    var major: UInt64, minor: UInt64, patch: UInt64
    var prerelease: String
    var metadata: String
    var original: String

    /// `semver.NewVersion` (lenient: optional "v", missing minor/patch become 0).
    init(_ text: String) throws {
        original = text
        var s = Substring(text)
        if s.hasPrefix("v") { s = s.dropFirst() }
        metadata = ""
        prerelease = ""
        if let plus = s.firstIndex(of: "+") { metadata = String(s[s.index(after: plus)...]); s = s[..<plus] }
        if let dash = s.firstIndex(of: "-") { prerelease = String(s[s.index(after: dash)...]); s = s[..<dash] }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            !parts.contains(where: { $0.count > 1 && $0.hasPrefix("0") })
        else { throw FunctionError("Invalid Semantic Version") }
        let nums = parts.map { UInt64($0) ?? 0 }
        major = nums[0]; minor = nums.count > 1 ? nums[1] : 0; patch = nums.count > 2 ? nums[2] : 0
        let ids = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-.")
        if !prerelease.isEmpty && (!prerelease.allSatisfy { ids.contains($0) } || prerelease.split(separator: ".", omittingEmptySubsequences: false).contains { $0.isEmpty }) {
            throw FunctionError("Invalid Prerelease string")
        }
        if !metadata.isEmpty && !metadata.allSatisfy({ ids.contains($0) }) { throw FunctionError("Invalid Metadata string") }
    }

    var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { s += "-" + prerelease }
        if !metadata.isEmpty { s += "+" + metadata }
        return s
    }

    static func comparePrerelease(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        if a.isEmpty { return 1 }
        if b.isEmpty { return -1 }
        let pa = a.split(separator: "."), pb = b.split(separator: ".")
        for i in 0..<max(pa.count, pb.count) {
            guard i < pa.count else { return -1 }
            guard i < pb.count else { return 1 }
            let x = pa[i], y = pb[i]
            if x == y { continue }
            switch (UInt64(x), UInt64(y)) {
            case (let m?, let n?): return m < n ? -1 : 1
            case (_?, nil): return -1
            case (nil, _?): return 1
            default: return x < y ? -1 : 1
            }
        }
        return 0
    }

    func compare(_ o: SemVersion) -> Int {
        for (a, b) in [(major, o.major), (minor, o.minor), (patch, o.patch)] where a != b { return a < b ? -1 : 1 }
        return SemVersion.comparePrerelease(prerelease, o.prerelease)
    }

    static func < (a: SemVersion, b: SemVersion) -> Bool { a.compare(b) < 0 }
    static func == (a: SemVersion, b: SemVersion) -> Bool { a.compare(b) == 0 }

    var asGoValue: GoValue {
        .dict(["Major": .int(Int64(major), .int64), "Minor": .int(Int64(minor), .int64), "Patch": .int(Int64(patch), .int64),
               "Prerelease": .string(prerelease), "Metadata": .string(metadata), "Original": .string(original)])
    }
}

/// A parsed constraint: OR of AND-groups of (operator, version with wildcard level).
struct SemConstraint {
    struct Term {
        var op: String
        var version: SemVersion
        var wildcardFrom: Int   // 3 = exact; 1 = minor/patch wildcard; 2 = patch wildcard; 0 = all
    }
    var groups: [[Term]]
    var text: String

    init(_ text: String) throws {
        self.text = text
        groups = []
        for orPart in text.replacingAll("||", with: "\u{1}").split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init) {
            var terms: [Term] = []
            var tokens = orPart.replacingAll(",", with: " ").split(separator: " ").map(String.init)
            // Hyphen ranges: "a - b".
            var i = 0
            var merged: [String] = []
            while i < tokens.count {
                if i + 2 < tokens.count && tokens[i + 1] == "-" {
                    merged.append(">=" + tokens[i]); merged.append("<=" + tokens[i + 2]); i += 3
                } else { merged.append(tokens[i]); i += 1 }
            }
            tokens = merged
            // Join lone operators with their version ("> 1.2").
            var joined: [String] = []
            for t in tokens {
                if let last = joined.last, ["=", "!=", ">", "<", ">=", "<=", "=>", "=<", "~", "~>", "^"].contains(last) {
                    joined[joined.count - 1] = last + t
                } else { joined.append(t) }
            }
            guard !joined.isEmpty else { throw FunctionError("improper constraint: \(text)") }
            for tok in joined { terms.append(try SemConstraint.term(tok, whole: text)) }
            groups.append(terms)
        }
    }

    static func term(_ tok: String, whole: String) throws -> Term {
        let ops = ["!=", ">=", "=>", "<=", "=<", "~>", ">", "<", "=", "~", "^"]
        var op = ""
        var rest = Substring(tok)
        for o in ops where rest.hasPrefix(o) { op = o; rest = rest.dropFirst(o.count); break }
        if op == "=>" { op = ">=" }
        if op == "=<" { op = "<=" }
        if op == "~>" { op = "~" }
        var v = rest
        if v.hasPrefix("v") { v = v.dropFirst() }
        var core = v, suffix = ""
        if let idx = v.firstIndex(where: { $0 == "-" || $0 == "+" }) { core = v[..<idx]; suffix = String(v[idx...]) }
        var parts = core.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { throw FunctionError("improper constraint: \(whole)") }
        var wildcardFrom = 3
        for (i, p) in parts.enumerated() where ["x", "X", "*"].contains(p) { wildcardFrom = min(wildcardFrom, i); parts[i] = "0" }
        if parts.count < 3 { wildcardFrom = min(wildcardFrom, parts.count) }
        while parts.count < 3 { parts.append("0") }
        guard let version = try? SemVersion(parts.joined(separator: ".") + suffix) else {
            throw FunctionError("improper constraint: \(whole)")
        }
        return Term(op: op, version: version, wildcardFrom: wildcardFrom)
    }

    func check(_ v: SemVersion) -> Bool {
        groups.contains { group in
            group.allSatisfy { t in
                if !v.prerelease.isEmpty && t.version.prerelease.isEmpty { return false }
                return SemConstraint.matches(t, v)
            }
        }
    }

    static func bump(_ v: SemVersion, at level: Int) -> SemVersion {
        var u = v
        u.prerelease = ""; u.metadata = ""
        switch level {
        case 0: u.major += 1; u.minor = 0; u.patch = 0
        case 1: u.minor += 1; u.patch = 0
        default: u.patch += 1
        }
        return u
    }

    static func matches(_ t: Term, _ v: SemVersion) -> Bool {
        let c = t.version
        let w = t.wildcardFrom
        switch t.op {
        case "", "=":
            if w == 0 { return true }
            if w < 3 { return v >= c && v < bump(c, at: w - 1) }
            return v == c
        case "!=":
            if w == 0 { return false }
            if w < 3 { return !(v >= c && v < bump(c, at: w - 1)) }
            return v != c
        case ">":
            if w == 0 { return false }
            if w < 3 { return v >= bump(c, at: w - 1) }
            return v > c
        case ">=": return v >= c
        case "<":
            return v < c
        case "<=":
            if w == 0 { return true }
            if w < 3 { return v < bump(c, at: w - 1) }
            return v <= c
        case "~":
            if w == 0 { return true }
            let upper = bump(c, at: w == 1 ? 0 : 1)
            return v >= c && v < upper
        case "^":
            if w == 0 { return true }
            let upper: SemVersion
            if c.major > 0 || w == 1 { upper = bump(c, at: 0) }
            else if c.minor > 0 || w == 2 { upper = bump(c, at: 1) }
            else { upper = bump(c, at: 2) }
            return v >= c && v < upper
        default: return false
        }
    }
}

enum SprigSemver {
    static let functions: [String: GoFunction] = [
        "semver": GoFunction([.string]) { a in try SemVersion(a[0].asString).asGoValue },
        "semverCompare": GoFunction([.string, .string]) { a in
            let c = try SemConstraint(a[0].asString)
            return .bool(c.check(try SemVersion(a[1].asString)))
        },
    ]
}
