extension FunctionMap {
    /// ESO's template engine v2 function map: sprig (minus env/expandenv/getHostByName) plus ESO's own.
    public static let eso: FunctionMap = {
        var all: [String: GoFunction] = [:]
        for part in [SprigStrings.functions, SprigLists.functions, SprigDicts.functions, SprigMath.functions,
                     SprigDefaults.functions, SprigEncoding.functions, SprigReflect.functions,
                     SprigRegex.functions, ESOYAML.functions, ESOCrypto.functions,
                     SprigDates.functions, SprigCrypto.functions, SprigSemver.functions,
                     SprigCertificates.functions]
        {
            all.merge(part) { a, _ in a }
        }
        return FunctionMap(all)
    }()

    /// Only text/template's builtins.
    public static let builtinsOnly = FunctionMap([:])
}
