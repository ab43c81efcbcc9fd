import ArgumentParser

/// `external-secrets certs`: offline certificate tools for the webhook.
public struct CertsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Generate and inspect the webhook's CA and serving certificate.",
        subcommands: [CertsGenerateCommand.self, CertsInspectCommand.self]
    )

    public init() {}
}

/// A runtime failure of a `certs` subcommand: printed as `Error: <message>`, exit status 1 (no usage text).
struct CertsCommandFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
