/// sprig's defaults, flow and reflection helpers.
enum SprigDefaults {
    typealias F = GoFunction

    static let functions: [String: GoFunction] = [
        "default": F([.any], variadic: .any) { a in
            if a.count < 2 || Sprig.empty(a[1]) { return a[0] }
            return a[1]
        },
        "empty": F([.any]) { a in .bool(Sprig.empty(a[0])) },
        "coalesce": F([], variadic: .any) { a in a.first { !Sprig.empty($0) } ?? .null },
        "all": F([], variadic: .any) { a in .bool(a.allSatisfy { !Sprig.empty($0) }) },
        "any": F([], variadic: .any) { a in .bool(a.contains { !Sprig.empty($0) }) },
        "ternary": F([.any, .any, .bool]) { a in a[2].asBool ? a[0] : a[1] },
        "fail": F([.string]) { a in throw FunctionError(a[0].asString) },
    ]
}

enum SprigReflect {
    typealias F = GoFunction

    static let functions: [String: GoFunction] = [
        "typeOf": F([.any]) { a in .string(a[0].typeName) },
        "typeIs": F([.string, .any]) { a in .bool(a[0].asString == a[1].typeName) },
        "typeIsLike": F([.string, .any]) { a in
            let t = a[1].typeName
            return .bool(a[0].asString == t || "*" + a[0].asString == t)
        },
        "kindOf": F([.any]) { a in .string(a[0].kindName) },
        "kindIs": F([.string, .any]) { a in .bool(a[0].asString == a[1].kindName) },
        "deepEqual": F([.any, .any]) { a in .bool(SprigLists.deepEqual(a[0], a[1])) },
    ]
}
