/// text/template's predefined functions (`index`, `len`, `eq`, `print`, `html`, ...). `and`/`or`
/// short-circuit and are evaluated by the executor; `slice` is shadowed by sprig's.
enum Builtins {
    static let names: Set<String> = ["and", "or", "not", "len", "index", "slice", "print", "printf", "println",
                                     "eq", "ne", "lt", "le", "gt", "ge", "html", "js", "urlquery", "call"]

    static let table: [String: GoFunction] = [
        "not": GoFunction([.reflectValue]) { a in .bool(!a[0].isTrue) },
        "len": GoFunction([.reflectValue]) { a in try length(a[0]) },
        "index": GoFunction([.reflectValue], variadic: .reflectValue) { a in
            try index(a[0], Array(a.dropFirst()))
        },
        "print": GoFunction([], variadic: .any) { a in .string(GoFormat.sprint(a)) },
        "printf": GoFunction([.string], variadic: .any) { a in
            .string(GoPrintf.sprintf(a[0].asString, Array(a.dropFirst())))
        },
        "println": GoFunction([], variadic: .any) { a in .string(GoFormat.sprintln(a)) },
        "eq": GoFunction([.reflectValue], variadic: .reflectValue) { a in
            try .bool(eq(a[0], Array(a.dropFirst())))
        },
        "ne": GoFunction([.reflectValue, .reflectValue]) { a in
            try .bool(!eq(a[0], [a[1]]))
        },
        "lt": GoFunction([.reflectValue, .reflectValue]) { a in try .bool(lt(a[0], a[1])) },
        "le": GoFunction([.reflectValue, .reflectValue]) { a in
            try .bool(lt(a[0], a[1]) || eq(a[0], [a[1]]))
        },
        "gt": GoFunction([.reflectValue, .reflectValue]) { a in
            try .bool(!(lt(a[0], a[1]) || eq(a[0], [a[1]])))
        },
        "ge": GoFunction([.reflectValue, .reflectValue]) { a in try .bool(!lt(a[0], a[1])) },
        "html": GoFunction([], variadic: .any) { a in .string(htmlEscape(evalArgs(a))) },
        "js": GoFunction([], variadic: .any) { a in .string(jsEscape(evalArgs(a))) },
        "urlquery": GoFunction([], variadic: .any) { a in .string(queryEscape(evalArgs(a))) },
    ]

    static func evalArgs(_ args: [GoValue]) -> String {
        if args.count == 1, case .string(let s) = args[0] { return s }
        return GoFormat.sprint(args)
    }

    static func length(_ v: GoValue) throws(FunctionError) -> GoValue {
        switch v {
        case .string(let s): return .int(RawBytes.bytes(of: s).count)
        case .list(let l, _): return .int(l.count)
        case .map(let m, _): return .int(m.count)
        case .bytes(let b): return .int(b.count)
        case .null: throw FunctionError("len of nil pointer")
        default: throw FunctionError("len of type \(v.typeName)")
        }
    }

    static func indexValue(_ v: GoValue, count: Int) throws(FunctionError) -> Int {
        guard case .int(let x, _) = v else {
            if v.isNull { throw FunctionError("cannot index slice/array with nil") }
            throw FunctionError("cannot index slice/array with type \(v.typeName)")
        }
        guard x >= 0, x <= count else { throw FunctionError("index out of range: \(x)") }
        // indexArg accepts len(x); reflect's Index then panics.
        guard x < count else { throw FunctionError("reflect: slice index out of range") }
        return Int(x)
    }

    static func index(_ item: GoValue, _ indexes: [GoValue]) throws(FunctionError) -> GoValue {
        guard !item.isNull else { throw FunctionError("index of untyped nil") }
        var item = item
        for idx in indexes {
            switch item {
            case .list(let l, _):
                item = l[try indexValue(idx, count: l.count)]
            case .bytes(let b):
                item = .int(Int64(b[try indexValue(idx, count: b.count)]), .uint8)
            case .string(let s):
                let bytes = RawBytes.bytes(of: s)
                do {
                    item = .int(Int64(bytes[try indexValue(idx, count: bytes.count)]), .uint8)
                } catch where error.message.hasPrefix("reflect:") {
                    throw FunctionError("reflect: string index out of range")
                }
            case .map(let m, let elem):
                guard case .string(let key) = idx else {
                    if idx.isNull { throw FunctionError("value is nil; should be of type string") }
                    throw FunctionError("value has type \(idx.typeName); should be string")
                }
                item = m[key] ?? GoValue.zero(of: elem)
            case .null:
                throw FunctionError("index of nil pointer")
            default:
                throw FunctionError("can't index item of type \(item.typeName)")
            }
        }
        return item
    }

    enum BasicKind { case invalid, bool, int, float, string, other }

    static func basicKind(_ v: GoValue) -> BasicKind {
        switch v {
        case .null: return .invalid
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        default: return .other
        }
    }

    static func eq(_ a: GoValue, _ others: [GoValue]) throws(FunctionError) -> Bool {
        guard !others.isEmpty else { throw FunctionError("missing argument for comparison") }
        let k1 = basicKind(a)
        for b in others {
            let k2 = basicKind(b)
            var truth = false
            if k1 != k2 {
                if k1 != .invalid && k2 != .invalid { throw FunctionError("incompatible types for comparison") }
            } else {
                switch (a, b) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.int(let x, _), .int(let y, _)): truth = x == y
                case (.float(let x), .float(let y)): truth = x == y
                case (.string(let x), .string(let y)): truth = x == y
                case (.null, .null): truth = true
                default:
                    throw FunctionError("non-comparable type \(GoFormat.sprint(b)): \(b.typeName)")
                }
            }
            if truth { return true }
        }
        return false
    }

    static func lt(_ a: GoValue, _ b: GoValue) throws(FunctionError) -> Bool {
        let k1 = basicKind(a), k2 = basicKind(b)
        if k1 == .invalid || k1 == .other || k2 == .invalid || k2 == .other {
            throw FunctionError("invalid type for comparison")
        }
        guard k1 == k2 else { throw FunctionError("incompatible types for comparison") }
        switch (a, b) {
        case (.int(let x, _), .int(let y, _)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        default: throw FunctionError("invalid type for comparison")
        }
    }

    /// `template.HTMLEscapeString`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "'": out += "&#39;"
            case "\"": out += "&#34;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `template.JSEscapeString`.
    static func jsEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            default:
                if c.value < 0x20 || (c.value >= 0x80 && !GoFormat.isPrint(c)) {
                    out += "\\u" + GoFormat.pad(String(c.value, radix: 16).uppercased(), 4)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }

    /// `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " "): out += "+"
            default:
                out += "%" + GoFormat.pad(String(b, radix: 16).uppercased(), 2)
            }
        }
        return out
    }
}
