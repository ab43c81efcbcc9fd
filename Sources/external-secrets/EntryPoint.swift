import ArgumentParser
import ESCommands
import ESServer

/// The `external-secrets` executable: every subcommand lives in ESCommands.
@main
enum EntryPoint {
    static func main() async {
        // The server runs for weeks: drop the loader's and runtime's start-up code from memory before
        // argument parsing adds more (see ResidentCode; `serve` trims again once it is listening).
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "serve" && !arguments.contains("--keep-startup-code") {
            ResidentCode.trimAfterStartup()
        }
        await ExternalSecretsCommand.main()
    }
}
