import Controller
import Foundation
import Migration
import NetworkAddresses
import OpenFlow
import Testing

@testable import Northbound

/// The body of `POST /v1/migrations`, read without a network.
@Suite struct MigrationRequestTests {
    static let paths = """
        "old_path": [{"dpid": "0x1", "in_port": 1, "out_port": 2}, {"dpid": 2, "in_port": 1, "out_port": 2}, {"dpid": "0x4", "in_port": 2, "out_port": 1}],
        "new_path": [{"dpid": "0x1", "in_port": 1, "out_port": 3}, {"dpid": 3, "in_port": 1, "out_port": 2}, {"dpid": "0x4", "in_port": 3, "out_port": 1}]
        """

    func parse(_ text: String) throws -> MigrationRequest {
        try MigrationRequest(json: JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    /// The field a bad body is refused for.
    func refusal(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return "accepted"
        } catch let error as APIError {
            #expect(error.status == .badRequest, "\(error)")
            return error.field
        } catch {
            return "\(error)"
        }
    }

    @Test func aFullRequestReadsEveryField() throws {
        let request = try parse(
            """
            {"flows": [{"match": {"eth_type": "0x0800", "ip_proto": 17, "ipv4_src": "10.0.0.1", "ipv4_dst": "10.0.0.2", "udp_dst": 5001}, "reverse": true},
                       {"match": {"eth_type": "0x0800", "ipv4_dst": "10.0.0.9"}, "reverse": {"eth_type": "0x0800", "ipv4_src": "10.0.0.9"}},
                       {"match": {"eth_type": "0x0806"}}],
             \(Self.paths), "algorithm": "bulk", "drain_ms": 2.5, "batch_size": 7, "barrier_timeout_ms": 300,
             "priority": 100, "cookie": "0xf10", "table_id": 3}
            """)
        #expect(request.flows.count == 3)
        #expect(request.flows[0].reverse?.contains(.udpSrc(5001)) == true)
        #expect(request.flows[0].reverse?.contains(.ipv4Src(IPv4Address(10, 0, 0, 2))) == true)
        #expect(request.flows[0].reverse?.contains(.ipv4Dst(IPv4Address(10, 0, 0, 1))) == true)
        #expect(request.flows[1].reverse == [.ethType(0x0800), .ipv4Src(IPv4Address(10, 0, 0, 9))])
        #expect(request.flows[2].reverse == nil)
        #expect(request.oldPath?.map(\.description) == ["1:1->2", "2:1->2", "4:2->1"])
        #expect(request.newPath.map(\.description) == ["1:1->3", "3:1->2", "4:3->1"])
        #expect(request.algorithm == .bulk)
        #expect(request.drainMilliseconds == 2.5)
        #expect(request.batchSize == 7)
        #expect(request.barrierTimeoutMilliseconds == 300)
        #expect(request.priority == 100 && request.cookie == 0xF10 && request.tableID == 3)
        #expect(request.plannerOptions.drainInterval == .microseconds(2500))
    }

    @Test func oneFlowMayBeGivenAsMatchAndDefaultsApply() throws {
        let request = try parse(#"{"match": {"eth_type": "0x0800", "ipv4_dst": "10.0.0.2"}, "reverse": true, "new_path": [{"dpid": 1, "in_port": 1, "out_port": 2}]}"#)
        #expect(request.flows.count == 1)
        #expect(request.oldPath == nil)
        #expect(request.algorithm == .consistent)
        #expect(request.drainMilliseconds == 20)
        #expect(request.priority == 0x8000 && request.cookie == 0 && request.tableID == 0)
    }

    @Test func badBodiesNameTheField() {
        let flow = #""flows": [{"match": {"eth_type": "0x0800"}}]"#
        #expect(refusal(#"{\#(Self.paths)}"#) == "flows")
        #expect(refusal(#"{"flows": [], \#(Self.paths)}"#) == "flows")
        #expect(refusal(#"{\#(flow)}"#) == "new_path")
        #expect(refusal(#"{\#(flow), \#(Self.paths), "algorithm": "teleport"}"#) == "algorithm")
        #expect(refusal(#"{\#(flow), \#(Self.paths), "drain_ms": -1}"#) == "drain_ms")
        #expect(refusal(#"{\#(flow), \#(Self.paths), "drain_ms": "soon"}"#) == "drain_ms")
        #expect(refusal(#"{\#(flow), \#(Self.paths), "batch_size": 0}"#) == "batch_size")
        #expect(refusal(#"{\#(flow), \#(Self.paths), "barrier_timeout_ms": 0}"#) == "barrier_timeout_ms")
        #expect(refusal(#"{\#(flow), \#(Self.paths), "table_id": 255}"#) == "table_id")
        #expect(refusal(#"{\#(flow), \#(Self.paths), "priorty": 3}"#) == "priorty")
        #expect(refusal(#"{"flows": [{"match": {"in_port": 1}}], \#(Self.paths)}"#) == "flows[0].match.in_port")
        #expect(refusal(#"{"flows": [{"match": {"udp_dst": 99999}}], \#(Self.paths)}"#) == "flows[0].match.udp_dst")
        #expect(refusal(#"{"flows": [{"match": {}, "colour": 1}], \#(Self.paths)}"#) == "flows[0].colour")
        #expect(refusal(#"{"flows": [{}], \#(Self.paths)}"#) == "flows[0].match")
        #expect(refusal(#"{"flows": [{"match": {}, "reverse": 3}], \#(Self.paths)}"#) == "flows[0].reverse")
        #expect(refusal(#"{\#(flow), "match": {}, \#(Self.paths)}"#) == "match")
        #expect(refusal(#"{\#(flow), "new_path": []}"#) == "new_path")
        #expect(refusal(#"{\#(flow), "new_path": [{"dpid": 1, "in_port": 1}]}"#) == "new_path[0].out_port")
        #expect(refusal(#"{\#(flow), "new_path": [{"in_port": 1, "out_port": 2}]}"#) == "new_path[0].dpid")
        #expect(refusal(#"{\#(flow), "new_path": [{"dpid": 1, "in_port": 1, "out_port": 0}]}"#) == "new_path[0].out_port")
        #expect(refusal(#"{\#(flow), "new_path": [{"dpid": 1, "in_port": 1, "out_port": 2}], "old_path": [{"dpid": 1, "in_port": "x", "out_port": 2}]}"#) == "old_path[0].in_port")
        #expect(refusal(#"{\#(flow), "new_path": [{"dpid": 1, "in_port": 1, "out_port": 2, "weight": 1}]}"#) == "new_path[0].weight")
    }

    @Test func mirroringSwapsSourcesAndDestinations() {
        let forward: [OXMField] = [
            .ethType(0x0800), .ethSrc(MACAddress(rawValue: 1)), .ipv4Dst(IPv4Address(10, 0, 0, 2)), .tcpSrc(1), .ipProto(6),
        ]
        #expect(
            MigrationRequest.mirrored(forward) == [
                .ethType(0x0800), .ethDst(MACAddress(rawValue: 1)), .ipv4Src(IPv4Address(10, 0, 0, 2)), .tcpDst(1), .ipProto(6),
            ])
    }
}
