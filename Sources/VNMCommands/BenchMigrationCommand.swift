import ArgumentParser
import Foundation
import Lab
import Migration
import NIOCore
import Substrate

extension BenchCommand {
    /// `vnm bench migration`: how long flow migrations take (issue #5, deliverable 6).
    struct MigrationSpeed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migration",
            abstract: "Flow-migration time: one flow, 10,000 flows (bulk), growth with flows and path length.",
            discussion: """
                embedded (default), on the virtual clock:
                (a) one two-way flow over the paper's diamond (a 3-switch detour) with UDP probes at
                10,000 pps, switches with a 100 us flow-mod delay and 100 us links (the experiment's
                model): total_migration_ms (trigger until the first probe crosses the new path) and
                confirmed_ms, simulated; plus the wall-clock time vnm needs to carry the same migration
                out with instant switches. (b) 10,000 two-way flows with bulk: wall-clock time from the
                trigger until the last confirmation (planning apart), switches applying instantly; the
                simulated confirmed_ms adds 10 us links/control channels and the 20 ms drain, which
                cost no wall time. (c) the same measurement over 1 ... 10,000 flows and over paths of
                3, 5, 9 and 17 switches, as Markdown tables. Medians over --runs.
                linux: the diamond on Open vSwitch (needs root): one flow (consistent) and 10,000 flows
                (bulk), real time.
                """
        )

        enum Backend: String, ExpressibleByArgument, CaseIterable {
            case embedded, linux
        }

        @Option(help: "embedded or linux (Open vSwitch).")
        var backend: Backend = .embedded

        @Option(help: "Runs per measurement (medians are reported).")
        var runs: Int = 5

        @Option(help: "The largest number of flows (b and the growth table).")
        var maxFlows: Int = 10_000

        @Option(help: "Flows for the path-length table.")
        var pathFlows: Int = 100

        @Flag(help: "Skip the growth tables.")
        var noGrowth = false

        @Flag(help: "Print JSON.")
        var json = false

        /// An experiment's figures, for the JSON report.
        struct Brief: Codable {
            var totalMigrationMilliseconds: Double?
            var confirmedMilliseconds: Double?
            var flowMods: Int
            var sent: UInt64
            var lost: UInt64

            init(_ result: FlowMigrationResult) {
                totalMigrationMilliseconds = result.totalMigrationMilliseconds
                confirmedMilliseconds = result.confirmedMilliseconds
                flowMods = result.plannedFlowMods
                sent = result.migration.probe.sent
                lost = result.migration.probe.lost
            }

            enum CodingKeys: String, CodingKey {
                case totalMigrationMilliseconds = "total_migration_ms"
                case confirmedMilliseconds = "confirmed_ms"
                case flowMods = "flow_mods"
                case sent, lost
            }
        }

        struct Report: Codable {
            var oneFlowSimulated: [String: Brief]?
            var oneFlowWall: [FlowMigrationBenchmark.Result]?
            var bulk: [FlowMigrationBenchmark.Result]?
            var growthByFlows: [FlowMigrationBenchmark.Result]?
            var growthByPathLength: [FlowMigrationBenchmark.Result]?
            var linux: [String: Brief]?
        }

        func validate() throws {
            guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
            guard (1...60_000).contains(maxFlows) else { throw ValidationError("--max-flows must be 1...60000") }
            guard (1...60_000).contains(pathFlows) else { throw ValidationError("--path-flows must be 1...60000") }
        }

        func run() async throws {
            var report = Report()
            switch backend {
            case .embedded:
                report.oneFlowSimulated = [:]
                for algorithm in [FlowMigrationAlgorithm.consistent, .paper] {
                    let result = try await FlowMigrationExperiment.run(
                        .init(algorithm: algorithm, rate: 10_000, datagramSize: 64, repetitions: runs, duration: .milliseconds(400),
                            baseline: false),
                        on: FlowMigrationEmbeddedBackend())
                    report.oneFlowSimulated?[algorithm.rawValue] = Brief(result)
                    say(
                        "(a) 1 flow, 3-switch detour, \(algorithm), simulated (100 us flow-mods, 100 us links): "
                            + "total_migration_ms \(f(result.totalMigrationMilliseconds)), confirmed_ms \(f(result.confirmedMilliseconds)), "
                            + "lost \(result.migration.probe.lost) of \(result.migration.probe.sent)")
                }
                let one = try measure(.init(flows: 1, algorithm: .consistent))
                report.oneFlowWall = one.all
                say("(a) 1 flow, 3-switch detour, consistent, wall clock: execute \(f(one.median.executeWallMilliseconds)) ms, "
                    + "plan \(f(one.median.planWallMilliseconds)) ms (median of \(runs)), simulated confirmed_ms "
                    + "\(f(one.median.simulatedConfirmedMilliseconds))")
                let bulk = try measure(.init(flows: maxFlows, algorithm: .bulk))
                report.bulk = bulk.all
                say("(b) \(maxFlows) flows, bulk, wall clock: execute \(f(bulk.median.executeWallMilliseconds)) ms (best "
                    + "\(f(bulk.all.map(\.executeWallMilliseconds).min())) ms), plan \(f(bulk.median.planWallMilliseconds)) ms, "
                    + "\(bulk.median.flowMods) flow-mods, \(bulk.median.barriers) barriers, simulated confirmed_ms "
                    + "\(f(bulk.median.simulatedConfirmedMilliseconds)), verified \(bulk.all.allSatisfy(\.verified))")
                if !noGrowth {
                    var byFlows: [FlowMigrationBenchmark.Result] = []
                    var rows: [String] = []
                    var count = 1
                    while count <= maxFlows {
                        var cells = ["\(count)"]
                        for algorithm in [FlowMigrationAlgorithm.consistent, .bulk] {
                            let m = try measure(.init(flows: count, algorithm: algorithm))
                            byFlows.append(m.median)
                            cells += [f(m.median.totalWallMilliseconds), f(m.median.simulatedConfirmedMilliseconds)]
                            if algorithm == .bulk { cells.insert("\(m.median.flowMods)", at: 1) }
                        }
                        rows.append("| " + cells.joined(separator: " | ") + " |")
                        count *= 10
                    }
                    report.growthByFlows = byFlows
                    say("\n(c) time vs flows (3-switch detour, two-way flows; wall = plan + execute, medians of \(runs)):\n")
                    say("| flows | flow-mods | consistent wall ms | consistent simulated confirmed ms | bulk wall ms | bulk simulated confirmed ms |")
                    say("|---:|---:|---:|---:|---:|---:|")
                    for row in rows { say(row) }

                    var byLength: [FlowMigrationBenchmark.Result] = []
                    say("\n(c) time vs path length (\(pathFlows) two-way flows, consistent; medians of \(runs)):\n")
                    say("| switches on the path | flow-mods | wall ms | simulated confirmed ms | simulated confirmed ms, 100 us flow-mods |")
                    say("|---:|---:|---:|---:|---:|")
                    for length in [3, 5, 9, 17] {
                        let m = try measure(.init(flows: pathFlows, pathLength: length, algorithm: .consistent))
                        let slow = try measure(
                            .init(
                                flows: pathFlows, pathLength: length, algorithm: .consistent,
                                switchOptions: .init(flowModDelay: .microseconds(100))), runs: 1)
                        byLength += [m.median, slow.median]
                        say("| \(length) | \(m.median.flowMods) | \(f(m.median.totalWallMilliseconds)) | "
                            + "\(f(m.median.simulatedConfirmedMilliseconds)) | \(f(slow.median.simulatedConfirmedMilliseconds)) |")
                    }
                    report.growthByPathLength = byLength
                }
            case .linux:
                report.linux = [:]
                for (flows, algorithm, repetitions) in [(1, FlowMigrationAlgorithm.consistent, runs), (maxFlows, .bulk, 1)] {
                    let backend = try FlowMigrationLinuxBackend(name: "flowmigbench", log: { Self.progress($0) })
                    let result: FlowMigrationResult
                    do {
                        result = try await FlowMigrationExperiment.run(
                            .init(algorithm: algorithm, rate: 1000, datagramSize: 64, flows: flows, repetitions: repetitions,
                                duration: .seconds(flows > 1000 ? 30 : 2), executor: .init(barrierTimeout: .seconds(60)),
                                baseline: false),
                            on: backend) { Self.progress($0) }
                    } catch {
                        await backend.tearDown()
                        throw error
                    }
                    await backend.tearDown()
                    report.linux?["\(flows) \(algorithm)"] = Brief(result)
                    say("linux (Open vSwitch): \(flows) flow(s), \(algorithm): total_migration_ms \(f(result.totalMigrationMilliseconds)), "
                        + "confirmed_ms \(f(result.confirmedMilliseconds)) (median of \(repetitions)), \(result.plannedFlowMods) flow-mods, "
                        + "lost \(result.migration.probe.lost) of \(result.migration.probe.sent)")
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
        }

        /// `runs` runs (seeds 1...); all of them and the one with the median execution time.
        func measure(_ setup: FlowMigrationBenchmark.Setup, runs: Int? = nil) throws -> (
            median: FlowMigrationBenchmark.Result, all: [FlowMigrationBenchmark.Result]
        ) {
            let all = try (1...(runs ?? self.runs)).map { try FlowMigrationBenchmark.run(setup, seed: UInt64($0)) }
            for result in all where !result.verified {
                Self.progress("warning: \(result.flows) flows over \(result.pathLength) switches (\(result.algorithm)): \(result.outcome), not verified")
            }
            let sorted = all.sorted { $0.totalWallMilliseconds < $1.totalWallMilliseconds }
            return (sorted[sorted.count / 2], all)
        }

        func say(_ line: String) {
            if !json { print(line) }
        }

        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }

        static func progress(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
