import ArgumentParser
import Foundation
import Lab
import LinuxTestbed
import Migration
import NIOCore
import Substrate

extension ExperimentCommand {
    /// `vnm experiment loss-table`: issue #5's loss table — lost probes over a sweep of rates,
    /// sizes and algorithms, each migration beside a run of the same traffic without one.
    struct LossTable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loss-table",
            abstract: "Sweep rates x sizes x algorithms with repeated migrations; print the Markdown table of lost probes.",
            discussion: """
                Backends: embedded (switches apply flow-mods at once, in the order sent), embedded-delayed
                (each flow-mod takes --flow-mod-delay-us plus up to as much again of seeded jitter, and the
                switch takes a random one of the waiting unconfirmed messages with probability
                --reorder-probability), linux (Open vSwitch in namespaces, kernel UDP; needs root).
                A cell lists the probes lost in each migration run, then in brackets those lost in the
                runs of the same traffic without a migration (the baseline: loss of the machine itself).
                Algorithms: paper, consistent, bulk, delete-first, and two variants that tell where loss
                comes from: paper-drained (the paper's unconfirmed order, with --drain-ms between the
                redirection and the deletes) and consistent-undrained (barriers, no drain interval).
                """
        )

        enum Backend: String, ExpressibleByArgument, CaseIterable {
            case embedded
            case embeddedDelayed = "embedded-delayed"
            case linux
        }

        /// An algorithm of the table, or a variant of one.
        enum Column: String, CaseIterable {
            case paper, consistent, bulk
            case deleteFirst = "delete-first"
            case paperDrained = "paper-drained"
            case consistentUndrained = "consistent-undrained"

            var algorithm: FlowMigrationAlgorithm {
                switch self {
                case .paper, .paperDrained: .paper
                case .consistent, .consistentUndrained: .consistent
                case .bulk: .bulk
                case .deleteFirst: .deleteFirst
                }
            }

            func plan(_ request: FlowMigrationRequest, drain: TimeAmount) throws -> FlowMigrationPlan {
                var plan = try FlowMigrationPlanner.plan(
                    request, algorithm: algorithm,
                    options: .init(drainInterval: self == .consistentUndrained ? .zero : drain))
                if self == .paperDrained {
                    for index in plan.steps.indices where plan.steps[index].kind == .delete { plan.steps[index].delay = drain }
                }
                return plan
            }
        }

        @Option(help: "embedded, embedded-delayed or linux.")
        var backend: Backend = .embedded

        @Option(help: "Rates in packets/s, separated by commas.")
        var rates: String = "1000,5000,10000,20000"

        @Option(help: "IP datagram sizes in bytes, separated by commas.")
        var sizes: String = "64,1500"

        @Option(help: "Columns: paper, consistent, bulk, delete-first, paper-drained, consistent-undrained.")
        var algorithms: String = "paper,consistent,delete-first"

        @Option(name: .customLong("repeat"), help: "Migrations per cell (each beside a baseline run).")
        var repetitions: Int = 3

        @Option(help: "Seconds of traffic per run (default: 1 embedded, 2 linux); the migration starts half-way.")
        var duration: Double?

        @Option(help: "Drain interval in milliseconds.")
        var drainMs: Double = 20

        @Option(help: "embedded-delayed: flow-mod processing delay in microseconds (jitter: up to as much again).")
        var flowModDelayUs: Double = 100

        @Option(help: "embedded-delayed: chance that the switch takes a random waiting message instead of the oldest.")
        var reorderProbability: Double = 0.5

        @Option(help: "embedded: one-way latency of every link, microseconds.")
        var linkLatencyUs: Double = 100

        @Option(help: "embedded: seed of the first trial.")
        var seed: UInt64 = 1

        @Flag(help: "linux: count, per switch, the probes that found no entry (a priority-0 entry that drops and counts).")
        var countMisses = false

        @Flag(help: "Skip the baseline runs.")
        var noBaseline = false

        func validate() throws {
            _ = try parsedRates()
            _ = try parsedSizes()
            _ = try columns()
            guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
            if let duration, !(duration > 0) { throw ValidationError("--duration must be more than 0 seconds") }
            guard drainMs >= 0 else { throw ValidationError("--drain-ms cannot be negative") }
            guard (0...1).contains(reorderProbability) else { throw ValidationError("--reorder-probability must be 0...1") }
            guard flowModDelayUs >= 0, linkLatencyUs >= 0 else { throw ValidationError("delays cannot be negative") }
        }

        func parsedRates() throws -> [Double] {
            try rates.split(separator: ",").map {
                guard let rate = Double($0.trimmingCharacters(in: .whitespaces)), rate > 0 else {
                    throw ValidationError("--rates: \($0.debugDescription) is not a rate above 0")
                }
                return rate
            }
        }

        func parsedSizes() throws -> [Int] {
            try sizes.split(separator: ",").map {
                guard let size = Int($0.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--sizes: \($0.debugDescription) is not a number of bytes")
                }
                do { _ = try ProbePayload.payloadSize(forDatagramSize: size) } catch { throw ValidationError("--sizes: \(error)") }
                return size
            }
        }

        func columns() throws -> [Column] {
            try algorithms.split(separator: ",").map {
                guard let column = Column(rawValue: $0.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError(
                        "--algorithms: unknown \($0.debugDescription) (\(Column.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return column
            }
        }

        var switchOptions: EmbeddedSwitch.Options {
            switch backend {
            case .embeddedDelayed:
                let delay = TimeAmount.nanoseconds(Int64(flowModDelayUs * 1000))
                return .init(
                    flowModDelay: delay, flowModJitter: delay, reorderProbability: reorderProbability,
                    reorderWindow: .microseconds(Int64(flowModDelayUs)))
            default:
                return .init()
            }
        }

        /// One cell's runs.
        struct Cell {
            var lost: [UInt64] = []
            var baseline: [UInt64] = []
            var sent: UInt64 = 0
            var outcomes: Set<String> = []
            var total: [Double] = []
            var misses: [UInt64: UInt64] = [:]
        }

        func run() async throws {
            let rates = try parsedRates(), sizes = try parsedSizes(), columns = try columns()
            let seconds = duration ?? (backend == .linux ? 2 : 1)
            let backend: any FlowMigrationBackend
            switch self.backend {
            case .linux:
                backend = try FlowMigrationLinuxBackend(name: "flowmigloss", log: { Self.progress($0) })
            case .embedded, .embeddedDelayed:
                backend = FlowMigrationEmbeddedBackend(
                    seed: seed, switchOptions: switchOptions,
                    linkOptions: .init(latency: .nanoseconds(Int64(linkLatencyUs * 1000)), bandwidth: 1e9))
            }
            var cells: [String: Cell] = [:]
            do {
                let request = try await backend.prepare(flows: 1)
                let linux = backend as? FlowMigrationLinuxBackend
                if countMisses, let linux {
                    // Brief blocking calls, once, before any traffic.
                    for bridge in linux.testbed.allBridges {
                        try linux.testbed.ofctl(bridge, "add-flow", "cookie=0xdead,priority=0,actions=drop")
                    }
                }
                let drain = TimeAmount.nanoseconds(Int64(drainMs * 1e6))
                for rate in rates {
                    for size in sizes {
                        for column in columns {
                            let plan = try column.plan(request, drain: drain)
                            var cell = Cell()
                            for repetition in 1...repetitions {
                                let trial = FlowMigrationTrial(
                                    rate: rate, datagramSize: size, duration: .nanoseconds(Int64(seconds * 1e9)),
                                    triggerAfter: .nanoseconds(Int64(seconds * 5e8)), plan: nil)
                                if !noBaseline {
                                    try await backend.installOldPath(request)
                                    cell.baseline.append(try await backend.run(trial).probe.lost)
                                }
                                try await backend.installOldPath(request)
                                var before: [UInt64: UInt64] = [:]
                                if countMisses { before = try await misses(linux) }
                                var migrating = trial
                                migrating.plan = plan
                                let result = try await backend.run(migrating)
                                if countMisses {
                                    for (dpid, count) in try await misses(linux) { cell.misses[dpid, default: 0] += count - (before[dpid] ?? 0) }
                                }
                                cell.lost.append(result.probe.lost)
                                cell.sent += result.probe.sent
                                cell.outcomes.insert(result.migration?.outcome.rawValue ?? "-")
                                if let total = result.totalMigrationMilliseconds { cell.total.append(total) }
                                Self.progress(
                                    "\(self.backend.rawValue) \(Int(rate)) pps \(size) B \(column.rawValue) \(repetition)/\(repetitions): "
                                        + "lost \(result.probe.lost) of \(result.probe.sent)"
                                        + (noBaseline ? "" : " [baseline \(cell.baseline.last ?? 0)]")
                                        + (countMisses ? " misses \(cell.misses.sorted { $0.key < $1.key })" : ""))
                            }
                            cells["\(rate) \(size) \(column.rawValue)"] = cell
                        }
                    }
                }
            } catch {
                await backend.tearDown()
                throw error
            }
            await backend.tearDown()
            print(table(rates: rates, sizes: sizes, columns: columns, cells: cells, seconds: seconds))
        }

        /// Per switch, the packets the counting entry (cookie 0xdead) has seen so far.
        func misses(_ backend: FlowMigrationLinuxBackend?) async throws -> [UInt64: UInt64] {
            guard let backend else { return [:] }
            var result: [UInt64: UInt64] = [:]
            for bridge in backend.testbed.allBridges {
                for line in try backend.testbed.dumpFlows(bridge, statistics: true) where line.contains("cookie=0xdead") {
                    if let range = line.range(of: "n_packets=") {
                        let digits = line[range.upperBound...].prefix { $0.isNumber }
                        result[bridge.datapathID, default: 0] += UInt64(digits) ?? 0
                    }
                }
            }
            return result
        }

        func table(rates: [Double], sizes: [Int], columns: [Column], cells: [String: Cell], seconds: Double) -> String {
            var setting: String
            switch backend {
            case .embedded: setting = "embedded, virtual clock; switches apply flow-mods at once and in order; links \(linkLatencyUs) us"
            case .embeddedDelayed:
                setting = "embedded, virtual clock; flow-mods take \(flowModDelayUs)-\(2 * flowModDelayUs) us, "
                    + "reorder probability \(reorderProbability) between barriers; links \(linkLatencyUs) us"
            case .linux: setting = "linux: Open vSwitch userspace datapath in namespaces, kernel UDP, vnm controller"
            }
            var lines = [
                "Lost probes per migration (\(setting); \(seconds) s of traffic per run, migration half-way; drain \(drainMs) ms; "
                    + (noBaseline ? "" : "[baseline runs without migration]") + ")",
                "",
                "| rate (pps) | size (B) | " + columns.map(\.rawValue).joined(separator: " | ") + " |",
                "|---:|---:|" + String(repeating: "---|", count: columns.count),
            ]
            for rate in rates {
                for size in sizes {
                    var row = "| \(Int(rate)) | \(size) |"
                    for column in columns {
                        guard let cell = cells["\(rate) \(size) \(column.rawValue)"] else {
                            row += " - |"
                            continue
                        }
                        var text = cell.lost.map(String.init).joined(separator: ", ")
                        if !noBaseline { text += " [\(cell.baseline.map(String.init).joined(separator: ", "))]" }
                        let odd = cell.outcomes.subtracting(["completed"])
                        if !odd.isEmpty { text += " (\(odd.sorted().joined(separator: ", ")))" }
                        if countMisses, !cell.misses.isEmpty {
                            text += " misses " + cell.misses.sorted { $0.key < $1.key }.map { "s\($0.key):\($0.value)" }.joined(separator: " ")
                        }
                        row += " \(text) |"
                    }
                    lines.append(row)
                }
            }
            return lines.joined(separator: "\n")
        }

        static func progress(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
