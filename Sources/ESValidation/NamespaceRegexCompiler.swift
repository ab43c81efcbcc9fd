import ESRegex

/// Compiles a ClusterSecretStore `namespaceRegexes` entry the way Go's `regexp.Compile` does.
enum NamespaceRegexCompiler {
    /// Go's error text when `pattern` does not compile, `nil` when it does.
    static func compileError(_ pattern: String) -> String? {
        do {
            _ = try GoRegex(pattern)
            return nil
        } catch {
            return error.description
        }
    }
}
