import Controller
import Foundation
import Hummingbird
import HummingbirdTesting
import LinuxTestbed
import NIOCore
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Northbound

/// Runs a blocking testbed call on a thread of its own, so that it never holds one of the
/// (two) cooperative threads the controller needs meanwhile.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// The API over real HTTP (HummingbirdTesting's live server) against real Open vSwitch bridges.
@Suite("REST API on Open vSwitch", .serialized)
struct OpenVSwitchRESTTests {
    @Test func flowsPostedOverRESTAreInOpenVSwitchAndTheBridgesAndGaugeAreReported() async throws {
        // Throws a TestbedError naming what to install if Open vSwitch is missing: never skips.
        let testbed = try Testbed(name: "nbrest")
        defer { testbed.tearDown() }
        let bridges = try await blocking {
            try testbed.startOpenVSwitch()
            let s1 = try testbed.addBridge("nbs1", datapathID: 0xA1, protocols: [.openFlow13])
            let s2 = try testbed.addBridge("nbs2", datapathID: 0xA2, protocols: [.openFlow13])
            _ = try testbed.link(s1, port: 1, to: s2, port: 1)
            return [s1, s2]
        }

        let metrics = ControllerMetrics(base: PrintOpenFlowLogger(minimumLevel: .warning))
        let server = OpenFlowServer(logger: metrics)
        let socket = testbed.controllerSocketPath("nb")
        try await server.bind(unixDomainSocketPath: socket)
        let runtime = ControllerRuntime(
            server: server, apps: [LLDPDiscovery(configuration: .init(probeInterval: .milliseconds(200))), HostTracker()],
            tickInterval: .milliseconds(50), logger: metrics)
        let running = Task { await runtime.run() }
        defer { running.cancel() }
        do {
            try await blocking { for bridge in bridges { try testbed.setController(bridge, target: "unix:" + socket) } }
            _ = try await eventually("both bridges up", within: 15) { await runtime.datapaths.count == 2 ? true : nil }
            let app = Application(router: NorthboundAPI(runtime: runtime, metrics: metrics).router())
            try await app.test(.live) { client in try await scenario(client, testbed: testbed, bridges: bridges) }
        } catch {
            await server.close()
            throw error
        }
        await server.close()
    }

    func scenario(_ client: some TestClientProtocol, testbed: Testbed, bridges: [Bridge]) async throws {
        let (status, listed) = try await call(client, .get, "/v1/switches")
        #expect(status == .ok)
        let switches = listed["switches"]?.arrayValue ?? []
        #expect(switches.compactMap { $0["dpid"]?.stringValue } == ["0x00000000000000a1", "0x00000000000000a2"], "\(listed)")
        let names = switches.first?["ports"]?.arrayValue.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("nbs1"), "the bridge's LOCAL port: \(names)")
        #expect(switches.first?["ports"]?.arrayValue.contains { $0["port_no"] == "local" } == true)

        // POST: 201 only after the barrier, so ovs-ofctl sees the flow at once (no polling).
        let flow = #"{"dpid": "0xa1", "priority": 1234, "cookie": "0x4e42", "match": {"eth_type": "0x0800", "ipv4_dst": "10.77.0.0/16"}, "outputs": [1]}"#
        let (created, body) = try await call(client, .post, "/v1/flows", json: flow)
        #expect(created == .created, "\(body)")
        let dumped = try await blocking { try testbed.dumpFlows(bridges[0]) }
        #expect(
            dumped.contains { $0.contains("cookie=0x4e42") && $0.contains("priority=1234") && $0.contains("nw_dst=10.77.0.0/16") && $0.hasSuffix("actions=output:1") },
            "ovs-ofctl dump-flows: \(dumped)")

        // Read back from Open vSwitch with OFPMP_FLOW.
        let (readStatus, read) = try await call(client, .get, "/v1/flows?dpid=0xa1")
        #expect(readStatus == .ok)
        let entry = try #require(read["flows"]?.arrayValue.first { $0["cookie"] == "0x0000000000004e42" }, "\(read)")
        #expect(entry["match"] == .object(["eth_type": "0x0800", "ipv4_dst": .object(["value": "10.77.0.0", "mask": "255.255.0.0"])]))
        #expect(entry["actions"] == .array([.object(["type": "output", "port": .integer(1)])]))

        // Open vSwitch's own refusal comes back as a 502 with its OFPT_ERROR.
        let (refused, error) = try await call(client, .post, "/v1/flows", json: #"{"dpid": "0xa1", "match": {"tcp_dst": 80}, "outputs": [1]}"#)
        #expect(refused == .badGateway, "\(error)")
        #expect(error["openflow_errors"]?[0]?["type"] == "OFPET_BAD_MATCH", "\(error)")

        // DELETE by cookie: gone from Open vSwitch when the answer arrives.
        #expect(try await call(client, .delete, "/v1/flows", json: #"{"dpid": "0xa1", "cookie": "0x4e42"}"#).status == .ok)
        let after = try await blocking { try testbed.dumpFlows(bridges[0]) }
        #expect(!after.contains { $0.contains("cookie=0x4e42") }, "\(after)")

        // The gauge says two switches.
        let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        let gauge = text.split(separator: "\n").first { $0.hasPrefix("openflow_connected_switches ") }
        #expect(gauge.flatMap { Double($0.split(separator: " ")[1]) } == 2, "\(text)")
        let links = try await eventually("the two links") { () -> [JSONValue]? in
            let links = try await call(client, .get, "/v1/links").body["links"]?.arrayValue ?? []
            return links.count == 2 ? links : nil
        }
        #expect(links.allSatisfy { $0["src"]?["port_no"] == .integer(1) && $0["dst"]?["port_no"] == .integer(1) })
    }
}
