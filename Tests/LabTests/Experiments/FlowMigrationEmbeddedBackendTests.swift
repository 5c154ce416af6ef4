import Lab
import Migration
import NIOCore
import Testing

/// The flow-migration experiment on the embedded diamond (virtual clock).
@Suite struct FlowMigrationEmbeddedBackendTests {
    static func run(_ algorithm: FlowMigrationAlgorithm) async throws -> FlowMigrationResult {
        let backend = FlowMigrationEmbeddedBackend()
        let result = try await FlowMigrationExperiment.run(
            .init(algorithm: algorithm, rate: 5000, duration: .seconds(1)), on: backend)
        await backend.tearDown()
        return result
    }

    @Test func consistentLosesNothingAndTheFirstProbeCrossesTheNewPath() async throws {
        let result = try await Self.run(.consistent)
        #expect(result.migration.probe.sent == 5000)
        #expect(result.migration.probe.lost == 0)
        #expect(result.baseline?.probe.lost == 0)
        let total = try #require(result.totalMigrationMilliseconds)
        #expect(total > 0 && total < 50)
        #expect(result.confirmedMilliseconds != nil)
    }

    @Test func deleteFirstLosesPackets() async throws {
        let result = try await Self.run(.deleteFirst)
        #expect(result.migration.probe.lost > 0)
        #expect(result.baseline?.probe.lost == 0)
    }

    @Test func theOldPathIsInstalledBeforeTheTrials() async throws {
        let backend = FlowMigrationEmbeddedBackend()
        let request = try await backend.prepare(flows: 1)
        try await backend.installOldPath(request)
        let tables = try await backend.flowTables()
        // s3 is only on the new path: ARP and the flow use s1, s2, s4.
        #expect(tables[3]?.isEmpty == true)
        #expect(tables[2]?.filter { $0.contains("cookie=0xf10") }.count == 2)
        #expect(tables[1]?.contains { $0.contains("cookie=0xf10") && $0.contains("in_port=1") && $0.hasSuffix("output:2") } == true)
    }
}
