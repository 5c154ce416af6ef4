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
        #expect(result.err.contains("s of 10.0 s (virtual)"))
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

    @Test func theRealClockIsRefusedClearly() throws {
        let result = try VNMExecutableTests.run(
            ["lab", "run", LabCommandTests.example("diamond.yaml"), "--clock", "real"])
        #expect(result.status == 1)
        #expect(result.err.contains("not supported yet"))
        #expect(result.err.contains("real clock"))
    }
}
