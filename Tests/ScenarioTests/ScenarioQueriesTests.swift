import Testing

@testable import Scenario

@Suite struct ScenarioQueriesTests {
    @Test func hopsGiveInAndOutPortsAlongThePath() throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example("diamond.yaml"))
        let hops = try #require(scenario.hops(along: ["h1", "s1", "s3", "s4", "h2"]))
        #expect(hops.map(\.kind) == [.host, .switch, .switch, .switch, .host])
        #expect(hops.map { $0.ingress?.port } == [nil, 1, 1, 2, 0])
        #expect(hops.map { $0.egress?.port } == [0, 3, 2, 3, nil])
        #expect(hops.compactMap(\.egressLink) == [0, 2, 4, 5])
        #expect(scenario.hops(along: ["h1", "s1", "s4"]) == nil)
        #expect(scenario.hops(along: ["h1", "nowhere"]) == nil)
    }

    @Test func timelineOrdersMigrationsByTime() throws {
        var scenario = try ScenarioLoader.load(file: ScenarioFiles.example("diamond.yaml"))
        scenario.migrations.reverse()
        #expect(scenario.timeline.map(\.at) == [.seconds(4), .seconds(7)])
    }

    @Test func lookups() throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example("paper-fig4a-router.yaml"))
        #expect(scenario.kind(of: "lan-client") == .switch)
        #expect(scenario.kind(of: "node-a") == .node)
        #expect(scenario.kind(of: "client") == .host)
        #expect(scenario.kind(of: "r1") == nil)
        #expect(scenario.links(of: "node-a").count == 3)
        #expect(scenario.dataLink(between: "node-a", and: "node-b") == nil)
        #expect(scenario.link(named: "migration")?.migration == true)
        #expect(scenario.link(named: "migration")?.peer(of: "node-a")?.node == "node-b")
    }

    @Test func endpointsOfASwitchAreItsPortsInOrder() throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example("diamond.yaml"))
        let ports = scenario.endpoints(of: "s4")
        #expect(ports.map(\.endpoint.port) == [1, 2, 3])
        #expect(ports.map(\.link) == [3, 4, 5])
        #expect(scenario.endpoints(of: "h1").map(\.endpoint.interface) == ["eth0"])
    }

    @Test func reorderingIsABooleanOrAProbability() throws {
        let scenario = try ScenarioLoader.parse(
            yaml: """
                switches:
                  - {name: a, reorder_unconfirmed: true}
                  - {name: b, reorder_unconfirmed: false}
                  - {name: c, reorder_unconfirmed: 25%}
                """)
        #expect(scenario.switches.map(\.reorderUnconfirmed) == [1, 0, 0.25])
    }
}
