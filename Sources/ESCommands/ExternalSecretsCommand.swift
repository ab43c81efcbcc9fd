import ArgumentParser

/// `external-secrets`: the root command. Each subcommand lives in its own file of this module.
public struct ExternalSecretsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "external-secrets",
        abstract: "A drop-in re-implementation of the External Secrets Operator for Kubernetes.",
        subcommands: [
            ControllerCommand.self,
            ControllerLatencyBenchCommand.self,
            ControllerBenchAPIServerCommand.self,
            BenchAWSCoalescingCommand.self,
            RenderCommand.self,
            BenchInformerCommand.self,
            TestAPIServerCommand.self,
            ValidateCommand.self,
            ServeCommand.self,
            CertsCommand.self,
            CheckCommand.self,
            CertsControllerCommand.self,
        ]
    )

    public init() {}
}
