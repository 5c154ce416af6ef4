import Foundation
import Testing

@testable import VNMCommands

@Suite struct LabRunTests {
    @Test func runPrintsASummaryWithTheFlowAndTheMigrations() throws {
        let result = try VNMExecutableTests.run(["lab", "run", LabCommandTests.example("diamond.yaml")])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("diamond: ran 10.000 s on the virtual clock, seed 7"))
        #expect(result.out.contains("flow h1-to-h2 (h1 -> h2): sent 80000"))
        #expect(result.out.contains("(consistent): completed, total_migration_ms"))
        #expect(result.err.contains("s of 10.0 s (virtual clock)"))
    }

    @Test func runJSONIsTheSameForTheSameSeedAndHasTheMeasuredKeys() throws {
        let file = LabCommandTests.example("paper-fig4b-openflow.yaml")
        let first = try VNMExecutableTests.run(["lab", "run", file, "--json", "--seed", "5"])
        let second = try VNMExecutableTests.run(["lab", "run", file, "--json", "--seed", "5"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out == second.out)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any])
        #expect(object["seed"] as? Int == 5)
        let flow = try #require((object["flows"] as? [[String: Any]])?.first)
        #expect(flow["sent"] as? Int == 8000)
        #expect(flow["longest_gap_ms"] != nil)
        let migration = try #require((object["migrations"] as? [[String: Any]])?.first)
        #expect(migration["total_migration_ms"] != nil)
        #expect(migration["confirmed_ms"] != nil)
        #expect((migration["flow_mods"] as? Int ?? 0) > 0)
    }

    @Test func theRealClockRunsAScenarioInWallClockTime() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vnm-real-clock-\(getpid()).yaml")
        try ScenarioRunnerExamples.shortDiamond.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let started = ContinuousClock.now
        let result = try VNMExecutableTests.run(["lab", "run", file.path, "--clock", "real", "--json"])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 0, "\(result.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["clock"] as? String == "real")
        let flow = try #require((object["flows"] as? [[String: Any]])?.first)
        #expect(flow["sent"] as? Int == 500)
        // A consistent migration on the real clock: the new path carries the flow, nothing lost.
        #expect(flow["lost"] as? Int == 0)
        let migration = try #require((object["migrations"] as? [[String: Any]])?.first)
        #expect(migration["outcome"] as? String == "completed")
        #expect(migration["total_migration_ms"] != nil)
        // The scenario lasts 2 s of wall-clock time (the virtual clock would take a few ms).
        #expect(elapsed >= .seconds(2))
    }
}

/// Small scenarios for the command tests.
enum ScenarioRunnerExamples {
    /// A diamond with one consistent migration, 2 s long.
    static let shortDiamond = """
        name: short-diamond
        duration: 2s
        seed: 3
        switches: [s1, s2, s3, s4]
        hosts:
          - {name: h1, ip: 10.0.0.1/24}
          - {name: h2, ip: 10.0.0.2/24}
        links:
          - endpoints: [h1, s1:1]
          - endpoints: [s1:2, s2:1]
          - endpoints: [s1:3, s3:1]
          - endpoints: [s2:2, s4:1]
          - endpoints: [s3:2, s4:2]
          - endpoints: [s4:3, h2]
        controller:
          apps: [lldp-discovery]
        virtual_networks:
          - name: tenant
            hosts: [h1, h2]
            paths:
              upper: [h1, s1, s2, s4, h2]
              lower: [h1, s1, s3, s4, h2]
        traffic:
          - {name: data, from: h1, to: h2, rate: 500pps, size: 64B, start: 500ms, duration: 1s}
        migrations:
          - at: 1s
            flows: {network: tenant, from: upper, to: lower, algorithm: consistent}
        """
}
