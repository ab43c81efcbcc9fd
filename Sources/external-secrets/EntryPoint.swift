import ArgumentParser
import ESCommands

/// The `external-secrets` executable: every subcommand lives in ESCommands.
@main
enum EntryPoint {
    static func main() async {
        await ExternalSecretsCommand.main()
    }
}
