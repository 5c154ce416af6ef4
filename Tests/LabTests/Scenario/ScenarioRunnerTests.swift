import Foundation
import NIOCore
@testable import Lab
import Scenario
import Testing

@Suite struct ScenarioRunnerTests {
    static var scenarios: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: scenarios.appendingPathComponent(name), encoding: .utf8)
    }

    static func run(_ yaml: String, seed: UInt64? = nil) throws -> ScenarioRunResult {
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        return try ScenarioRunner(scenario, options: .init(seed: seed)).run()
    }

    static func json(_ result: ScenarioRunResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    /// The diamond with no migration: every probe arrives.
    static let quietDiamond = """
        name: quiet-diamond
        duration: 3s
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
          apps: []
        virtual_networks:
          - name: tenant
            hosts: [h1, h2]
            paths:
              upper: [h1, s1, s2, s4, h2]
              lower: [h1, s1, s3, s4, h2]
        traffic:
          - {name: data, from: h1, to: h2, rate: 1000pps, size: 64B, start: 1s, duration: 1s}
        """

    @Test func aDiamondWithoutMigrationDeliversEveryProbe() throws {
        let result = try Self.run(Self.quietDiamond)
        let flow = try #require(result.flows.first)
        #expect(flow.report.sent == 1000)
        #expect(flow.report.received == 1000)
        #expect(flow.report.lost == 0)
        #expect(result.migrations.isEmpty)
    }

    @Test func theSameScenarioAndSeedGiveIdenticalJSON() throws {
        let yaml = try Self.text("diamond.yaml")
        let result = try Self.run(yaml)
        let first = try Self.json(result)
        let second = try Self.json(Self.run(yaml))
        #expect(first == second)
        #expect(result.migrations.count == 2)
        #expect(result.migrations.allSatisfy { $0.outcome == "completed" })
        #expect(result.migrations.allSatisfy { $0.totalMigrationMilliseconds != nil })
        // The second migration is the paper's unconfirmed order: s3's entries are deleted while
        // probes are still on the 2 ms s1-s3 link, so some are lost.
        #expect((result.flows.first?.report.lost ?? 0) > 0)
        #expect(result.links.map(\.name) == ["s1-s2"])
    }

    @Test func theDiamondWithConsistentMigrationsBothWaysLosesNothing() throws {
        let yaml = try Self.text("diamond.yaml").replacingOccurrences(
            of: "algorithm: paper}", with: "algorithm: consistent}")
        let result = try Self.run(yaml)
        let flow = try #require(result.flows.first)
        #expect(flow.report.sent == 80000)
        #expect(flow.report.lost == 0)
        #expect(result.migrations.map(\.algorithm) == ["consistent", "consistent"])
        #expect(result.migrations.map(\.newPathLink) == ["s1-s3", "s1-s2"])
    }

    @Test func aConsistentMigrationOfTheFig4bTestbedLosesNothing() throws {
        let yaml = try Self.text("paper-fig4b-openflow.yaml").replacingOccurrences(
            of: "algorithm: paper", with: "algorithm: consistent")
        let result = try Self.run(yaml)
        let flow = try #require(result.flows.first)
        let migration = try #require(result.migrations.first)
        #expect(flow.report.sent == 8000)
        #expect(flow.report.lost == 0)
        #expect(migration.outcome == "completed")
        #expect(migration.algorithm == "consistent")
        let total = try #require(migration.totalMigrationMilliseconds)
        #expect(total > 0 && total < 100)
        #expect(migration.confirmedMilliseconds != nil)
        #expect((migration.flowMods ?? 0) > 0)
    }

    @Test func aDeleteFirstMigrationLosesPackets() throws {
        let yaml = try Self.text("paper-fig4b-openflow.yaml").replacingOccurrences(
            of: "algorithm: paper", with: "algorithm: delete-first")
        let result = try Self.run(yaml)
        let flow = try #require(result.flows.first)
        #expect(flow.report.lost > 0)
        #expect(result.migrations.first?.outcome == "completed")
    }

    @Test func theRouterTestbedIsRefusedAsNotSupported() throws {
        let scenario = try ScenarioLoader.load(file: Self.scenarios.appendingPathComponent("paper-fig4a-router.yaml").path)
        #expect(throws: ScenarioRunError.self) { try ScenarioRunner(scenario).run() }
    }

    @Test func theRealClockDeliversEveryProbeOfAQuietDiamond() async throws {
        let yaml = Self.quietDiamond.replacingOccurrences(of: "duration: 3s", with: "duration: 1500ms")
            .replacingOccurrences(of: "start: 1s, duration: 1s", with: "start: 200ms, duration: 1s")
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        let result = try await ScenarioRunner.run(scenario, options: .init(clock: .real))
        #expect(result.clock == "real")
        let flow = try #require(result.flows.first)
        #expect(flow.report.sent == 1000)
        #expect(flow.report.received == 1000)
        #expect(flow.report.lost == 0)
    }

    @Test func theSynchronousRunnerRefusesTheRealClock() throws {
        let scenario = try ScenarioLoader.parse(yaml: Self.quietDiamond)
        #expect(throws: ScenarioRunError.self) { try ScenarioRunner(scenario, options: .init(clock: .real)) }
    }

    @Test func lldpDiscoveryRunsAndItsFramesDoNotCountAsTheNewPathsFirstPacket() throws {
        // Fig. 4b names lldp-discovery: its LLDP frames cross the new path's links every second
        // before the migration, yet the total migration time is that of the first IPv4 packet.
        let yaml = try Self.text("paper-fig4b-openflow.yaml").replacingOccurrences(
            of: "algorithm: paper", with: "algorithm: consistent")
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        #expect(scenario.controller.apps.contains("lldp-discovery"))
        let withLLDP = try ScenarioRunner(scenario)
        let result = try withLLDP.run()
        var quiet = scenario
        quiet.controller.apps = []
        let withoutLLDP = try ScenarioRunner(quiet)
        let quietResult = try withoutLLDP.run()
        func delivered(_ runner: ScenarioRunner) -> UInt64 {
            runner.network.links.values.map(\.totalCounters.delivered).reduce(0, +)
        }
        // LLDP frames crossed the links...
        #expect(delivered(withLLDP) > delivered(withoutLLDP))
        #expect(!result.notes.contains { $0.contains("lldp-discovery") })
        // ...and did not count as the first packet on the new path.
        let total = try #require(result.migrations.first?.totalMigrationMilliseconds)
        #expect(total > 0 && total < 100)
        #expect(total == quietResult.migrations.first?.totalMigrationMilliseconds)
        #expect(result.flows.first?.report.lost == 0)
    }

    @Test func anIPv4FrameIsRecognisedUntaggedAndTagged() {
        var untagged = ByteBuffer(repeating: 0, count: 14)
        untagged.setInteger(UInt16(0x0800), at: 12)
        var tagged = ByteBuffer(repeating: 0, count: 18)
        tagged.setInteger(UInt16(0x8100), at: 12)
        tagged.setInteger(UInt16(0x0800), at: 16)
        var lldp = ByteBuffer(repeating: 0, count: 14)
        lldp.setInteger(UInt16(0x88CC), at: 12)
        #expect(ScenarioRunner.isIPv4(untagged))
        #expect(ScenarioRunner.isIPv4(tagged))
        #expect(!ScenarioRunner.isIPv4(lldp))
        #expect(!ScenarioRunner.isIPv4(ByteBuffer(repeating: 0, count: 4)))
    }

    @Test func pingProbesMeasureRoundTripsAndTimeouts() throws {
        let yaml = Self.quietDiamond.replacingOccurrences(
            of: "  - endpoints: [s4:3, h2]", with: "  - {endpoints: [s4:3, h2], latency: 5ms}")
            + """

            probes:
              - ping: {from: h1, to: h2}
                interval: 500ms
            """
        let result = try Self.run(yaml)
        let ping = try #require(result.pings.first)
        // Every 500 ms while a reply can still arrive before the 3 s end: 6 requests.
        #expect(ping.sent == 6)
        #expect(ping.replies + ping.timeouts == ping.sent)
        #expect(ping.replies >= 5)
        // Each way crosses the 5 ms link once: at least 10 ms.
        let median = try #require(ping.rttMedianMilliseconds)
        #expect(median >= 10 && median < 11)
        #expect(!result.notes.contains { $0.contains("ping") })
    }

    @Test func aPingWithNoInstalledPathTimesOut() throws {
        // Without a virtual network nothing installs a path: the switches drop the pings.
        var scenario = try ScenarioLoader.parse(yaml: Self.quietDiamond)
        scenario.virtualNetworks = []
        scenario.traffic = []
        scenario.probes = [.init(name: "p", target: .ping(from: "h1", to: "h2"), interval: .milliseconds(500))]
        let result = try ScenarioRunner(scenario).run()
        let ping = try #require(result.pings.first)
        #expect(ping.sent == 6)
        #expect(ping.replies == 0)
        #expect(ping.timeouts == 6)
        #expect(ping.rttMedianMilliseconds == nil)
    }
}
