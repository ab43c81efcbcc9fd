import Foundation

/// sprig's integer and float math (spf13/cast conversions; float ops through decimal arithmetic).
enum SprigMath {
    typealias F = GoFunction

    static func i64(_ v: Int64) -> GoValue { .int(v, .int64) }

    static let functions: [String: GoFunction] = [
        "atoi": F([.string]) { a in .int(Int64(Int(a[0].asString) ?? 0), .int) },
        "int": F([.any]) { a in .int(Int64(Cast.toInt(a[0])), .int) },
        "int64": F([.any]) { a in i64(Cast.toInt64(a[0])) },
        "float64": F([.any]) { a in .float(Cast.toFloat64(a[0])) },
        "toDecimal": F([.any]) { a in i64(Int64(GoFormat.sprint(a[0]), radix: 8) ?? 0) },
        "add1": F([.any]) { a in i64(Cast.toInt64(a[0]) &+ 1) },
        "add": F([], variadic: .any) { a in i64(a.reduce(Int64(0)) { $0 &+ Cast.toInt64($1) }) },
        "sub": F([.any, .any]) { a in i64(Cast.toInt64(a[0]) &- Cast.toInt64(a[1])) },
        "div": F([.any, .any]) { a in
            let d = Cast.toInt64(a[1])
            guard d != 0 else { throw FunctionError("runtime error: integer divide by zero") }
            return i64(Cast.toInt64(a[0]).dividedReportingOverflow(by: d).partialValue)
        },
        "mod": F([.any, .any]) { a in
            let d = Cast.toInt64(a[1])
            guard d != 0 else { throw FunctionError("runtime error: integer divide by zero") }
            return i64(Cast.toInt64(a[0]).remainderReportingOverflow(dividingBy: d).partialValue)
        },
        "mul": F([.any], variadic: .any) { a in i64(a.dropFirst().reduce(Cast.toInt64(a[0])) { $0 &* Cast.toInt64($1) }) },
        "randInt": F([.int, .int]) { a in
            let lo = a[0].asInt, hi = a[1].asInt
            guard hi > lo else { throw FunctionError("invalid argument to Intn") }
            var rng = SecureRandom()
            return .int(Int64(Int.random(in: lo..<hi, using: &rng)), .int)
        },
        "biggest": F([.any], variadic: .any) { a in i64(a.map(Cast.toInt64).max() ?? 0) },
        "max": F([.any], variadic: .any) { a in i64(a.map(Cast.toInt64).max() ?? 0) },
        "min": F([.any], variadic: .any) { a in i64(a.map(Cast.toInt64).min() ?? 0) },
        "maxf": F([.any], variadic: .any) { a in .float(a.dropFirst().reduce(Cast.toFloat64(a[0])) { goMax($0, Cast.toFloat64($1)) }) },
        "minf": F([.any], variadic: .any) { a in .float(a.dropFirst().reduce(Cast.toFloat64(a[0])) { goMin($0, Cast.toFloat64($1)) }) },
        "add1f": F([.any]) { a in .float(decimalOp(Cast.toFloat64(a[0]), [1], +)) },
        "addf": F([], variadic: .any) { a in .float(decimalOp(0, a.map(Cast.toFloat64), +)) },
        "subf": F([.any], variadic: .any) { a in .float(decimalOp(Cast.toFloat64(a[0]), a.dropFirst().map(Cast.toFloat64), -)) },
        "mulf": F([.any], variadic: .any) { a in .float(decimalOp(Cast.toFloat64(a[0]), a.dropFirst().map(Cast.toFloat64), *)) },
        "divf": F([.any], variadic: .any) { a in
            let divisors = a.dropFirst().map(Cast.toFloat64)
            if divisors.contains(0) { throw FunctionError("decimal division by 0") }
            return .float(decimalOp(Cast.toFloat64(a[0]), divisors, /))
        },
        "ceil": F([.any]) { a in .float(Foundation.ceil(Cast.toFloat64(a[0]))) },
        "floor": F([.any]) { a in .float(Foundation.floor(Cast.toFloat64(a[0]))) },
        "round": F([.any, .int], variadic: .float64) { a in
            let roundOn = a.count > 2 ? a[2].asFloat : 0.5
            let val = Cast.toFloat64(a[0])
            let pow = Foundation.pow(10, Double(a[1].asInt))
            let digit = pow * val
            let frac = digit - digit.rounded(.towardZero)
            let r = frac >= roundOn ? Foundation.ceil(digit) : Foundation.floor(digit)
            return .float(r / pow)
        },
    ]

    static func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    static func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

    /// shopspring/decimal arithmetic: operands enter through their shortest decimal representation.
    static func decimalOp(_ first: Double, _ rest: [Double], _ op: (Decimal, Decimal) -> Decimal) -> Double {
        func dec(_ d: Double) -> Decimal {
            guard d.isFinite else { return Decimal(d) }
            return Decimal(string: GoFloatFormat.json(d).replacingAll("e", with: "E")) ?? Decimal(d)
        }
        var acc = dec(first)
        for r in rest { acc = op(acc, dec(r)) }
        return Double("\(acc)") ?? NSDecimalNumber(decimal: acc).doubleValue
    }
}
