import Foundation
import Testing

@testable import VNMCommands

@Suite struct PaperExperimentCommandTests {
    /// `vnm experiment paper --quick`, the command a newcomer runs first, end to end: every
    /// scheme this build can run, the files, the table and the verdicts.
    @Test func quickWritesTheResultsFiguresAndReport() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("paperexp-cmd-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let started = Date()
        let result = try VNMExecutableTests.run(["experiment", "paper", "--quick", "--seed", "3", "--out", out.path])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.err)")
        print("vnm experiment paper --quick took \(String(format: "%.1f", seconds)) s")
        for name in [
            "results.csv", "results.json", "fig5-downtime.svg", "fig6-lost-packets.svg", "fig7-total-migration-time.svg",
            "report.md",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "missing \(name)")
        }
        let csv = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first?.hasPrefix("scheme,size,rate,run,") == true)
        let flowRows = lines.filter { $0.hasPrefix("flows-") }
        #expect(flowRows.count == 24, "2 schemes × 2 sizes × 3 rates × 2 runs")
        #expect(result.out.contains("flows-consistent"))
        #expect(result.out.contains("consistent-lossless: HOLDS"))
        #expect(result.out.contains("wrote results.csv"))
        #expect(result.err.contains("[24/") || result.err.contains("/24]") || result.err.contains("/48]"), "\(result.err)")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("## The paper's claims"))
        let routerRows = lines.filter { $0.hasPrefix("router-") }
        if routerRows.isEmpty {
            #expect(result.err.contains("router-standard: left out"))
            #expect(report.contains("**router-standard was not run**"))
        }
    }

    @Test func realClockOnTheEmbeddedBackendIsRefusedClearly() throws {
        let result = try VNMExecutableTests.run(["experiment", "paper", "--quick", "--clock", "real", "--out", "/nonexistent"])
        #expect(result.status != 0)
        #expect(result.err.contains("--clock real is not supported with --backend embedded"), "\(result.err)")
    }

    @Test func badSweepOptionsNameTheOption() throws {
        #expect(throws: (any Error).self) { try PaperExperimentCommand.parse(["--rates", "1000,fast"]) }
        #expect(throws: (any Error).self) { try PaperExperimentCommand.parse(["--schemes", "xen"]) }
        let command = try PaperExperimentCommand.parse(["--quick", "--rates", "3000,1000", "--repeat", "1"])
        let sweep = try command.sweep()
        #expect(sweep.rates == [1000, 3000])
        #expect(sweep.repetitions == 1)
        #expect(sweep.flowTrafficSeconds == 0.5)
    }
}
