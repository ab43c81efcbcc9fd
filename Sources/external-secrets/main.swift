import ArgumentParser
import ESCommands

await ExternalSecretsCommand.main()
