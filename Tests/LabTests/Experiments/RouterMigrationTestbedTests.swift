import Migration
import NIOCore
import Routing
import Testing

@testable import Lab

@Suite struct RouterMigrationTestbedTests {
    @Test func ospfReachesFullThroughTheEmbeddedTestbedAndRoutesTheHosts() throws {
        let testbed = try RouterMigrationTestbed(.init(scheme: .planeSeparated, memoryPages: 1024))
        let convergedAt = try testbed.waitForConvergence(timeout: .seconds(30))
        #expect(convergedAt < .uptimeNanoseconds(15_000_000_000))
        let r1 = try #require(testbed.nodeA.daemon("r1"))
        #expect(r1.neighbors.map(\.state) == [.full, .full])
        // The RIB reached the shared data planes.
        #expect(testbed.clientEdge.node.dataPlane["r-client"]?.fib.lookup(RouterMigrationTestbed.serverAddress)?.interface == 1)
        #expect(testbed.nodeA.node.dataPlane["r1"]?.fib.lookup(RouterMigrationTestbed.serverAddress)?.interface == 1)
        #expect(testbed.nodeA.node.machine("r1")?.lookup(RouterMigrationTestbed.clientAddress)?.interface == 0)
        try testbed.primeForwarding()
        #expect(testbed.nodeA.dataForwarded("r1") > 0)
        #expect(testbed.nodeB.dataForwarded("r1") == 0)
        // Control packets to r1 arrive, and quickly.
        let summary = testbed.controlSummary(from: .uptimeNanoseconds(0), to: testbed.simulator.now)
        #expect(summary.sent > 10 && summary.lost == 0)
    }

    @Test func afterAMigrationNodeBForwardsAndTheBridgesLearntTheMove() throws {
        let testbed = try RouterMigrationTestbed(.init(scheme: .planeSeparated, memoryPages: 1024))
        try testbed.waitForConvergence()
        try testbed.primeForwarding()
        let migration = testbed.migration()
        try migration.start()
        testbed.simulator.run(for: .milliseconds(500))
        #expect(migration.migration.phase == .completed)
        #expect(testbed.routerNode === testbed.nodeB)
        #expect(testbed.nodeB.daemon("r1") != nil && testbed.nodeA.daemon("r1") == nil)
        #expect(testbed.nodeA.node.dataPlane["r1"] == nil)
        try testbed.primeForwarding()
        #expect(testbed.nodeB.dataForwarded("r1") > 0)
        #expect(testbed.lanClient.port(of: RouterMigrationTestbed.r1MAC(0)) == 3)
        #expect(testbed.lanServer.port(of: RouterMigrationTestbed.r1MAC(1)) == 2)
        testbed.simulator.run(for: .seconds(6))
        #expect(testbed.adjacencyDrops == 0, "\(testbed.adjacencyChanges)")
        #expect(testbed.nodeB.daemon("r1")?.neighbors.map(\.state) == [.full, .full])
    }
}
