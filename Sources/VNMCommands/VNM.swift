import ArgumentParser

/// The `vnm` command: thin `ParsableCommand`s over the libraries.
public struct VNM: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vnm",
        abstract: "Live migration of virtual networks: OpenFlow flow migration and plane-separated virtual routers.",
        version: "0.1.0",
        subcommands: [
            OfpCommand.self, ControllerCommand.self, BenchCommand.self, FuzzCommand.self,
            ExperimentCommand.self,
            MigrateCommand.self,
            LabCommand.self,
            SliceCommand.self,
        ]
    )

    public init() {}
}
