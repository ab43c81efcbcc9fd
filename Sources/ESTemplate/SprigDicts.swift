/// sprig's dictionary functions. Maps are references: `set`, `unset` and `merge*` mutate their argument.
enum SprigDicts {
    typealias F = GoFunction

    static let functions: [String: GoFunction] = [
        "dict": F([], variadic: .any) { a in
            try GoValue.checkNesting(a)
            var m: [String: GoValue] = [:]
            var i = 0
            while i < a.count {
                let key = Sprig.strval(a[i])
                m[key] = i + 1 < a.count ? a[i + 1] : .string("")
                i += 2
            }
            return .dict(m)
        },
        "get": F([.map, .string]) { a in a[0].asMap[a[1].asString] ?? .string("") },
        "set": F([.map, .string, .any]) { a in
            if case .map(let target, _) = a[0], case .map(let value, _) = a[2], target === value {
                throw FunctionError("cannot set a map as a value inside itself")
            }
            try GoValue.checkNesting([a[2]])
            a[0].asMap[a[1].asString] = a[2]
            return a[0]
        },
        "unset": F([.map, .string]) { a in
            a[0].asMap.entries.removeValue(forKey: a[1].asString)
            return a[0]
        },
        "hasKey": F([.map, .string]) { a in .bool(a[0].asMap[a[1].asString] != nil) },
        "pluck": F([.string], variadic: .map) { a in
            .list(a.dropFirst().compactMap { $0.asMap[a[0].asString] }, .any)
        },
        "keys": F([], variadic: .map) { a in
            // Go's map order is random; sorted is one valid order (and testable).
            .stringList(a.flatMap { $0.asMap.sortedKeys })
        },
        "pick": F([.map], variadic: .string) { a in
            let src = a[0].asMap
            var m: [String: GoValue] = [:]
            for k in a.dropFirst() { if let v = src[k.asString] { m[k.asString] = v } }
            return .dict(m)
        },
        "omit": F([.map], variadic: .string) { a in
            let omit = Set(a.dropFirst().map(\.asString))
            return .dict(a[0].asMap.entries.filter { !omit.contains($0.key) })
        },
        "values": F([.map]) { a in
            let m = a[0].asMap
            return .list(m.sortedKeys.map { m[$0] ?? .null }, .any)
        },
        "merge": F([.map], variadic: .map) { a in
            for src in a.dropFirst() { merge(a[0].asMap, src.asMap, overwrite: false) }
            return a[0]
        },
        "mustMerge": F([.map], variadic: .map) { a in
            for src in a.dropFirst() { merge(a[0].asMap, src.asMap, overwrite: false) }
            return a[0]
        },
        "mergeOverwrite": F([.map], variadic: .map) { a in
            for src in a.dropFirst() { merge(a[0].asMap, src.asMap, overwrite: true) }
            return a[0]
        },
        "mustMergeOverwrite": F([.map], variadic: .map) { a in
            for src in a.dropFirst() { merge(a[0].asMap, src.asMap, overwrite: true) }
            return a[0]
        },
        "dig": F([], variadic: .any) { a in
            guard a.count >= 3 else { throw FunctionError("dig needs at least three arguments") }
            guard case .map(var dict, _) = a[a.count - 1] else {
                throw FunctionError("interface conversion: interface {} is \(a[a.count - 1].typeName), not map[string]interface {}")
            }
            let def = a[a.count - 2]
            var keys: [String] = []
            for k in a[0..<(a.count - 2)] {
                guard case .string(let s) = k else {
                    throw FunctionError("interface conversion: interface {} is \(k.typeName), not string")
                }
                keys.append(s)
            }
            for (i, k) in keys.enumerated() {
                guard let step = dict[k] else { return def }
                if i == keys.count - 1 { return step }
                guard case .map(let next, .any) = step else {
                    throw FunctionError("interface conversion: interface {} is \(step.typeName), not map[string]interface {}")
                }
                dict = next
            }
            return def
        },
        "deepCopy": F([.any]) { a in try deepCopy(a[0]) },
        "mustDeepCopy": F([.any]) { a in
            guard !a[0].isNull else { throw FunctionError("copy: Input is nil") }
            return try deepCopy(a[0])
        },
    ]

    /// mergo's Merge (fill missing keys, recursing into nested maps) / WithOverride.
    static func merge(_ dst: GoMap, _ src: GoMap, overwrite: Bool, depth: Int = 0) {
        guard depth < GoFormat.maximumDepth, dst !== src else { return }
        for (k, v) in src.entries {
            if let existing = dst[k] {
                if case .map(let dm, _) = existing, case .map(let sm, _) = v {
                    merge(dm, sm, overwrite: overwrite, depth: depth + 1)
                } else if overwrite || Sprig.empty(existing) {
                    if overwrite && Sprig.empty(v) { continue }
                    dst[k] = v
                }
            } else {
                dst[k] = v
            }
        }
    }

    static func deepCopy(_ v: GoValue, depth: Int = 0) throws -> GoValue {
        guard depth < GoFormat.maximumDepth else { throw FunctionError("copy: value nested too deeply (cycle?)") }
        switch v {
        case .list(let l, let e): return .list(try l.map { try deepCopy($0, depth: depth + 1) }, e)
        case .map(let m, let e): return .map(GoMap(try m.entries.mapValues { try deepCopy($0, depth: depth + 1) }), e)
        default: return v
        }
    }
}
