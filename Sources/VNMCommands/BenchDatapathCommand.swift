import ArgumentParser
import Datapath
import Foundation

extension BenchCommand {
    /// `vnm bench datapath`: packets per second through the software switch core on one core.
    struct DatapathPipeline: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "datapath",
            abstract: "Datapath packets/s on one core: 3-table pipeline, 10,000 flows, 64-byte UDP frames.",
            discussion: "Runs with and without the exact-match cache; the best of --runs is reported beside the median."
        )

        @Option(help: "Seconds per run.")
        var seconds: Double = 1

        @Option(help: "Runs per configuration.")
        var runs: Int = 3

        @Flag(help: "Print JSON.")
        var json = false

        struct Row: Codable {
            var exactMatchCache: Bool
            var flows: Int
            var bestPacketsPerSecond: Double
            var medianPacketsPerSecond: Double
            var runs: Int
        }

        func run() throws {
            var rows: [Row] = []
            for cache in [false, true] {
                let results = (0..<max(1, runs)).map { _ in DatapathBenchmark.run(seconds: seconds, exactMatchCache: cache) }
                let rates = results.map(\.packetsPerSecond).sorted(by: >)
                rows.append(
                    Row(
                        exactMatchCache: cache, flows: results[0].flows, bestPacketsPerSecond: rates[0],
                        medianPacketsPerSecond: rates[rates.count / 2], runs: rates.count))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
                return
            }
            for row in rows {
                print(
                    String(
                        format: "exact-match cache %@: %10.0f packets/s best, %10.0f median (%d flows, %d runs)",
                        row.exactMatchCache ? "on " : "off", row.bestPacketsPerSecond, row.medianPacketsPerSecond,
                        row.flows, row.runs))
            }
        }
    }
}
