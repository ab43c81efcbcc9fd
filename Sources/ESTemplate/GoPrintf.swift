/// Go's `fmt.Sprintf` for template values: verbs, flags, width and precision, and Go's
/// `%!verb(type=value)` / `%!v(MISSING)` / `%!(EXTRA ...)` markers.
enum GoPrintf {
    struct Spec {
        var minus = false, plus = false, sharp = false, zero = false, space = false
        var width: Int?
        var precision: Int?
    }

    static func sprintf(_ format: String, _ args: [GoValue]) -> String {
        let f = Array(format.unicodeScalars)
        var out = ""
        var argNum = 0
        var i = 0
        while i < f.count {
            let c = f[i]
            if c != "%" { out.unicodeScalars.append(c); i += 1; continue }
            i += 1
            var spec = Spec()
            flags: while i < f.count {
                switch f[i] {
                case "-": spec.minus = true; spec.zero = false
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case "0": spec.zero = !spec.minus
                case " ": spec.space = true
                default: break flags
                }
                i += 1
            }
            // Width.
            if i < f.count, f[i] == "*" {
                i += 1
                if argNum < args.count, case .int(let w, _) = args[argNum] {
                    spec.width = Int(clamping: w)
                    if w < 0 { spec.minus = true; spec.width = Int(clamping: -w) }
                } else { out += "%!(BADWIDTH)" }
                argNum += 1
            } else {
                var w = 0, any = false
                while i < f.count, let d = digit(f[i]) { w = min(w * 10 + d, 1_000_000); any = true; i += 1 }
                if any { spec.width = w }
            }
            // Precision.
            if i < f.count, f[i] == "." {
                i += 1
                if i < f.count, f[i] == "*" {
                    i += 1
                    if argNum < args.count, case .int(let p, _) = args[argNum], p >= 0 {
                        spec.precision = Int(clamping: p)
                    } else { out += "%!(BADPREC)" }
                    argNum += 1
                } else {
                    var p = 0
                    while i < f.count, let d = digit(f[i]) { p = min(p * 10 + d, 1_000_000); i += 1 }
                    spec.precision = p
                }
            }
            guard i < f.count else { out += "%!(NOVERB)"; break }
            let verb = Character(f[i])
            i += 1
            if verb == "%" { out += "%"; continue }
            guard argNum < args.count else { out += "%!\(verb)(MISSING)"; continue }
            let arg = args[argNum]
            argNum += 1
            out += Self.format(arg, verb: verb, spec: spec)
        }
        if argNum < args.count {
            out += "%!(EXTRA "
            out += args[argNum...].map { a in
                a.isNull ? "<nil>" : "\(a.typeName)=\(GoFormat.sprint(a))"
            }.joined(separator: ", ")
            out += ")"
        }
        return out
    }

    private static func digit(_ c: Unicode.Scalar) -> Int? {
        c.value >= 48 && c.value <= 57 ? Int(c.value - 48) : nil
    }

    static func bad(_ v: GoValue, _ verb: Character) -> String {
        if v.isNull { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(v.typeName)=\(GoFormat.sprint(v)))"
    }

    static func format(_ v: GoValue, verb: Character, spec: Spec, depth: Int = 0) -> String {
        if verb == "T" { return pad(v.typeName, spec) }
        guard depth < GoFormat.maximumDepth else { return "<max depth exceeded>" }
        switch v {
        case .null:
            return verb == "v" ? pad("<nil>", spec) : bad(v, verb)
        case .bool(let b):
            return verb == "t" || verb == "v" ? pad(b ? "true" : "false", spec) : bad(v, verb)
        case .int(let n, _):
            return formatInt(n, verb: verb, spec: spec) ?? bad(v, verb)
        case .float(let d):
            return formatFloat(d, verb: verb, spec: spec) ?? bad(v, verb)
        case .string(let s):
            return formatString(s, verb: verb, spec: spec) ?? bad(v, verb)
        case .time(let t):
            return verb == "v" || verb == "s" ? pad(t.description, spec) : bad(v, verb)
        case .bytes(let b):
            if "sqxX".contains(verb) { return formatString(String(decoding: b, as: UTF8.self), verb: verb, spec: spec) ?? bad(v, verb) }
            return "[" + b.map { format(.int(Int64($0), .uint8), verb: verb, spec: spec) }.joined(separator: " ") + "]"
        case .list(let items, _):
            return "[" + items.map { format($0, verb: verb, spec: spec, depth: depth + 1) }.joined(separator: " ") + "]"
        case .map(let m, _):
            return "map[" + m.sortedKeys.map { k in
                format(.string(k), verb: verb, spec: spec) + ":" + format(m[k] ?? .null, verb: verb, spec: spec, depth: depth + 1)
            }.joined(separator: " ") + "]"
        }
    }

    static func pad(_ s: String, _ spec: Spec, numeric: Bool = false) -> String {
        guard let w = spec.width else { return s }
        let n = s.unicodeScalars.count
        guard n < w else { return s }
        let fill = w - n
        if spec.minus { return s + String(repeating: " ", count: fill) }
        if spec.zero {
            if numeric, let first = s.first, first == "-" || first == "+" || first == " " {
                return String(first) + String(repeating: "0", count: fill) + s.dropFirst()
            }
            return String(repeating: "0", count: fill) + s
        }
        return String(repeating: " ", count: fill) + s
    }

    static func formatInt(_ n: Int64, verb: Character, spec: Spec) -> String? {
        let neg = n < 0
        let mag = n.magnitude
        var body: String
        var prefix = ""
        switch verb {
        case "d", "v": body = String(mag)
        case "b": body = String(mag, radix: 2)
        case "o", "O":
            body = String(mag, radix: 8)
            if verb == "O" { prefix = "0o" } else if spec.sharp { prefix = "0" }
        case "x": body = String(mag, radix: 16); if spec.sharp { prefix = "0x" }
        case "X": body = String(mag, radix: 16).uppercased(); if spec.sharp { prefix = "0X" }
        case "c":
            return pad(Unicode.Scalar(UInt32(truncatingIfNeeded: n)).map { String(Character($0)) } ?? "\u{FFFD}", spec)
        case "q":
            let ch = Unicode.Scalar(UInt32(truncatingIfNeeded: n)).map { String(Character($0)) } ?? "\u{FFFD}"
            return pad(GoFormat.quote(ch, quote: "'"), spec)
        case "U":
            return pad("U+" + GoFormat.pad(String(mag, radix: 16).uppercased(), 4), spec)
        default: return nil
        }
        if let p = spec.precision {
            if p == 0 && n == 0 { body = "" }
            body = GoFormat.pad(body, p)
        }
        let sign = neg ? "-" : (spec.plus ? "+" : (spec.space ? " " : ""))
        var s = sign + prefix + body
        if spec.zero && spec.precision == nil && !spec.minus, let w = spec.width, s.count < w {
            s = sign + prefix + String(repeating: "0", count: w - s.count) + body
            return s
        }
        s = pad(s, Spec(minus: spec.minus, width: spec.width))
        return s
    }

    static func formatFloat(_ d: Double, verb: Character, spec: Spec) -> String? {
        var s: String
        switch verb {
        case "v", "g", "G":
            if let p = spec.precision {
                s = GoFloatFormat.cFormat(d, verb: verb == "G" ? "G" : "g", precision: p == 0 ? 1 : p)
            } else {
                s = GoFloatFormat.shortestG(d)
                if verb == "G" { s = s.uppercased() }
            }
        case "f", "F": s = GoFloatFormat.cFormat(d, verb: "f", precision: spec.precision ?? 6)
        case "e", "E": s = GoFloatFormat.cFormat(d, verb: verb, precision: spec.precision ?? 6)
        default: return nil
        }
        if spec.plus && !s.hasPrefix("-") && !s.hasPrefix("+") { s = "+" + s }
        else if spec.space && !s.hasPrefix("-") { s = " " + s }
        if d.isInfinite || d.isNaN {
            if !spec.plus && s.hasPrefix("+") && d > 0 { s.removeFirst() }
            return pad(s, Spec(minus: spec.minus, width: spec.width))
        }
        return pad(s, spec, numeric: true)
    }

    static func formatString(_ str: String, verb: Character, spec: Spec) -> String? {
        var s = str
        if let p = spec.precision, verb == "s" || verb == "v" || verb == "q" {
            s = String(String.UnicodeScalarView(s.unicodeScalars.prefix(p)))
        }
        switch verb {
        case "s", "v": return pad(s, spec)
        case "q":
            if spec.sharp, !s.contains("`"), s.unicodeScalars.allSatisfy({ GoFormat.isPrint($0) || $0 == "\t" }) {
                return pad("`" + s + "`", spec)
            }
            return pad(GoFormat.quote(s), spec)
        case "x", "X":
            var bytes = Array(s.utf8)
            if let p = spec.precision { bytes = Array(bytes.prefix(p)) }
            let hexDigits = verb == "x" ? Array("0123456789abcdef") : Array("0123456789ABCDEF")
            var out = ""
            for (i, b) in bytes.enumerated() {
                if spec.space && i > 0 { out += " " }
                if spec.sharp && (spec.space || i == 0) { out += verb == "x" ? "0x" : "0X" }
                out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)])
            }
            return pad(out, Spec(minus: spec.minus, width: spec.width))
        default: return nil
        }
    }
}
