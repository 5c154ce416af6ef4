import Controller
import Foundation
import Hummingbird
import HummingbirdTesting
import Migration
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Northbound

/// `POST /v1/migrations` through Hummingbird's router against vnm's controller with software
/// switches over loopback TCP, cabled as the paper's diamond:
///
/// ```
///          s2                old path: h1 → s1:1→2 → s2:1→2 → s4:2→1 → h2
///  h1 — s1      s4 — h2      new path: h1 → s1:1→3 → s3:1→2 → s4:3→1 → h2
///          s3
/// ```
@Suite("REST API: migrations", .serialized)
struct NorthboundAPIMigrationsTests {
    static let cables: [((UInt64, UInt32), (UInt64, UInt32))] = [((1, 2), (2, 1)), ((2, 2), (4, 2)), ((4, 3), (3, 2)), ((3, 1), (1, 3))]
    static let oldPath = [
        PathHop(datapathID: 1, inPort: 1, outPort: 2), PathHop(datapathID: 2, inPort: 1, outPort: 2),
        PathHop(datapathID: 4, inPort: 2, outPort: 1),
    ]
    static let forward: [OXMField] = [.ethType(0x0800), .ipProto(17), .ipv4Src(IPv4Address(10, 0, 0, 1)), .ipv4Dst(IPv4Address(10, 0, 0, 2))]
    static let match = #"{"eth_type": "0x0800", "ip_proto": 17, "ipv4_src": "10.0.0.1", "ipv4_dst": "10.0.0.2"}"#
    static let newPathJSON = #"[{"dpid": "0x1", "in_port": 1, "out_port": 3}, {"dpid": "0x3", "in_port": 1, "out_port": 2}, {"dpid": "0x4", "in_port": 3, "out_port": 1}]"#
    static let oldPathJSON = #"[{"dpid": "0x1", "in_port": 1, "out_port": 2}, {"dpid": "0x2", "in_port": 1, "out_port": 2}, {"dpid": "0x4", "in_port": 2, "out_port": 1}]"#

    static func diamond(switches: [UInt64] = [1, 2, 3, 4], links: Int = 8) async throws -> Network {
        let network = try await Network.start(switches: switches, cables: cables)
        do {
            try await network.waitForTopology(switches: switches.count, links: links)
        } catch {
            await network.stop()
            throw error
        }
        return network
    }

    /// Installs the old path of the flow both ways, confirmed, as `POST /v1/paths` would.
    static func installOldPath(_ network: Network) async throws {
        let request = FlowMigrationRequest(
            flows: [MigratedFlow(forward: forward, reverse: MigrationRequest.mirrored(forward))], oldPath: oldPath, newPath: oldPath,
            priority: 100, cookie: 0xF10)
        try await network.runtime.install(request.installation(of: oldPath))
    }

    /// The switch's entries with our cookie, as (in_port, output) pairs.
    static func entries(_ client: some TestClientProtocol, dpid: Int) async throws -> Set<String> {
        let (status, body) = try await call(client, .get, "/v1/flows?dpid=\(dpid)")
        #expect(status == .ok)
        var result = Set<String>()
        func text(_ value: JSONValue?) -> String {
            if case .integer(let n)? = value { "\(n)" } else { "?" }
        }
        for flow in body["flows"]?.arrayValue ?? [] where flow["cookie"] == "0x0000000000000f10" {
            result.insert("\(text(flow["match"]?["in_port"]))->\(text(flow["actions"]?[0]?["port"]))")
        }
        return result
    }

    /// A probe frame from h1 (10.0.0.1) to h2 (10.0.0.2) into s1 port 1; true if it left s4 port 1.
    static func probeCrosses(_ network: Network) async throws -> Bool {
        let before = network.delivered.all.filter { $0.datapathID == 4 && $0.port == 1 }.count
        network.hostSends(udpFrame(src: 1, dst: 2, payload: "probe"), at: 1, port: 1)
        return (try? await eventually("the probe at h2", within: 2) { () -> Bool? in
            network.delivered.all.filter { $0.datapathID == 4 && $0.port == 1 }.count > before ? true : nil
        }) ?? false
    }

    @Test(arguments: ["consistent", "paper", "bulk"])
    func aMigrationMovesTheFlowAndAnswersWithItsReport(algorithm: String) async throws {
        let network = try await Self.diamond()
        try await Self.installOldPath(network)
        try await network.withAPI { client in
            #expect(try await Self.probeCrosses(network), "the old path carries the flow")
            let body = #"{"flows": [{"match": \#(Self.match), "reverse": true}], "old_path": \#(Self.oldPathJSON), "new_path": \#(Self.newPathJSON), "algorithm": "\#(algorithm)", "drain_ms": 5, "priority": 100, "cookie": "0xf10"}"#
            let (status, report) = try await call(client, .post, "/v1/migrations", json: body)
            #expect(status == .ok, "\(report)")
            #expect(report["outcome"] == "completed")
            #expect(report["algorithm"] == .string(algorithm))
            // Both ways: adds at s3 (2) and s4, s1 (1 each), modifies at s1 and s4, deletes at s2 (2), s4, s1.
            #expect(report["flow_mods"] == .integer(10), "\(report)")
            switch report["confirmed_ms"] {
            case .double(let confirmed)?: #expect(confirmed > 0 && confirmed < 5000)
            case .integer(let confirmed)?: #expect(confirmed > 0 && confirmed < 5000)
            default: Issue.record("confirmed_ms missing: \(report)")
            }
            #expect(report["old_path"]?.arrayValue.count == 3)
            #expect(try await Self.entries(client, dpid: 2).isEmpty, "the old branch is empty")
            #expect(try await Self.entries(client, dpid: 3) == ["1->2", "2->1"])
            #expect(try await Self.entries(client, dpid: 1) == ["1->3", "3->1"])
            #expect(try await Self.entries(client, dpid: 4) == ["3->1", "1->3"])
            #expect(try await Self.probeCrosses(network), "the new path carries the flow")
        }
    }

    @Test func withoutAnOldPathTheControllerTracesItFromTheFlowTables() async throws {
        let network = try await Self.diamond()
        try await Self.installOldPath(network)
        try await network.withAPI { client in
            let body = #"{"match": \#(Self.match), "reverse": true, "new_path": \#(Self.newPathJSON), "priority": 100, "cookie": "0xf10", "drain_ms": 1}"#
            let (status, report) = try await call(client, .post, "/v1/migrations", json: body)
            #expect(status == .ok, "\(report)")
            let traced = report["old_path"]?.arrayValue.map { hop -> String in
                func port(_ key: String) -> String { if case .integer(let n)? = hop[key] { "\(n)" } else { "?" } }
                return "\(hop["dpid"]?.stringValue ?? "?"):\(port("in_port"))->\(port("out_port"))"
            }
            #expect(traced == ["0x0000000000000001:1->2", "0x0000000000000002:1->2", "0x0000000000000004:2->1"], "\(report)")
            #expect(try await Self.entries(client, dpid: 2).isEmpty)

            // Now nothing of the flow is left where it used to be: tracing from the old path fails.
            let back = #"{"match": \#(Self.match), "new_path": \#(Self.oldPathJSON), "priority": 101, "cookie": "0xf10"}"#
            let (refused, error) = try await call(client, .post, "/v1/migrations", json: back)
            #expect(refused == .conflict, "\(error)")
            #expect(error["error"] == "old_path_unknown")
            #expect(error["field"] == "old_path")
        }
    }

    @Test func badRequestsAndUnknownSwitchesAreRefusedBeforeAnythingIsSent() async throws {
        let network = try await Self.diamond()
        try await Self.installOldPath(network)
        try await network.withAPI { client in
            let (bad, error) = try await call(client, .post, "/v1/migrations", json: #"{"match": \#(Self.match), "new_path": [{"dpid": 1, "in_port": 1}]}"#)
            #expect(bad == .badRequest)
            #expect(error["field"] == "new_path[0].out_port", "\(error)")

            let unknown = #"[{"dpid": "0x1", "in_port": 1, "out_port": 3}, {"dpid": "0x9", "in_port": 1, "out_port": 2}, {"dpid": "0x4", "in_port": 3, "out_port": 1}]"#
            let (missing, missingError) = try await call(
                client, .post, "/v1/migrations", json: #"{"match": \#(Self.match), "old_path": \#(Self.oldPathJSON), "new_path": \#(unknown)}"#)
            #expect(missing == .notFound)
            #expect(missingError["field"] == "new_path[1].dpid", "\(missingError)")

            // The paths end at different places: the planner's complaint, as a 400 on the new path's last hop.
            let elsewhere = #"[{"dpid": "0x1", "in_port": 1, "out_port": 3}, {"dpid": "0x3", "in_port": 1, "out_port": 2}, {"dpid": "0x4", "in_port": 3, "out_port": 4}]"#
            let (unplannable, planError) = try await call(
                client, .post, "/v1/migrations", json: #"{"match": \#(Self.match), "old_path": \#(Self.oldPathJSON), "new_path": \#(elsewhere)}"#)
            #expect(unplannable == .badRequest)
            #expect(planError["field"] == "new_path[2]", "\(planError)")
            #expect(try await Self.entries(client, dpid: 3).isEmpty, "nothing was sent")
        }
    }

    @Test func aSilentSwitchRollsTheMigrationBackAndTheOldPathKeepsTheFlow() async throws {
        // s3 completes the handshake but never answers a barrier: the adds are not confirmed,
        // the executor gives up, undoes what it sent, and cannot confirm that on s3 either.
        let network = try await Self.diamond(switches: [1, 2, 4], links: 4)
        let mute = try await MuteSwitch.connect(datapathID: 3, port: network.port)
        defer { mute.close(promise: nil) }
        _ = try await eventually("s3 connected") { await network.runtime.connections[3] != nil ? true : nil }
        try await Self.installOldPath(network)
        try await network.withAPI(switchTimeout: .seconds(2)) { client in
            let body = #"{"match": \#(Self.match), "old_path": \#(Self.oldPathJSON), "new_path": \#(Self.newPathJSON), "priority": 100, "cookie": "0xf10", "barrier_timeout_ms": 300, "drain_ms": 1}"#
            let (status, report) = try await call(client, .post, "/v1/migrations", json: body)
            #expect(status == .badGateway, "\(report)")
            #expect(report["outcome"] == "rollback_failed")
            #expect(report["error"] == "migration_rollback_failed")
            #expect(report["message"]?.stringValue?.contains("switch 3 did not answer") == true, "\(report)")
            // Both directions were installed; only the forward one was to move.
            #expect(try await Self.entries(client, dpid: 2) == ["1->2", "2->1"], "the old path is untouched")
            #expect(try await Self.entries(client, dpid: 1) == ["1->2", "2->1"])
            #expect(try await Self.entries(client, dpid: 4) == ["2->1", "1->2"], "s4's new entry was taken back")
            #expect(try await Self.probeCrosses(network), "the old path still carries the flow")
        }
    }
}
