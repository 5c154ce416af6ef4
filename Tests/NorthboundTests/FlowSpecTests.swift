import Foundation
import NetworkAddresses
import OpenFlow
import Testing

@testable import Northbound

func json(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

@Suite struct FlowSpecTests {
    @Test func aFullSpecBecomesTheFlowMod() throws {
        let spec = try FlowSpec(
            json: json(
                #"""
                {"dpid": "0x00000000000000ff", "table_id": 1, "priority": 100, "cookie": 42, "idle_timeout": 10, "hard_timeout": 20,
                 "flags": ["send_flow_rem", "check_overlap"], "match": {"udp_dst": 53, "ip_proto": 17, "eth_type": 2048, "in_port": "3"},
                 "actions": [{"type": "push_vlan"}, {"type": "set_field", "field": "vlan_vid", "value": "0x1005"}],
                 "outputs": ["controller", 4], "goto_table": 2}
                """#))
        #expect(spec.datapathID == 255)
        let flowMod = spec.flowMod
        #expect(flowMod.command == .add && flowMod.tableID == 1 && flowMod.priority == 100 && flowMod.cookie == 42)
        #expect(flowMod.idleTimeout == 10 && flowMod.hardTimeout == 20 && flowMod.flags == [.sendFlowRemoved, .checkOverlap])
        // Prerequisite order, whatever the JSON order.
        #expect(flowMod.match.fields.elements == [.inPort(3), .ethType(0x0800), .ipProto(17), .udpDst(53)])
        #expect(
            flowMod.instructions.elements == [
                .applyActions([
                    .pushVLAN(ethertype: 0x8100), .setField(.vlanVid(0x1005)), .output(port: OF13.PortNumber.controller, maxLength: 0xFFFF),
                    .output(port: 4, maxLength: 0xFFFF),
                ]),
                .gotoTable(2),
            ])
    }

    @Test func defaultsAreTable0DefaultPriorityAndDrop() throws {
        let spec = try FlowSpec(json: json(#"{"dpid": 7}"#))
        #expect(spec.flowMod == OF13.FlowMod(command: .add, priority: 0x8000, match: .all, instructions: []))
    }

    @Test func writtenBackItReadsTheSame() throws {
        let spec = try FlowSpec(
            json: json(#"{"dpid": 1, "priority": 9, "match": {"eth_dst": "02:00:00:00:00:00/ff:ff:ff:00:00:00", "eth_type": "0x0806", "arp_tpa": "10.0.0.0/8"}, "actions": [{"type": "output", "port": "in_port"}]}"#))
        var written = spec.json
        guard case .object(var object) = written else { Issue.record("not an object"); return }
        // `duration`-style read-only fields are absent from a spec; everything else goes back in.
        object["other_instructions"] = nil
        written = .object(object)
        #expect(try FlowSpec(json: written) == spec)
        #expect(written["match"]?["arp_tpa"] == .object(["value": "10.0.0.0", "mask": "255.0.0.0"]))
        #expect(written["actions"]?[0] == .object(["type": "output", "port": "in_port"]))
    }

    @Test(arguments: [
        ("0x1", UInt64(1)), ("255", 255), ("0xFFFFFFFFFFFFFFFF", .max), ("00:00:00:00:00:00:01:02", 0x102),
    ])
    func datapathIDsAreReadInEveryForm(text: String, expected: UInt64) throws {
        #expect(try DatapathID.parse(.string(text), field: "dpid") == expected)
        #expect(try DatapathID.parse(.integer(expected), field: "dpid") == expected)
        #expect(DatapathID.format(expected).count == 18)
    }
}
