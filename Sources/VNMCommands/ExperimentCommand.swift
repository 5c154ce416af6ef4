import ArgumentParser
import Foundation
import Lab
import Migration
import NIOCore

/// `vnm experiment`: the paper's experiments, measured end to end.
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run an experiment and report what the receiver saw.",
        subcommands: [
            FlowMigration.self,
            LossTable.self,
            RouterMigrationExperimentCommand.self,
            PaperExperimentCommand.self,
        ]
    )

    /// `vnm experiment flow-migration`.
    struct FlowMigration: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "flow-migration",
            abstract: "Move flows between the two paths of a diamond while UDP probes cross it (paper §3).",
            discussion: """
                linux: Open vSwitch 3.x (userspace datapath) in network namespaces, vnm's controller over
                its own connections, kernel UDP sockets at both ends (needs root, openvswitch-switch,
                ethtool). Each repetition first runs the same traffic without a migration (the baseline),
                then with the migration triggered half-way. total_migration_ms: trigger until the first
                probe crosses the new path (a packet socket on s3's port toward s1); confirmed_ms: trigger
                until the last barrier reply. Keep --rate at 20000 or below on Open vSwitch (see
                ../shared/notes/linux-testbed.md).
                """
        )

        enum Backend: String, ExpressibleByArgument, CaseIterable {
            case linux, embedded
        }

        @Option(help: "Where to run: linux (Open vSwitch) or embedded.")
        var backend: Backend = .linux

        @Option(help: "paper, consistent, bulk or delete-first.")
        var algorithm: FlowMigrationAlgorithm = .consistent

        @Option(help: "Probe packets per second.")
        var rate: Double = 5000

        @Option(help: "IP datagram size in bytes (64 and 1500 in the paper).")
        var size: Int = 64

        @Option(help: "Flows migrated at once (the first carries the probes).")
        var flows: Int = 1

        @Option(name: .customLong("repeat"), help: "Migrations (each with its own baseline run).")
        var repetitions: Int = 1

        @Option(help: "Seconds of traffic per run; the migration starts half-way.")
        var duration: Double = 2

        @Option(help: "Milliseconds between the last redirection's confirmation and the old entries' deletion.")
        var drainMs: Double = 20

        @Option(help: "Flows per batch (bulk).")
        var batchSize: Int = 1000

        @Option(help: "Milliseconds a switch may take to answer a barrier before the migration rolls back.")
        var barrierTimeoutMs: Double = 2000

        @Flag(help: "Skip the baseline runs.")
        var noBaseline = false

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard rate > 0 else { throw ValidationError("--rate must be more than 0, not \(rate)") }
            guard flows >= 1 else { throw ValidationError("--flows must be at least 1, not \(flows)") }
            guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1, not \(repetitions)") }
            guard duration > 0 else { throw ValidationError("--duration must be more than 0 seconds, not \(duration)") }
            guard drainMs >= 0 else { throw ValidationError("--drain-ms cannot be negative") }
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
            do { _ = try ProbePayload.payloadSize(forDatagramSize: size) } catch { throw ValidationError("--size: \(error)") }
        }

        var experimentConfiguration: FlowMigrationExperiment.Configuration {
            FlowMigrationExperiment.Configuration(
                algorithm: algorithm, rate: rate, datagramSize: size, flows: flows, repetitions: repetitions,
                duration: .nanoseconds(Int64(duration * 1e9)),
                planner: .init(drainInterval: .nanoseconds(Int64(drainMs * 1e6)), batchSize: batchSize),
                executor: .init(barrierTimeout: .nanoseconds(Int64(barrierTimeoutMs * 1e6))), baseline: !noBaseline)
        }

        func run() async throws {
            let backend: any FlowMigrationBackend
            switch self.backend {
            case .linux: backend = try FlowMigrationLinuxBackend(name: "flowmig", log: { Self.progress($0) })
            case .embedded: backend = FlowMigrationEmbeddedBackend()
            }
            let result: FlowMigrationResult
            do {
                result = try await FlowMigrationExperiment.run(experimentConfiguration, on: backend) { Self.progress($0) }
            } catch {
                await backend.tearDown()
                throw error
            }
            await backend.tearDown()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(Self.summary(result))
            }
        }

        static func summary(_ result: FlowMigrationResult) -> String {
            func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
            let probe = result.migration.probe
            var lines = [
                "\(result.algorithm) on \(result.backend): \(result.flows) flow(s), \(Int(result.rate)) pps, "
                    + "\(result.datagramSize) B, \(result.repetitions) run(s)",
                "  migration: lost \(probe.lost) of \(probe.sent), longest gap \(f(probe.longestGapMilliseconds)) ms, "
                    + "total_migration_ms \(f(result.totalMigrationMilliseconds)) (median), confirmed_ms "
                    + "\(f(result.confirmedMilliseconds)) (median), \(result.plannedFlowMods) flow-mods",
            ]
            if let baseline = result.baseline?.probe {
                lines.append(
                    "  baseline:  lost \(baseline.lost) of \(baseline.sent), longest gap \(f(baseline.longestGapMilliseconds)) ms")
            }
            return lines.joined(separator: "\n")
        }

        static func progress(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}

extension FlowMigrationAlgorithm: ExpressibleByArgument {}
