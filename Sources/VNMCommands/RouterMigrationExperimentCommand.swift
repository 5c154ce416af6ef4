import ArgumentParser
import Foundation
import Lab
import Migration
import NIOCore

/// `vnm experiment router-migration`: virtual-router live migration on the paper's testbed
/// (Fig. 4a) on the embedded substrate, standard or plane-separated.
struct RouterMigrationExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router-migration",
        abstract: "Live-migrate a virtual router while UDP probes cross it and OSPF runs (paper §2.2, Fig. 4a).",
        discussion: """
            Embedded substrate, virtual clock (seeded; the same arguments give the same figures). client ->
            r-client -> r1 -> r-server -> server; r1's VM (OSPF with both neighbours) moves from node-a to node-b
            over a 1 Gbit/s migration link by pre-copy. standard: the VM forwards the data, so packets that
            arrive while it is paused are lost. plane-separated: node-a's data plane keeps forwarding and
            buffers r1's control packets, which a tunnel delivers to node-b after the VM resumes there.
            downtime_ms: VM paused until resumed; total_migration_ms: trigger until node-b forwards r1's first
            data packet; control_lost / control_max_delay_ms: OSPF packets to r1 sent during the migration that
            never reached its daemon / their longest extra delay; adjacency_drops: adjacencies that left Full.
            """
    )

    @Option(help: "standard or plane-separated.")
    var scheme: RouterMigrationScheme = .planeSeparated

    @Option(help: "Probe packets per second.")
    var rate: Double = 5000

    @Option(help: "IP datagram size in bytes (64 and 1500 in the paper).")
    var size: Int = 64

    @Option(name: .customLong("repeat"), help: "Migrations, each on a fresh testbed (seed, seed+1, ...).")
    var repetitions: Int = 1

    @Option(help: "Seed of the virtual clock and of the VM's workload.")
    var seed: UInt64 = 1

    @Option(help: "Seconds of traffic per run.")
    var duration: Double = 2

    @Option(help: "Seconds after the traffic starts when the migration is triggered.")
    var triggerAfter: Double = 0.5

    @Option(help: "r1's VM memory in MiB.")
    var memoryMib: Int = 64

    @Option(help: "r1's background page writes per second.")
    var dirtyRate: Double = 200

    @Option(help: "The migration link's bandwidth in Mbit/s.")
    var migrationMbps: Double = 1000

    @Option(help: "Milliseconds node-a's data plane keeps forwarding after r1 resumed on node-b (plane-separated).")
    var lingerMs: Double = 100

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard memoryMib >= 1 else { throw ValidationError("--memory-mib must be at least 1, not \(memoryMib)") }
        guard migrationMbps > 0 else { throw ValidationError("--migration-mbps must be more than 0, not \(migrationMbps)") }
        guard lingerMs >= 0 else { throw ValidationError("--linger-ms cannot be negative") }
        guard dirtyRate >= 0 else { throw ValidationError("--dirty-rate cannot be negative") }
        guard duration > 0, triggerAfter >= 0, triggerAfter < duration else {
            throw ValidationError("--trigger-after must fall inside --duration")
        }
        do { try experimentConfiguration.validate() } catch { throw ValidationError("\(error)") }
    }

    var experimentConfiguration: RouterMigrationExperiment.Configuration {
        RouterMigrationExperiment.Configuration(
            scheme: scheme, rate: rate, datagramSize: size, repetitions: repetitions, seed: seed,
            duration: .nanoseconds(Int64(duration * 1e9)), triggerAfter: .nanoseconds(Int64(triggerAfter * 1e9)),
            memoryPages: memoryMib * 256, dirtyRate: dirtyRate, migrationBandwidth: migrationMbps * 1e6,
            oldDataPlaneLinger: .nanoseconds(Int64(lingerMs * 1e6)))
    }

    func run() throws {
        let result = try RouterMigrationExperiment.run(experimentConfiguration) { Self.progress($0) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(Self.summary(result))
        }
    }

    static func summary(_ result: RouterMigrationResult) -> String {
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        let probe = result.probe
        var lines = [
            "\(result.scheme.rawValue) on embedded: \(Int(result.rate)) pps, \(result.datagramSize) B, "
                + "\(result.repetitions) run(s), VM \(result.memoryBytes / 1_048_576) MiB",
            "  data:      lost \(probe.lost) of \(probe.sent), longest gap \(f(probe.longestGapMilliseconds)) ms",
            "  migration: downtime \(f(result.downtimeMilliseconds)) ms, total \(f(result.totalMigrationMilliseconds)) ms, "
                + "\(f(result.precopyRounds)) pre-copy rounds, \(f(result.migratedBytes.map { $0 / 1_048_576 })) MiB sent (medians)",
            "  control:   lost \(result.controlLost), max extra delay \(f(result.controlMaxDelayMilliseconds)) ms, "
                + "adjacency drops \(result.adjacencyDrops)",
        ]
        for run in result.runs where run.outcome != "completed" { lines.append("  seed \(run.seed): \(run.outcome)") }
        return lines.joined(separator: "\n")
    }

    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension RouterMigrationScheme: ExpressibleByArgument {}
