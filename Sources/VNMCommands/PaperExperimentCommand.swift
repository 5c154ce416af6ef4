import ArgumentParser
import Foundation
import Lab

/// `vnm experiment paper`: the paper's evaluation (§3, Figs. 5–7) in one command: every scheme
/// at 64 and 1500 bytes over a sweep of data packet rates, repeated; writes results.csv,
/// results.json, the three figures and report.md to `--out`, and prints a summary table.
struct PaperExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Reproduce the paper's Figs. 5–7: downtime, lost packets and total migration time vs data packet rate.",
        discussion: """
            Schemes: router-standard and router-plane-separated (virtual-router migration: Xen standard, and \
            plane separation), flows-paper and flows-consistent (OpenFlow flow migration: Fig. 3's order, and \
            its barrier-confirmed form). Full sweep: 1000, 2500, 5000, 7500 and 10000 packets/s, 5 runs per \
            point, 2 s of traffic per flow run. --quick: 1000, 2000 and 4000 packets/s, 2 runs, 0.5 s. \
            Writes to --out: results.csv and results.json (one row per scheme, size, rate and run), \
            fig5-downtime.svg, fig6-lost-packets.svg, fig7-total-migration-time.svg and report.md (the \
            paper's claims beside what was measured, with computed verdicts). Clocks: the embedded backend \
            runs on the virtual clock only, the linux backend (Open vSwitch, needs root) on the real clock \
            only; other combinations are refused. Schemes that cannot run in this build are left out and \
            named, with the reason, on the terminal and in the report.
            """
    )

    @Option(help: "Where to run: embedded (in-process, no root) or linux (Open vSwitch in namespaces, root).")
    var backend: PaperBackend = .embedded

    @Flag(help: "A small sweep for CI (3 rates, 2 runs per point, 0.5 s of traffic per flow run).")
    var quick = false

    @Option(help: "virtual or real; the default is the backend's own (embedded: virtual, linux: real).")
    var clock: PaperClock?

    @Option(help: "Seed of the first run; run i gets seed + i.")
    var seed: UInt64 = 1

    @Option(help: "Output directory (created if missing).")
    var out: String = "paper-results"

    @Option(help: "Comma-separated schemes to run (default: all four).")
    var schemes: String?

    @Option(help: "Comma-separated data packet rates in packets/s, instead of the sweep's.")
    var rates: String?

    @Option(name: .customLong("repeat"), help: "Runs per point, instead of the sweep's.")
    var repetitions: Int?

    @Flag(
        inversion: .prefixedNo,
        help: "Precede each flow run by the same traffic without migration (default: on for linux, off for embedded).")
    var baseline: Bool?

    func validate() throws {
        _ = try sweep()
        _ = try makeRunner()
    }

    /// The runner, or a usage error when the backend cannot run on the clock asked for.
    func makeRunner() throws -> PaperRunner {
        do {
            return try PaperRunner(
                backend: backend, clock: clock, baseline: baseline ?? (backend == .linux), linuxName: "paper",
                log: { Self.log($0) })
        } catch let error as PaperExperimentError {
            throw ValidationError(error.description)
        }
    }

    func sweep() throws -> PaperSweep {
        var sweep = quick ? PaperSweep.quick(seed: seed) : PaperSweep.full(seed: seed)
        do {
            if let schemes { sweep.schemes = try PaperScheme.list(schemes) }
        } catch let error as PaperExperimentError {
            throw ValidationError("--schemes: \(error)")
        }
        if let rates {
            var parsed: [Double] = []
            for item in rates.split(separator: ",") {
                let text = item.trimmingCharacters(in: .whitespaces)
                guard let rate = Double(text), rate > 0, rate.isFinite else {
                    throw ValidationError("--rates: '\(text)' is not a rate in packets/s above 0")
                }
                parsed.append(rate)
            }
            guard !parsed.isEmpty else { throw ValidationError("--rates: no rate given") }
            sweep.rates = Array(Set(parsed)).sorted()
        }
        if let repetitions {
            guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1, not \(repetitions)") }
            sweep.repetitions = repetitions
        }
        do { try sweep.validate() } catch let error as PaperExperimentError { throw ValidationError("\(error)") }
        return sweep
    }

    func run() async throws {
        let sweep = try self.sweep()
        let runner = try makeRunner()
        let experiment = PaperExperiment(sweep: sweep, backend: backend.rawValue, clock: runner.clock.rawValue)
        for scheme in sweep.schemes {
            if let reason = runner.unavailability(of: scheme) { Self.log("\(scheme): left out: \(reason)") }
        }
        let line = ProgressLine(inPlace: isatty(STDERR_FILENO) == 1)
        let result = try await experiment.run(
            on: runner,
            progress: { progress in FileHandle.standardError.write(Data(line.render(progress).utf8)) })
        if line.inPlace { FileHandle.standardError.write(Data("\n".utf8)) }
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        let written = try PaperOutput.write(result, to: directory)
        print(PaperOutput.summary(result), terminator: "")
        print("\nwrote \(written.map(\.lastPathComponent).joined(separator: ", ")) to \(directory.path)")
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension PaperBackend: ExpressibleByArgument {}
extension PaperClock: ExpressibleByArgument {}
