import ArgumentParser

/// `external-secrets validate -f FILE|DIR|-`: checks ExternalSecret, SecretStore and
/// ClusterSecretStore manifests offline against the CRD schema and the admission webhook's rules.
public struct ValidateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate external-secrets.io manifests offline (CRD schema and webhook rules).",
        discussion: """
            Reads YAML or JSON (multi-document, kind: List) from files, directories (recursively: \
            .yaml, .yml, .json) or standard input (-). Prints one line per external-secrets.io object; \
            other objects are skipped and counted. Exit status: 0 all valid, 1 some object invalid, \
            2 some input unreadable.
            """)

    public enum OutputFormat: String, ExpressibleByArgument, Sendable {
        case text
        case json
    }

    @Option(name: [.customShort("f"), .customLong("filename")], help: "A manifest file, a directory, or - for standard input (repeatable).")
    public var filenames: [String] = []

    @Option(name: [.short, .long], help: "Output format: text or json.")
    public var output: OutputFormat = .text

    @Option(name: [.short, .long], help: "Namespace assumed for namespaced objects that do not name one.")
    public var namespace: String = "default"

    public init() {}

    public func validate() throws {
        if filenames.isEmpty { throw ValidationError("at least one -f FILE|DIR|- is required") }
    }

    public func run() throws {
        let (code, text) = execute(readStandardInput: ValidateInputs.readStandardInput)
        print(text, terminator: "")
        if code != 0 { throw ExitCode(code) }
    }

    /// The whole run without process side effects: exit status and what would be printed.
    public func execute(readStandardInput: () -> [UInt8]?) -> (exitCode: Int32, output: String) {
        var report = ValidateReport()
        for input in ValidateInputs.collect(filenames, readStandardInput: readStandardInput) {
            switch input {
            case .success(let source): report.add(source, defaultNamespace: namespace)
            case .failure(let failure): report.failures.append((failure.path, failure.reason))
            }
        }
        return (report.exitCode, output == .json ? report.json() : report.text())
    }
}
