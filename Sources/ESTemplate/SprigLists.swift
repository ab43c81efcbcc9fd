/// sprig's list functions (each `must*` variant returns the error its plain variant panics with;
/// text/template reports both as `error calling <name>: ...`).
enum SprigLists {
    typealias F = GoFunction

    static func requireList(_ v: GoValue, _ verb: String) throws -> [GoValue] {
        guard let l = Sprig.list(v) else { throw FunctionError("Cannot \(verb) on type \(Sprig.listKind(v))") }
        return l
    }

    static func pair(_ name: String, _ body: @escaping @Sendable ([GoValue]) throws -> GoValue,
                     _ params: [GoParam], variadic: GoParam? = nil) -> [(String, GoFunction)] {
        let f = F(params, variadic: variadic, body)
        let mustName = "must" + name.prefix(1).uppercased() + name.dropFirst()
        return [(name, f), (mustName, f)]
    }

    static let functions: [String: GoFunction] = {
        var m: [String: GoFunction] = [
            "list": F([], variadic: .any) { a in try GoValue.checkNesting(a); return .list(a, .any) },
            "tuple": F([], variadic: .any) { a in try GoValue.checkNesting(a); return .list(a, .any) },
            "until": F([.int]) { a in
                let n = a[0].asInt
                return try untilStep(0, n, n < 0 ? -1 : 1)
            },
            "untilStep": F([.int, .int, .int]) { a in try untilStep(a[0].asInt, a[1].asInt, a[2].asInt) },
            "seq": F([], variadic: .int) { a in .string(try seq(a.map(\.asInt))) },
            "concat": F([], variadic: .any) { a in
                var out: [GoValue] = []
                for v in a {
                    guard let l = Sprig.list(v) else { throw FunctionError("Cannot concat type \(Sprig.listKind(v)) as list") }
                    out += l
                }
                return .list(out, .any)
            },
            "has": F([.any, .any]) { a in
                if a[1].isNull { return .bool(false) }
                let l = try requireList(a[1], "find has")
                return .bool(l.contains { deepEqual($0, a[0]) })
            },
            "mustHas": F([.any, .any]) { a in
                if a[1].isNull { return .bool(false) }
                let l = try requireList(a[1], "find has")
                return .bool(l.contains { deepEqual($0, a[0]) })
            },
        ]
        var pairs: [(String, GoFunction)] = []
        pairs += pair("append", { a in
            try GoValue.checkNesting([a[1]])
            return .list(try requireList(a[0], "push") + [a[1]], .any)
        }, [.any, .any])
        pairs += pair("push", { a in
            try GoValue.checkNesting([a[1]])
            return .list(try requireList(a[0], "push") + [a[1]], .any)
        }, [.any, .any])
        pairs += pair("prepend", { a in
            try GoValue.checkNesting([a[1]])
            return .list([a[1]] + (try requireList(a[0], "prepend")), .any)
        }, [.any, .any])
        pairs += pair("first", { a in
            let l = try requireList(a[0], "find first")
            return l.first ?? .null
        }, [.any])
        pairs += pair("last", { a in
            let l = try requireList(a[0], "find last")
            return l.last ?? .null
        }, [.any])
        pairs += pair("rest", { a in
            let l = try requireList(a[0], "find rest")
            return l.isEmpty ? .null : .list(Array(l.dropFirst()), .any)
        }, [.any])
        pairs += pair("initial", { a in
            let l = try requireList(a[0], "find initial")
            return l.isEmpty ? .null : .list(Array(l.dropLast()), .any)
        }, [.any])
        pairs += pair("reverse", { a in .list(Array(try requireList(a[0], "find reverse").reversed()), .any) }, [.any])
        pairs += pair("uniq", { a in
            var out: [GoValue] = []
            for v in try requireList(a[0], "find uniq") where !out.contains(where: { deepEqual($0, v) }) { out.append(v) }
            return .list(out, .any)
        }, [.any])
        pairs += pair("compact", { a in
            .list(try requireList(a[0], "compact").filter { !Sprig.empty($0) }, .any)
        }, [.any])
        pairs += pair("without", { a in
            let l = try requireList(a[0], "find without")
            let omit = Array(a.dropFirst())
            return .list(l.filter { v in !omit.contains { deepEqual($0, v) } }, .any)
        }, [.any], variadic: .any)
        pairs += pair("slice", { a in try slice(a[0], Array(a.dropFirst())) }, [.any], variadic: .any)
        pairs += pair("chunk", { a in
            let size = a[0].asInt
            let l = try requireList(a[1], "chunk")
            guard size > 0 else { throw FunctionError("runtime error: integer divide by zero") }
            var out: [GoValue] = []
            var i = 0
            while i < l.count {
                out.append(.list(Array(l[i..<min(i + size, l.count)]), .any))
                i += size
            }
            return .list(out, .any)
        }, [.int, .any])
        for (k, v) in pairs { m[k] = v }
        return m
    }()

    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) throws -> GoValue {
        var v: [GoValue] = []
        func add(_ i: Int) throws {
            v.append(.int(Int64(i), .int))
            if v.count > 1_000_000 { throw FunctionError("list larger than 1000000 elements") }
        }
        if stop < start {
            if step >= 0 { return .list([], .int) }
            var i = start
            while i > stop { try add(i); i += step }
            return .list(v, .int)
        }
        if step <= 0 { return .list([], .int) }
        var i = start
        while i < stop { try add(i); i += step }
        return .list(v, .int)
    }

    static func seq(_ p: [Int]) throws -> String {
        var result: GoValue
        switch p.count {
        case 1:
            let start = 1, end = p[0]
            let inc = end < start ? -1 : 1
            result = try untilStep(start, end + inc, inc)
        case 2:
            let start = p[0], end = p[1]
            let step = end < start ? -1 : 1
            result = try untilStep(start, end + step, step)
        case 3:
            let start = p[0], end = p[2], step = p[1]
            var inc = 1
            if end < start { inc = -1; if step > 0 { return "" } }
            result = try untilStep(start, end + inc, step)
        default:
            return ""
        }
        return result.asList.map { GoFormat.sprint($0) }.joined(separator: " ")
    }

    static func slice(_ v: GoValue, _ indices: [GoValue]) throws -> GoValue {
        guard case .list(let l, let elem) = v else {
            throw FunctionError("list should be type of slice or array but \(Sprig.listKind(v))")
        }
        if l.isEmpty { return .null }
        let start = indices.count > 0 ? Cast.toInt(indices[0]) : 0
        let end = indices.count > 1 ? Cast.toInt(indices[1]) : l.count
        guard start >= 0, start <= end, end <= l.count else {
            throw FunctionError("reflect: slice index out of range")
        }
        return .list(Array(l[start..<end]), elem)
    }

    /// `reflect.DeepEqual` for template values.
    static func deepEqual(_ a: GoValue, _ b: GoValue, depth: Int = 0) -> Bool {
        guard depth < GoFormat.maximumDepth else { return false }
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x, let tx), .int(let y, let ty)): return x == y && tx == ty
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x, let ex), .list(let y, let ey)):
            return ex == ey && x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1, depth: depth + 1) }
        case (.map(let x, let ex), .map(let y, let ey)):
            if x === y { return true }
            return ex == ey && x.count == y.count && x.entries.allSatisfy { k, v in y[k].map { deepEqual(v, $0, depth: depth + 1) } ?? false }
        default: return false
        }
    }
}
