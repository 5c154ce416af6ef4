import Foundation
import Testing

@testable import Scenario

/// Each bad file gives one error naming the file, the line and column of what is wrong, the field
/// path, and what to do about it.
@Suite struct ScenarioValidatorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var line: Int
        var column: Int
        var field: String
        var message: String
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        .init(
            file: "bad-duration", line: 14, column: 14, field: "links[2].latency",
            message: #""2 ms" is not a duration (use e.g. 2ms, 500us)"#),
        .init(
            file: "unknown-key", line: 4, column: 5, field: "links[0].latencey",
            message: "unknown key 'latencey' in links[0] (did you mean 'latency'?)"),
        .init(file: "missing-ip", line: 5, column: 5, field: "hosts[1]", message: "missing required key 'ip'"),
        .init(
            file: "unknown-endpoint", line: 4, column: 23, field: "links[1].endpoints[1]",
            message: "no switch, node or host is named 's3'"),
        .init(
            file: "duplicate-port", line: 5, column: 17, field: "links[2].endpoints[0]",
            message: "port 1 of switch s1 is already linked by links[0] (s1-s2)"),
        .init(
            file: "duplicate-name", line: 5, column: 11, field: "hosts[0].name",
            message: "'client' is already the name of a switch (switches[1].name, line 3)"),
        .init(
            file: "path-gap", line: 17, column: 24, field: "virtual_networks[0].paths[1].nodes[2]",
            message: "no link joins s1 and s4: a path must follow links"),
        .init(
            file: "bad-bandwidth", line: 4, column: 16, field: "links[0].bandwidth",
            message: #""1GB" is not a bandwidth (use e.g. 100Mbps, 1Gbps)"#),
        .init(
            file: "migration-unknown-path", line: 20, column: 30, field: "migrations[0].flows.to",
            message: "tenant has no path named 'lowr' (did you mean 'lower'?)"),
        .init(
            file: "migration-wrong-from", line: 20, column: 19, field: "migrations[0].flows.from",
            message: "at 6s the flows of tenant are on lower, not upper"),
        .init(
            file: "host-unattached", line: 4, column: 5, field: "hosts[1]",
            message: "host h2 is not linked to anything"),
        .init(
            file: "address-outside-prefix", line: 11, column: 17, field: "virtual_networks[0].hosts[1]",
            message: "h2's address 10.0.1.2 is outside the network's prefixes"),
        .init(
            file: "gateway-outside", line: 5, column: 14, field: "hosts[0].gateway",
            message: "10.0.9.1 is not another address in h1's prefix 10.0.0.0/24"),
        .init(
            file: "router-attach-unlinked", line: 12, column: 45,
            field: "virtual_networks[0].routers[0].interfaces[1].attach",
            message: "node-a, where r1 runs, has no link to lan2"),
        .init(
            file: "router-no-migration-link", line: 15, column: 30, field: "migrations[0].router.to",
            message: "no migration link joins node-a and node-b (add a link with migration: true)"),
        .init(
            file: "duplicate-key", line: 3, column: 1, field: "",
            message: "duplicate key 'name' in one mapping (first at line 1)"),
        .init(
            file: "bad-algorithm", line: 22, column: 18, field: "migrations[0].flows.algorithm",
            message: "is not one of paper, consistent, bulk, delete-first (did you mean 'consistent'?)"),
        .init(
            file: "flowspace-overlap", line: 8, column: 7, field: "virtual_networks[2].flowspace",
            message: "overlaps the flowspace of virtual_networks[0] (red)"),
        .init(
            file: "traffic-too-long", line: 14, column: 15, field: "traffic[0].duration",
            message: "the flow would end at 6s, after the scenario (5s)"),
        .init(file: "empty", line: 1, column: 1, field: "", message: "the file is empty"),
        .init(
            file: "migration-link-to-switch", line: 4, column: 25, field: "links[0].endpoints[1]",
            message: "a migration link joins two physical nodes; s1 is a switch"),
        .init(
            file: "flowspace-host-bits", line: 4, column: 31, field: "virtual_networks[0].flowspace.prefixes[1]",
            message: "10.1.2.3/16 has host bits set (did you mean 10.1.0.0/16?)"),
        .init(
            file: "traffic-unknown-host", line: 9, column: 24, field: "traffic[0].to",
            message: "no host is named 'sever' (did you mean 'server'?)"),
        .init(
            file: "node-interface-unknown", line: 6, column: 21, field: "links[0].endpoints[1]",
            message: "node-a has no interface 'eht1' (it has eth0, eth1) (did you mean 'eth1'?)"),
        .init(
            file: "bad-rate", line: 11, column: 11, field: "traffic[0].rate",
            message: #""fast" is not a packet rate (use e.g. 1000pps, 10kpps)"#),
    ]

    @Test(arguments: cases)
    func badFileNamesLineColumnAndField(_ expected: Case) throws {
        let error = try #require(
            ScenarioFiles.error(loading: ScenarioFiles.bad(expected.file)), "\(expected.file) loaded")
        #expect(error.file == ScenarioFiles.bad(expected.file))
        #expect(error.line == expected.line, "\(error)")
        #expect(error.column == expected.column, "\(error)")
        #expect(error.field == expected.field, "\(error)")
        #expect(error.message.contains(expected.message), "\(error)")
        let place = "\(error.file):\(expected.line):\(expected.column): "
        #expect(error.description.hasPrefix(place + (expected.field.isEmpty ? "" : expected.field + ": ")))
    }

    @Test func everyBadFileIsChecked() throws {
        let directory = try #require(
            Bundle.module.url(forResource: "bad", withExtension: nil, subdirectory: "Resources"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files.map { String($0.dropLast(5)) }).subtracting(Self.cases.map(\.file)) == ["yaml-syntax"])
    }

    @Test func invalidYAMLNamesTheLine() throws {
        let error = try #require(ScenarioFiles.error(loading: ScenarioFiles.bad("yaml-syntax")))
        #expect(error.line == 3, "\(error)")
        #expect(error.message.hasPrefix("not valid YAML: "), "\(error)")
    }

    @Test(arguments: [
        ("switches: s1", "switches", "expected a list"),
        ("switches: [{name: s1, tables: 0}]", "switches[0].tables", "0 is out of range (1...254)"),
        ("switches: [{name: s1, tables: many}]", "switches[0].tables", "is not a whole number"),
        ("switches: [{name: 's 1'}]", "switches[0].name", "is not a name"),
        ("duration: 10", "duration", #""10" has no unit (use e.g. 10ms, 10s)"#),
        ("duration: 0s", "duration", "must be longer than 0s"),
        ("clock: wall", "clock", "is not one of virtual, real"),
        ("links: [{endpoints: [a]}]", "links[0].endpoints", "a link has 2 endpoints, found 1"),
        (
            "switches: [s1]\nlinks: [{endpoints: [s1:x, s1:2]}]", "links[0].endpoints[0]",
            "'x' is not a port number of switch s1"
        ),
        ("switches: [s1, s2]\nlinks: [{endpoints: [s1, s2], loss: 150%}]", "links[0].loss", "is not between 0 and 1"),
        ("controller: {apps: [lldp-discovry]}", "controller.apps[0]", "(did you mean 'lldp-discovery'?)"),
        ("controller: {listen: 6653}", "controller.listen", "is not HOST:PORT"),
        ("hosts: [{name: h, ip: 10.0.0.1}]", "hosts[0].ip", "has no prefix length (use e.g. 10.0.0.1/24)"),
        ("hosts: [{name: h, ip: 10.0.0.1/24, mac: 02:00}]", "hosts[0].mac", "is not a MAC address"),
        ("migrations: [{at: 1s}]", "migrations[0]", "a migration needs 'flows' or 'router'"),
        ("probes: [{interval: 1s}]", "probes[0]", "a probe needs one of flow, ping, adjacency, link"),
        ("virtual_networks: [{name: v, mode: slice}]", "virtual_networks[0].flowspace", "a slice needs a flowspace"),
        (
            "virtual_networks: [{name: v, controller: '127.0.0.1:7000'}]", "virtual_networks[0].controller",
            "needs mode: slice"
        ),
        ("- a\n- b", "", "expected a mapping"),
    ])
    func inlineMistakes(yaml: String, field: String, message: String) throws {
        let error = try #require(ScenarioFiles.error(parsing: yaml), "\(yaml) loaded")
        #expect(error.field == field, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.line >= 1, "\(error)")
    }
}
