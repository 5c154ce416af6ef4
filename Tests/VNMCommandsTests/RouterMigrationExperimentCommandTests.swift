import ArgumentParser
import Migration
import Testing

@testable import VNMCommands

@Suite struct RouterMigrationExperimentCommandTests {
    @Test func optionsBecomeTheExperimentsConfiguration() throws {
        let command = try RouterMigrationExperimentCommand.parse([
            "--scheme", "standard", "--rate", "10000", "--size", "1500", "--repeat", "3", "--seed", "7",
            "--memory-mib", "16", "--migration-mbps", "100", "--linger-ms", "50", "--json",
        ])
        let configuration = command.experimentConfiguration
        #expect(configuration.scheme == .standard)
        #expect(configuration.rate == 10000 && configuration.datagramSize == 1500)
        #expect(configuration.repetitions == 3 && configuration.seed == 7)
        #expect(configuration.memoryPages == 16 * 256)
        #expect(configuration.migrationBandwidth == 100e6)
        #expect(configuration.oldDataPlaneLinger == .milliseconds(50))
        #expect(command.json)
    }

    @Test func badOptionsAreRefusedByName() {
        for arguments in [["--scheme", "xen"], ["--size", "20"], ["--rate", "0"], ["--trigger-after", "5"]] {
            do {
                _ = try RouterMigrationExperimentCommand.parse(arguments)
                Issue.record("\(arguments) must not parse")
            } catch {
                let message = RouterMigrationExperimentCommand.message(for: error)
                #expect(message.contains(arguments[0].dropFirst(2)) || message.contains("trigger"), "\(message)")
            }
        }
    }
}
