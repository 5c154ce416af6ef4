import Foundation
import Testing

@testable import Controller

@Suite struct SlicingConfigurationTests {
    func parse(_ text: String) throws(SlicingConfigurationError) -> SlicingConfiguration {
        try SlicingConfiguration(json: Data(text.utf8))
    }

    func error(_ text: String) -> SlicingConfigurationError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidFileGivesEachNetworkItsFlowspacePortsAndController() throws {
        let configuration = try parse(
            """
            {"networks": [
              {"name": "red", "flowspace": {"vlan": 10}, "controller": "127.0.0.1:6634",
               "nodes": [{"name": "r1", "switch": 1, "ports": [1]}, {"name": "r2", "switch": "0x2", "ports": [1]}],
               "links": [{"from": "r1", "to": "r2", "ports": ["1:3", "2:3"]}]},
              {"name": "blue", "flowspace": {"ipv4": ["10.2.0.0/16"]}, "controller": "localhost:6635",
               "nodes": [{"name": "b1", "switch": 1, "ports": [2]}]}
            ]}
            """)
        #expect(configuration.tenants.count == 2)
        let red = configuration.tenants[0]
        #expect(red.network == Slices.red)
        #expect(red.controllerHost == "127.0.0.1" && red.controllerPort == 6634)
        #expect(configuration.tenants[1].network.flowspace == .ipv4([IPv4Prefix("10.2.0.0/16")!]))
        #expect(configuration.tenants[1].controllerHost == "localhost")
    }

    static let node = #""nodes": [{"name": "n", "switch": 1, "ports": [1]}]"#

    @Test(arguments: [
        (#"{"networks": []}"#, "networks"),
        (#"{"nets": []}"#, "networks"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 5000}, "controller": "h:1", \#(node)}]}"#, "networks[0].flowspace.vlan"),
        (#"{"networks": [{"name": "a", "flowspace": {"ipv4": ["10.1.0.1/16"]}, "controller": "h:1", \#(node)}]}"#, "networks[0].flowspace.ipv4[0]"),
        (#"{"networks": [{"name": "a", "flowspace": {"mpls": 1}, "controller": "h:1", \#(node)}]}"#, "networks[0].flowspace.mpls"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "nohost", \#(node)}]}"#, "networks[0].controller"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "h:1"}]}"#, "networks[0].nodes"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "h:1", "nodes": [{"name": "n", "switch": "x", "ports": [1]}]}]}"#, "networks[0].nodes[0].switch"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "h:1", "nodes": [{"name": "n", "switch": 1, "ports": [0]}]}]}"#, "networks[0].nodes[0].ports[0]"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "h:1", \#(node), "links": [{"from": "n", "to": "m", "ports": []}]}]}"#, "networks[0].links[0].to"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "h:1", \#(node), "colour": 1}]}"#, "networks[0].colour"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "h:1", \#(node)}, {"name": "b", "flowspace": {"vlan": 1}, "controller": "h:2", \#(node)}]}"#, "networks[1].flowspace"),
        (#"{"networks": [{"name": "a", "flowspace": {"vlan": 1}, "controller": "h:1", \#(node)}, {"name": "a", "flowspace": {"vlan": 2}, "controller": "h:2", \#(node)}]}"#, "networks[1].name"),
    ])
    func badInputNamesTheField(text: String, field: String) throws {
        let found = try #require(error(text), "accepted: \(text)")
        #expect(found.field == field, "\(found)")
        #expect(!found.problem.isEmpty)
    }

    @Test func theExampleFileInScenariosIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("scenarios/slicing.json"))
        let configuration = try SlicingConfiguration(json: data)
        #expect(configuration.tenants.map(\.network.name) == ["red", "blue"])
        #expect(configuration.tenants.map(\.network.ports.count) == [4, 4])
    }

    @Test func notJSONAtAll() {
        #expect(error("networks: [")?.problem.contains("JSON") == true)
    }
}
