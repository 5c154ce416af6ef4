import Foundation
import Testing

@testable import VNMCommands

@Suite struct ExperimentCommandTests {
    @Test func flowMigrationRunsOnTheEmbeddedBackend() throws {
        let result = try VNMExecutableTests.run([
            "experiment", "flow-migration", "--backend", "embedded", "--algorithm", "consistent", "--rate", "2000",
            "--duration", "1", "--json",
        ])
        #expect(result.status == 0, "\(result.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["backend"] as? String == "embedded")
        #expect(object["total_migration_ms"] != nil)
    }
}
