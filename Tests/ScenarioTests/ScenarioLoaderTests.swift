import Foundation
import NetworkAddresses
import Testing

@testable import Scenario

@Suite struct ScenarioLoaderTests {
    @Test(arguments: ScenarioFiles.exampleNames)
    func everyExampleLoadsAndValidates(name: String) throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example(name))
        #expect(scenario.name + ".yaml" == name)
        #expect(!scenario.links.isEmpty)
        #expect(!scenario.traffic.isEmpty)
        #expect(!scenario.migrations.isEmpty)
    }

    @Test func everyYAMLFileInScenariosIsTested() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ScenarioFiles.examples.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ScenarioFiles.exampleNames.sorted())
    }

    /// model → JSON → model gives the same model, through JSONDecoder and through the YAML reader
    /// (JSON is YAML: `vnm lab show --json` output loads as a scenario).
    @Test(arguments: ScenarioFiles.exampleNames)
    func jsonRoundTrip(name: String) throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example(name))
        let json = ScenarioLoader.json(scenario)
        let decoded = try JSONDecoder().decode(Scenario.self, from: Data(json.utf8))
        #expect(decoded == scenario)
        let reread = try ScenarioLoader.parse(yaml: json, file: name)
        #expect(reread == scenario)
        #expect(ScenarioLoader.json(reread) == json)
    }

    @Test func diamondDecodes() throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example("diamond.yaml"))
        #expect(scenario.duration == .seconds(10))
        #expect(scenario.seed == 7)
        #expect(scenario.clock == .virtual)
        #expect(scenario.switches.map(\.name) == ["s1", "s2", "s3", "s4"])
        #expect(scenario.switches.map(\.dpid) == [1, 2, 3, 4])
        #expect(scenario.switches[0].flowModDelay == .milliseconds(1))
        #expect(scenario.switches[2].reorderUnconfirmed == 0.2)
        #expect(scenario.switches[1].tables == 8)
        #expect(scenario.hosts.map(\.name) == ["h1", "h2"])
        #expect(scenario.hosts[0].mac == MACAddress(0x02, 0x00, 10, 0, 0, 1))
        #expect(scenario.links.count == 6)
        #expect(scenario.links[2].latency == .milliseconds(2))
        #expect(scenario.links[4].bandwidth == .megabits(100))
        #expect(scenario.links[0].bandwidth == .gigabits(1))
        #expect(scenario.links[1].name == "s1-s2")
        #expect(scenario.links[0].a == .init(node: "h1", kind: .host, port: 0, interface: "eth0"))
        #expect(scenario.links[0].b == .init(node: "s1", kind: .switch, port: 1, interface: "s1-eth1"))
        let network = try #require(scenario.virtualNetworks.first)
        #expect(network.paths.map(\.name) == ["upper", "lower"])
        #expect(network.initialPath == "upper")
        #expect(network.apps == ["client-server-flows"])
        #expect(scenario.traffic[0].rate == Scenario.PacketRate(packetsPerSecond: 10_000))
        #expect(scenario.traffic[0].network == "tenant")
        #expect(scenario.traffic[0].packetCount == 80_000)
        // The second migration's `from` is the path the first one left the flows on.
        guard case .flows(let first) = scenario.migrations[0].action,
            case .flows(let second) = scenario.migrations[1].action
        else {
            Issue.record("expected two flow migrations")
            return
        }
        #expect(first.algorithm == .consistent)
        #expect(second.from == "lower")
        #expect(second.to == "upper")
        #expect(second.algorithm == .paper)
        #expect(scenario.probes.map(\.name) == ["flow-h1-to-h2", "link-s1-s2"])
        #expect(scenario.probes[0].interval == .milliseconds(500))
    }

    @Test func fig4bHasTwoPathsFromClientToServer() throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example("paper-fig4b-openflow.yaml"))
        let network = try #require(scenario.network(named: "vnet"))
        let pathA = try #require(network.path(named: "via-a"))
        let pathB = try #require(network.path(named: "via-b"))
        let viaA = try #require(scenario.hops(along: pathA))
        let viaB = try #require(scenario.hops(along: pathB))
        #expect(viaA.map(\.node) == ["client", "client-sw", "switch-a", "server-sw", "server"])
        #expect(viaA[1].ingress?.port == 1)
        #expect(viaA[1].egress?.port == 2)
        #expect(viaB[1].egress?.port == 3)
        #expect(viaB[3].ingress?.port == 3)
        #expect(viaB[3].egress?.port == 1)
        #expect(viaA.first?.ingress == nil && viaA.last?.egress == nil)
        guard case .flows(let migration) = scenario.migrations[0].action else {
            Issue.record("expected a flow migration")
            return
        }
        #expect(migration.algorithm == .paper)
        #expect(migration.from == "via-a" && migration.to == "via-b")
        #expect(scenario.migrations[0].at == .seconds(5))
    }

    @Test func fig4aRouterMigratesOverTheMigrationLink() throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example("paper-fig4a-router.yaml"))
        #expect(scenario.nodes.map(\.name) == ["client-edge", "node-a", "node-b", "server-edge"])
        let migrationLink = try #require(scenario.migrationLink(between: "node-a", and: "node-b"))
        #expect(scenario.links[migrationLink].name == "migration")
        #expect(scenario.links[migrationLink].a.interface == "eth2")
        let (network, router) = try #require(scenario.router(named: "r1"))
        #expect(network.name == "vnet")
        #expect(router.on == "node-a")
        #expect(router.routerID == IPv4Address(10, 255, 0, 1))
        #expect(router.ospf.dead == .seconds(4))
        #expect(router.vm.memory == .mebibytes(128))
        #expect(router.vm.pages == 32768)
        // Router ids default to the highest interface address.
        #expect(scenario.router(named: "r-client")?.router.routerID == IPv4Address(10, 0, 12, 1))
        // The same attachment point binds r1's interfaces on either node.
        #expect(scenario.interface(of: "node-a", toward: "lan-client")?.interface == "eth0")
        #expect(scenario.interface(of: "node-b", toward: "lan-server")?.interface == "eth1")
        guard case .router(let migration) = scenario.migrations[0].action else {
            Issue.record("expected a router migration")
            return
        }
        #expect(migration.from == "node-a" && migration.to == "node-b")
        #expect(migration.scheme == .planeSeparated)
        #expect(migration.bandwidth == .gigabits(1))
        #expect(migration.maxRounds == 30)
        #expect(network.links.map(\.path) == ["r-client-r1", "r1-r-server"])
        // Node interfaces listed in the file keep their order; MACs are derived and distinct.
        let nodeA = try #require(scenario.node(named: "node-a"))
        #expect(nodeA.interfaces.map(\.name) == ["eth0", "eth1", "eth2"])
        #expect(nodeA.interfaces[2].ip == Scenario.Prefix(parsing: "172.16.0.1/30"))
        #expect(Set(nodeA.interfaces.map(\.mac)).count == 3)
    }

    @Test func fatTreeHasTheSizesOfAK4FatTree() throws {
        let scenario = try ScenarioLoader.load(file: ScenarioFiles.example("fat-tree-k4.yaml"))
        #expect(scenario.switches.count == 20)
        #expect(scenario.hosts.count == 16)
        #expect(scenario.links.count == 48)
        #expect(scenario.virtualNetworks.map(\.mode) == [.slice, .slice])
        #expect(scenario.switches[0].dpid == 0x100)
        #expect(scenario.controller.listen == "127.0.0.1:6653")
        // Every switch port is used once and every core switch has one link per pod.
        for item in scenario.switches where item.name.hasPrefix("core") {
            #expect(scenario.links(of: item.name).count == 4)
        }
    }

    @Test func autoPortsTakeTheLowestFreeNumberAfterWrittenOnes() throws {
        let scenario = try ScenarioLoader.parse(
            yaml: """
                switches: [s1, s2]
                nodes: [n1]
                hosts: [{name: h1, ip: 10.0.0.1/24}]
                links:
                  - endpoints: [s1, s2]
                  - endpoints: [s1:1, h1]
                  - endpoints: [s1, n1]
                  - endpoints: [s2, n1]
                  - endpoints: [s1, s2]
                """, file: "auto.yaml")
        #expect(scenario.name == "auto")
        #expect(scenario.links.map(\.a.port) == [2, 1, 3, 2, 4])
        #expect(scenario.links.map(\.b.port) == [1, 0, 0, 1, 3])
        #expect(scenario.links.map(\.b.interface) == ["s2-eth1", "eth0", "eth0", "eth1", "s2-eth3"])
        #expect(scenario.links.map(\.name) == ["s1-s2", "s1-h1", "s1-n1", "s2-n1", "s1-s2-2"])
        #expect(scenario.node(named: "n1")?.interfaces.map(\.name) == ["eth0", "eth1"])
    }

    @Test func defaultsAreFilledIn() throws {
        let scenario = try ScenarioLoader.parse(
            yaml: """
                switches: [s1]
                hosts:
                  - {name: a, ip: 10.0.0.1/24}
                  - {name: b, ip: 10.0.0.2/24}
                links:
                  - endpoints: [a, s1]
                  - endpoints: [b, s1]
                traffic:
                  - {from: a, to: b, rate: 100, start: 2s}
                """)
        #expect(scenario.name == "scenario")
        #expect(scenario.duration == .seconds(10))
        #expect(scenario.seed == 1)
        #expect(scenario.clock == .virtual)
        #expect(scenario.controller == Scenario.Controller())
        #expect(scenario.links[0].latency == .microseconds(100))
        #expect(scenario.links[0].queue == 1000)
        #expect(scenario.links[0].loss == 0)
        #expect(scenario.switches[0].failMode == .secure)
        #expect(scenario.switches[0].openflow == .of13)
        let flow = scenario.traffic[0]
        #expect(flow.name == "flow1")
        #expect(flow.size == Scenario.ByteCount(bytes: 64))
        #expect(flow.duration == .seconds(8))
        #expect(flow.port == 5001)
        #expect(flow.network == nil)
    }

    @Test func aBuiltScenarioIsValidatedWithoutPositions() {
        var scenario = Scenario(name: "built")
        scenario.switches = [.init(name: "s1", dpid: 1), .init(name: "s2", dpid: 1)]
        do {
            try ScenarioLoader.validate(scenario)
            Issue.record("two switches with one dpid passed")
        } catch {
            #expect(error.field == "switches[1].dpid")
            #expect(error.line == 0)
            #expect(error.description == "built: switches[1].dpid: dpid 1 is already that of s1")
        }
    }
}
