import Migration
import Testing

@testable import VNMCommands

/// The workload of `vnm bench migration` does what it measures (its speed is the bench's business).
@Suite struct FlowMigrationBenchmarkTests {
    @Test func detoursHaveTheAskedLength() {
        let (old, new) = FlowMigrationBenchmark.paths(pathLength: 5)
        #expect(old.map(\.description) == ["1:1->2", "100:1->2", "101:1->2", "102:1->2", "2:2->1"])
        #expect(new.map(\.description) == ["1:1->3", "200:1->2", "201:1->2", "202:1->2", "2:3->1"])
    }

    @Test(arguments: [FlowMigrationAlgorithm.consistent, .bulk, .paper])
    func theMigrationCompletesAndMovesEveryEntry(algorithm: FlowMigrationAlgorithm) throws {
        let result = try FlowMigrationBenchmark.run(.init(flows: 5, pathLength: 5, algorithm: algorithm, batchSize: 2))
        #expect(result.outcome == "completed")
        #expect(result.verified, "old branch empty, new branch holds both directions of every flow")
        // Per flow and direction: 3 new switches + the rejoin added, 1 redirected, 3 + 1 deleted.
        #expect(result.flowMods == 5 * 2 * 9)
        #expect(result.simulatedConfirmedMilliseconds != nil)
    }

    @Test func tooShortAPathIsRefused() {
        #expect(throws: FlowMigrationBenchmark.SetupError.self) { try FlowMigrationBenchmark.run(.init(flows: 1, pathLength: 2, algorithm: .consistent)) }
    }
}
