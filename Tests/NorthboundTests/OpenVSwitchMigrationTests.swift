import Controller
import Foundation
import Hummingbird
import HummingbirdTesting
import LinuxTestbed
import Migration
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Northbound

/// `POST /v1/migrations` over real HTTP against the paper's diamond on real Open vSwitch
/// bridges: a completed migration is what `ovs-ofctl dump-flows` shows, and Open vSwitch's own
/// refusal (a full flow table) rolls the migration back with a 409.
@Suite("REST API migrations on Open vSwitch", .serialized)
struct OpenVSwitchMigrationTests {
    static let forward: [OXMField] = [.ethType(0x0800), .ipProto(17), .ipv4Src(IPv4Address(10, 0, 0, 1)), .ipv4Dst(IPv4Address(10, 0, 0, 2))]

    @Test func aMigrationMovesTheFlowOnOpenVSwitchAndARefusalRollsItBack() async throws {
        // Throws a TestbedError naming what to install if Open vSwitch is missing: never skips.
        let testbed = try Testbed(name: "flowmignb")
        defer { testbed.tearDown() }
        let bridges = try await blocking { () -> [UInt64: Bridge] in
            try testbed.startOpenVSwitch()
            var bridges: [UInt64: Bridge] = [:]
            for dpid: UInt64 in 1...4 {
                bridges[dpid] = try testbed.addBridge("fmig\(dpid)", datapathID: dpid, protocols: [.openFlow13])
            }
            for ((a, aPort), (b, bPort)) in [((1, 2), (2, 1)), ((2, 2), (4, 2)), ((4, 3), (3, 2)), ((3, 1), (1, 3))] as [((UInt64, UInt16), (UInt64, UInt16))] {
                _ = try testbed.link(bridges[a]!, port: aPort, to: bridges[b]!, port: bPort)
            }
            return bridges
        }
        let errorTap = FlowMigrationErrorTap()
        let server = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .warning), inlineApp: errorTap)
        let socket = testbed.controllerSocketPath("fmig")
        try await server.bind(unixDomainSocketPath: socket)
        let runtime = ControllerRuntime(server: server, apps: [], tickInterval: .milliseconds(50), logger: PrintOpenFlowLogger(minimumLevel: .warning))
        let running = Task { await runtime.run() }
        defer { running.cancel() }
        do {
            try await blocking { for bridge in bridges.values { try testbed.setController(bridge, target: "unix:" + socket) } }
            _ = try await eventually("four bridges up", within: 15) { await runtime.connections.count == 4 ? true : nil }
            let request = FlowMigrationRequest(
                flows: [MigratedFlow(forward: Self.forward, reverse: MigrationRequest.mirrored(Self.forward))],
                oldPath: NorthboundAPIMigrationsTests.oldPath, newPath: NorthboundAPIMigrationsTests.oldPath, priority: 100, cookie: 0xF10)
            try await runtime.install(request.installation(of: NorthboundAPIMigrationsTests.oldPath))
            let api = NorthboundAPI(runtime: runtime, switchTimeout: .seconds(5), migrationErrorTap: errorTap)
            try await Application(router: api.router()).test(.live) { client in
                try await scenario(client, testbed: testbed, bridges: bridges)
            }
        } catch {
            await server.close()
            throw error
        }
        await server.close()
    }

    /// Our entries on a bridge, as `in_port->output`.
    func entries(_ testbed: Testbed, _ bridge: Bridge) async throws -> Set<String> {
        let lines = try await blocking { try testbed.dumpFlows(bridge) }
        var result = Set<String>()
        for line in lines where line.contains("cookie=0xf10") {
            let port = line.range(of: "in_port=").map { line[$0.upperBound...].prefix { $0.isNumber } } ?? "?"
            let out = line.range(of: "actions=output:").map { line[$0.upperBound...].prefix { $0.isNumber } } ?? "?"
            result.insert("\(port)->\(out)")
        }
        return result
    }

    func scenario(_ client: some TestClientProtocol, testbed: Testbed, bridges: [UInt64: Bridge]) async throws {
        let match = NorthboundAPIMigrationsTests.match
        let oldPath = NorthboundAPIMigrationsTests.oldPathJSON, newPath = NorthboundAPIMigrationsTests.newPathJSON
        #expect(try await entries(testbed, bridges[2]!) == ["1->2", "2->1"])

        let body = #"{"match": \#(match), "reverse": true, "old_path": \#(oldPath), "new_path": \#(newPath), "algorithm": "consistent", "drain_ms": 5, "priority": 100, "cookie": "0xf10"}"#
        let (status, report) = try await call(client, .post, "/v1/migrations", json: body)
        #expect(status == .ok, "\(report)")
        #expect(report["outcome"] == "completed")
        #expect(report["flow_mods"] == .integer(10))
        // Confirmed by barriers: Open vSwitch shows the result when the answer arrives.
        #expect(try await entries(testbed, bridges[2]!).isEmpty)
        #expect(try await entries(testbed, bridges[3]!) == ["1->2", "2->1"])
        #expect(try await entries(testbed, bridges[1]!) == ["1->3", "3->1"])
        #expect(try await entries(testbed, bridges[4]!) == ["3->1", "1->3"])

        // Back to the old path, but s2's table 0 now holds at most one entry: Open vSwitch
        // refuses the second add (OFPFMFC_TABLE_FULL), and the migration is rolled back.
        try await blocking {
            _ = try testbed.vsctl([
                "--", "--id=@ft", "create", "Flow_Table", "flow_limit=1", "overflow_policy=refuse", "--", "set", "Bridge",
                bridges[2]!.name, "flow_tables:0=@ft",
            ])
        }
        let back = #"{"match": \#(match), "reverse": true, "old_path": \#(newPath), "new_path": \#(oldPath), "algorithm": "consistent", "drain_ms": 5, "priority": 100, "cookie": "0xf10"}"#
        let (refused, rolledBack) = try await call(client, .post, "/v1/migrations", json: back)
        #expect(refused == .conflict, "\(rolledBack)")
        #expect(rolledBack["outcome"] == "rolled_back")
        #expect(rolledBack["error"] == "migration_rolled_back")
        #expect(rolledBack["message"]?.stringValue?.contains("OFPT_ERROR") == true, "\(rolledBack)")
        #expect((rolledBack["rollback_phases"]?.arrayValue.count ?? 0) >= 1)
        #expect(try await entries(testbed, bridges[2]!).isEmpty, "the refused branch is clean")
        #expect(try await entries(testbed, bridges[3]!) == ["1->2", "2->1"], "the path in use keeps the flow")
        #expect(try await entries(testbed, bridges[1]!) == ["1->3", "3->1"])
        #expect(try await entries(testbed, bridges[4]!) == ["3->1", "1->3"])
    }
}
