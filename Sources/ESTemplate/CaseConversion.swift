/// huandu/xstrings case conversions (`snakecase`, `kebabcase`, `camelcase`).
enum CaseConversion {
    static func isConnector(_ r: Unicode.Scalar) -> Bool { r == "-" || r == "_" || Sprig.isSpace(r) }

    /// `xstrings.ToCamelCase`: words separated by space, `_` or `-` become `SomeWords`.
    static func camel(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)[...]
        guard !scalars.isEmpty else { return "" }
        var out = String.UnicodeScalarView()
        var firstUpper = false
        var r0: Unicode.Scalar = " "
        var found = false
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            if !isConnector(c) {
                firstUpper = c.properties.isUppercase
                r0 = SprigStrings.upperScalar(c)
                found = true
                break
            }
            out.append(c)
        }
        guard found else { return String(out) }
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            let r1 = r0
            r0 = c
            if isConnector(r0) && isConnector(r1) {
                out.append(r1)
                continue
            }
            if isConnector(r1) {
                firstUpper = r0.properties.isUppercase
                r0 = SprigStrings.upperScalar(r0)
            } else {
                if firstUpper {
                    if r0.properties.isUppercase { r0 = SprigStrings.lowerScalar(r0) } else { firstUpper = false }
                }
                out.append(r1)
            }
        }
        out.append(r0)
        return String(out)
    }

    private enum Kind { case connector, upper, lower, digit, other }

    private static func kind(_ r: Unicode.Scalar) -> Kind {
        if isConnector(r) { return .connector }
        if r.properties.isUppercase { return .upper }
        if r.properties.isLowercase { return .lower }
        if Sprig.isDigit(r) { return .digit }
        return .other
    }

    /// `xstrings.ToSnakeCase` / `ToKebabCase`: lower-cased words joined by `delimiter`; words break
    /// at connectors, lower→upper changes, the last capital of an acronym ("HTTPServer" → http_server)
    /// and letter→digit changes.
    static func delimited(_ s: String, _ delimiter: Character) -> String {
        let r = Array(s.unicodeScalars)
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func flush() { if !current.isEmpty { words.append(current); current = [] } }
        for i in r.indices {
            let k = kind(r[i])
            if k == .connector { flush(); continue }
            if let prev = current.last {
                let pk = kind(prev)
                let nextIsLower = i + 1 < r.count && kind(r[i + 1]) == .lower
                if (pk == .lower && k == .upper) || (pk == .digit && k == .upper)
                    || (pk == .upper && k == .upper && nextIsLower)
                    || ((pk == .lower || pk == .upper) && k == .digit && current.count > 1 && !current.contains(where: { kind($0) == .digit }))
                {
                    flush()
                }
            }
            current.append(r[i])
        }
        flush()
        return words.map { w in String(String.UnicodeScalarView(w.map(SprigStrings.lowerScalar))) }
            .joined(separator: String(delimiter))
    }
}
