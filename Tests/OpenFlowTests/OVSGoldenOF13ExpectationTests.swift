import Foundation
import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

private let any = OF13.PortNumber.any
private let controller = OF13.PortNumber.controller
private let local = OF13.PortNumber.local

private func mac(_ text: String) -> MACAddress { Golden.mac(text) }
private func ip(_ text: String) -> IPv4Address { Golden.ip(text) }

/// `output:N` as Open vSwitch encodes it for a port other than CONTROLLER: `max_len` 0.
private func output(_ port: UInt32) -> OF13.Action { .output(port: port, maxLength: 0) }
private func apply(_ actions: OF13.Action...) -> OF13.Instruction { .applyActions(WireList(actions)) }
private func flowMod(_ xid: UInt32, _ flowMod: OF13.FlowMod) -> OpenFlowMessage {
    .of13(.flowMod(flowMod), xid: xid)
}
/// The flow-mods `ovs-ofctl add-flow` sent all have xid 6.
private func flowMod(_ flowMod: OF13.FlowMod) -> OpenFlowMessage { .of13(.flowMod(flowMod), xid: 6) }
private func request(_ xid: UInt32, _ body: OF13.MultipartRequest.Body) -> OpenFlowMessage {
    .of13(.multipartRequest(OF13.MultipartRequest(body: body)), xid: xid)
}
private func reply(_ xid: UInt32, _ body: OF13.MultipartReply.Body) -> OpenFlowMessage {
    .of13(.multipartReply(OF13.MultipartReply(body: body)), xid: xid)
}
private let ip4: OXMField = .ethType(0x0800)

/// `config: X / state: Y / current: 10GB-FD COPPER / speed: 10000 Mbps now, 0 Mbps max`.
private func port(_ number: UInt32, _ name: String, _ mac: String, config: OF13.Port.Config, state: OF13.Port.State) -> OF13.Port {
    OF13.Port(
        portNumber: number, hardwareAddress: Golden.mac(mac), name: name, config: config, state: state,
        current: [.rate10GbFD, .copper], currentSpeed: 10_000_000, maxSpeed: 0)
}

/// OpenFlow 1.3 messages made by Open vSwitch decode to the values OVS itself read from them.
///
/// Each expectation is written by hand from the fixture's `ofp-print` text; the comment above
/// it quotes that text. Where OVS does not print a field (an output action's `max_len`, a
/// bucket's unused watch port), the value is the one the spec gives for "unused" and the bytes
/// confirm it. OVS prints some fields in its own units: `nw_tos=32` is `ip_dscp=8`,
/// `dl_vlan=100` is `vlan_vid=0x1064` (OFPVID_PRESENT | 100), `duration3.467s` is 3 s and
/// 467 000 000 ns.
@Suite struct OVSGoldenOF13ExpectationTests {
    static let flowMods: [GoldenExpectation] = {
        var list: [GoldenExpectation] = []
        // ADD priority=100,in_port=1 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-in-port-output.hex",
                flowMod(OF13.FlowMod(priority: 100, match: OF13.Match([.inPort(1)]), instructions: [apply(output(2))]))))
        // ADD arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_op=1,arp_sha=02:00:00:00:00:01 actions=FLOOD
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-arp.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([
                            .ethType(0x0806), .arpOp(1), .arpSpa(ip("10.0.0.1")),
                            .arpTpa(ip("10.0.0.0"), mask: ip("255.255.255.0")), .arpSha(mac("02:00:00:00:00:01")),
                        ]),
                        instructions: [apply(output(OF13.PortNumber.flood))]))))
        // ADD priority=300,ip check_overlap actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-check-overlap-error.hex",
                flowMod(OF13.FlowMod(priority: 300, flags: .checkOverlap, match: OF13.Match([ip4])))))
        // ADD table:2 priority=1 actions=clear_actions
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-clear-actions.hex",
                flowMod(OF13.FlowMod(tableID: 2, priority: 1, instructions: [.clearActions]))))
        // ADD priority=1,ip actions=CONTROLLER:128
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-controller-max-len.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 1, match: OF13.Match([ip4]),
                        instructions: [apply(.output(port: controller, maxLength: 128))]))))
        // ADD priority=110,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-eth-addrs.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 110,
                        match: OF13.Match([.ethSrc(mac("02:00:00:00:00:01")), .ethDst(mac("02:00:00:00:00:02"))]),
                        instructions: [apply(output(2))]))))
        // ADD priority=5,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-eth-dst-masked.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 5,
                        match: OF13.Match([.ethDst(mac("01:00:00:00:00:00"), mask: mac("01:00:00:00:00:00"))])))))
        // ADD priority=10,ip,nw_src=10.1.0.0/16 actions=group:1
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-group.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 10, match: OF13.Match([ip4, .ipv4Src(ip("10.1.0.0"), mask: ip("255.255.0.0"))]),
                        instructions: [apply(.group(1))]))))
        // ADD priority=5,ip,nw_dst=192.0.2.77 cookie:0x77 hard:1 send_flow_rem actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-hard-timeout.hex",
                flowMod(
                    OF13.FlowMod(
                        cookie: 0x77, hardTimeout: 1, priority: 5, flags: .sendFlowRemoved,
                        match: OF13.Match([ip4, .ipv4Dst(ip("192.0.2.77"))])))))
        // ADD priority=5,ip,nw_dst=192.0.2.78 cookie:0x78 idle:1 send_flow_rem actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-idle-timeout.hex",
                flowMod(
                    OF13.FlowMod(
                        cookie: 0x78, idleTimeout: 1, priority: 5, flags: .sendFlowRemoved,
                        match: OF13.Match([ip4, .ipv4Dst(ip("192.0.2.78"))])))))
        // ADD icmp,icmp_type=8,icmp_code=0 actions=IN_PORT
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-icmp.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([ip4, .ipProto(1), .icmpv4Type(8), .icmpv4Code(0)]),
                        instructions: [apply(output(OF13.PortNumber.inPort))]))))
        // ADD ip,nw_tos=32,nw_ecn=1 actions=set_field:16->ip_dscp,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-ip-dscp-ecn.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([ip4, .ipDscp(8), .ipEcn(1)]),
                        instructions: [apply(.setField(.ipDscp(16)), output(2))]))))
        // ADD priority=100,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-ipv4-masked.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 100,
                        match: OF13.Match([
                            ip4, .ipv4Src(ip("10.0.0.0"), mask: ip("255.0.0.0")),
                            .ipv4Dst(ip("192.168.1.0"), mask: ip("255.255.255.0")),
                        ]),
                        instructions: [apply(output(2))]))))
        // ADD icmp6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1,icmp_type=128 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-ipv6-icmp6.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([
                            .ethType(0x86DD), .ipv6Src(Golden.ip6("2001:db8::"), mask: Golden.ip6("ffff:ffff::")),
                            .ipv6Dst(Golden.ip6("2001:db8::1")), .ipProto(58), .icmpv6Type(128),
                        ]),
                        instructions: [apply(output(2))]))))
        // ADD tcp6,ipv6_label=0x12345,tp_src=443 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-ipv6-tcp6-label.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([.ethType(0x86DD), .ipv6Flabel(0x12345), .ipProto(6), .tcpSrc(443)]),
                        instructions: [apply(output(2))]))))
        // ADD table:1 metadata=0x5/0xff actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-metadata.hex",
                flowMod(
                    OF13.FlowMod(tableID: 1, match: OF13.Match([.metadata(5, mask: 0xFF)]), instructions: [apply(output(2))]))))
        // ADD priority=20,in_port=2 actions=meter:1,output:1
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-meter.hex",
                flowMod(OF13.FlowMod(priority: 20, match: OF13.Match([.inPort(2)]), instructions: [.meter(1), apply(output(1))]))))
        // ADD mpls,mpls_label=100 actions=pop_mpls:0x0800,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-mpls-pop.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([.ethType(0x8847), .mplsLabel(100)]),
                        instructions: [apply(.popMPLS(ethertype: 0x0800), output(2))]))))
        // ADD ip,nw_dst=10.2.2.2 actions=push_mpls:0x8847,set_field:16->mpls_label,dec_mpls_ttl,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-mpls-push.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([ip4, .ipv4Dst(ip("10.2.2.2"))]),
                        instructions: [
                            apply(.pushMPLS(ethertype: 0x8847), .setField(.mplsLabel(16)), .decMPLSTTL, output(2))
                        ]))))
        // ADD priority=3,in_port=LOCAL actions=resubmit(,1): a Nicira action (NXAST_RESUBMIT_TABLE,
        // subtype 14, in_port 0xfff8 = OFPP_IN_PORT, table 1), kept as experimenter bytes.
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-nx-resubmit.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 3, match: OF13.Match([.inPort(local)]),
                        instructions: [apply(.experimenter(id: 0x2320, body: Golden.bytes("000efff801000000")))]))))
        // ADD priority=2,in_port=2 actions=LOCAL,ALL,NORMAL
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-output-reserved.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 2, match: OF13.Match([.inPort(2)]),
                        instructions: [apply(output(local), output(OF13.PortNumber.all), output(OF13.PortNumber.normal))]))))
        // ADD sctp,tp_dst=3868 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-sctp.hex",
                flowMod(OF13.FlowMod(match: OF13.Match([ip4, .ipProto(132), .sctpDst(3868)]), instructions: [apply(output(2))]))))
        // ADD ip,nw_dst=10.3.3.3 actions=set_field:02:00:00:00:00:aa->eth_src,set_field:02:00:00:00:00:bb->eth_dst,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-set-eth-addrs.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([ip4, .ipv4Dst(ip("10.3.3.3"))]),
                        instructions: [
                            apply(
                                .setField(.ethSrc(mac("02:00:00:00:00:aa"))), .setField(.ethDst(mac("02:00:00:00:00:bb"))),
                                output(2))
                        ]))))
        // ADD in_port=2 actions=set_queue:1,output:1
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-set-queue.hex",
                flowMod(OF13.FlowMod(match: OF13.Match([.inPort(2)]), instructions: [apply(.setQueue(1), output(1))]))))
        // ADD table:1 priority=200,udp cookie:0x6 actions=CONTROLLER:64
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-table-1-controller-64.hex",
                flowMod(
                    OF13.FlowMod(
                        cookie: 6, tableID: 1, priority: 200, match: OF13.Match([ip4, .ipProto(17)]),
                        instructions: [apply(.output(port: controller, maxLength: 64))]))))
        // ADD priority=0 actions=CONTROLLER:65535
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-table-miss-controller.hex",
                flowMod(OF13.FlowMod(priority: 0, instructions: [apply(.output(port: controller, maxLength: 0xFFFF))]))))
        // ADD tcp,nw_dst=10.0.0.1,tp_dst=80 actions=set_field:10.0.0.2->ip_dst,set_field:8080->tcp_dst,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-tcp-set-field.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([ip4, .ipv4Dst(ip("10.0.0.1")), .ipProto(6), .tcpDst(80)]),
                        instructions: [apply(.setField(.ipv4Dst(ip("10.0.0.2"))), .setField(.tcpDst(8080)), output(2))]))))
        // ADD priority=300,ip,nw_dst=10.9.9.9 cookie:0x1234 idle:60 hard:120 send_flow_rem check_overlap actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-timeouts-cookie-flags.hex",
                flowMod(
                    OF13.FlowMod(
                        cookie: 0x1234, idleTimeout: 60, hardTimeout: 120, priority: 300,
                        flags: [.sendFlowRemoved, .checkOverlap], match: OF13.Match([ip4, .ipv4Dst(ip("10.9.9.9"))]),
                        instructions: [apply(output(2))]))))
        // ADD tun_id=0x1234 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-tunnel-id.hex",
                flowMod(OF13.FlowMod(match: OF13.Match([.tunnelId(0x1234)]), instructions: [apply(output(2))]))))
        // ADD priority=200,udp,tp_dst=9999 cookie:0x5 actions=write_metadata:0xabc/0xfff,goto_table:1
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-udp-to-table-1.hex",
                flowMod(
                    OF13.FlowMod(
                        cookie: 5, priority: 200, match: OF13.Match([ip4, .ipProto(17), .udpDst(9999)]),
                        instructions: [.writeMetadata(0xABC, mask: 0xFFF), .gotoTable(1)]))))
        // ADD udp,tp_src=53 actions=dec_ttl,mod_nw_ttl:9,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-udp-ttl.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([ip4, .ipProto(17), .udpSrc(53)]),
                        instructions: [apply(.decNwTTL, .setNwTTL(9), output(2))]))))
        // ADD dl_vlan=100,dl_vlan_pcp=3 actions=pop_vlan,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-vlan-pop.hex",
                flowMod(
                    OF13.FlowMod(match: OF13.Match([.vlanVid(0x1000 | 100), .vlanPcp(3)]), instructions: [apply(.popVLAN, output(2))]))))
        // ADD in_port=1,vlan_tci=0x0000/0x1fff actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-vlan-push-set-field.hex",
                flowMod(
                    OF13.FlowMod(
                        match: OF13.Match([.inPort(1), .vlanVid(0)]),
                        instructions: [apply(.pushVLAN(ethertype: 0x8100), .setField(.vlanVid(4196)), output(2))]))))
        // ADD table:1 priority=10,ip actions=write_actions(set_field:10->ip_dscp,output:2),goto_table:2
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-write-actions-goto.hex",
                flowMod(
                    OF13.FlowMod(
                        tableID: 1, priority: 10, match: OF13.Match([ip4]),
                        instructions: [.writeActions([.setField(.ipDscp(10)), output(2)]), .gotoTable(2)]))))
        // ADD priority=50,udp actions=write_metadata:0x1/0xff,goto_table:1
        list.append(
            GoldenExpectation(
                "of13-flow-mod-add-flow-write-metadata-goto.hex",
                flowMod(
                    OF13.FlowMod(
                        priority: 50, match: OF13.Match([ip4, .ipProto(17)]),
                        instructions: [.writeMetadata(1, mask: 0xFF), .gotoTable(1)]))))
        // DEL table:255 actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-del-flows-before-packet-in.hex", flowMod(OF13.FlowMod(tableID: 0xFF, command: .delete))))
        // DEL table:255 cookie:0x1234/0xffffffffffffffff actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-del-flows-cookie.hex",
                flowMod(OF13.FlowMod(cookie: 0x1234, cookieMask: .max, tableID: 0xFF, command: .delete))))
        // DEL table:255 ip,nw_dst=10.0.0.0/8 actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-del-flows-match.hex",
                flowMod(
                    OF13.FlowMod(
                        tableID: 0xFF, command: .delete,
                        match: OF13.Match([ip4, .ipv4Dst(ip("10.0.0.0"), mask: ip("255.0.0.0"))])))))
        // DEL table:255 out_port:2 actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-del-flows-out-port.hex", flowMod(OF13.FlowMod(tableID: 0xFF, command: .delete, outPort: 2))))
        // DEL_STRICT table:255 priority=5,ip,nw_dst=192.0.2.79 actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-del-flows-strict.hex",
                flowMod(
                    OF13.FlowMod(
                        tableID: 0xFF, command: .deleteStrict, priority: 5,
                        match: OF13.Match([ip4, .ipv4Dst(ip("192.0.2.79"))])))))
        // MOD_STRICT priority=100,in_port=1 actions=drop
        list.append(
            GoldenExpectation(
                "of13-flow-mod-mod-flows-strict.hex",
                flowMod(OF13.FlowMod(command: .modifyStrict, priority: 100, match: OF13.Match([.inPort(1)])))))
        // MOD in_port=1 actions=output:1
        list.append(
            GoldenExpectation(
                "of13-flow-mod-mod-flows.hex",
                flowMod(OF13.FlowMod(command: .modify, match: OF13.Match([.inPort(1)]), instructions: [apply(output(1))]))))
        return list
    }()

    @Test(arguments: flowMods)
    func flowModDecodes(_ expectation: GoldenExpectation) throws {
        try Golden.check(expectation)
    }

    static let messages: [GoldenExpectation] = {
        var list: [GoldenExpectation] = []
        // OFPT_HELLO (OF1.3) (xid=0x1): version bitmap: 0x04
        list.append(
            GoldenExpectation("of13-hello-from-ovs-ofctl.hex", .hello(Hello(versions: [4]), version: 4, xid: 1)))
        // OFPT_HELLO (OF1.3) (xid=0x1): version bitmap: 0x01, 0x04
        list.append(
            GoldenExpectation("of13-hello-from-ovs-vswitchd.hex", .hello(Hello(versions: [1, 4]), version: 4, xid: 1)))
        // OFPT_ECHO_REQUEST (OF1.3) (xid=0x0): 0 bytes of payload
        list.append(
            GoldenExpectation("of13-echo-request.hex", .of13(.echoRequest(ByteBuffer()), xid: 0)))
        // OFPT_ECHO_REPLY (OF1.3) (xid=0x1005): 8 bytes of payload "vnm-echo"
        list.append(
            GoldenExpectation("of13-echo-reply.hex", .of13(.echoReply(ByteBuffer(string: "vnm-echo")), xid: 0x1005)))
        // OFPT_ECHO_REQUEST (OF1.3) (xid=0x2): 1 bytes of payload "["
        list.append(
            GoldenExpectation("of13-echo-request-ping.hex", .of13(.echoRequest(ByteBuffer(string: "[")), xid: 2)))
        // OFPT_FEATURES_REQUEST (OF1.3) (xid=0x2):
        list.append(
            GoldenExpectation("of13-features-request.hex", .of13(.featuresRequest, xid: 2)))
        // OFPT_FEATURES_REPLY (OF1.3) (xid=0x1001): dpid:0000000000000d13 n_tables:254, n_buffers:0
        // capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS
        list.append(
            GoldenExpectation(
                "of13-features-reply.hex",
                .of13(
                    .featuresReply(
                        .init(
                            datapathID: 0xD13, bufferCount: 0, tableCount: 254,
                            capabilities: [.flowStats, .tableStats, .portStats, .groupStats, .queueStats])),
                    xid: 0x1001)))
        // OFPT_GET_CONFIG_REQUEST (OF1.3) (xid=0x5):
        list.append(
            GoldenExpectation("of13-get-config-request.hex", .of13(.getConfigRequest, xid: 5)))
        // OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0x1003): frags=normal miss_send_len=128
        list.append(
            GoldenExpectation(
                "of13-get-config-reply.hex", .of13(.getConfigReply(.init(flags: 0, missSendLength: 128)), xid: 0x1003)))
        // OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0x5): frags=drop miss_send_len=0 (OFPC_FRAG_DROP = 1)
        list.append(
            GoldenExpectation(
                "of13-get-config-reply-set-frags-drop.hex",
                .of13(.getConfigReply(.init(flags: 1, missSendLength: 0)), xid: 5)))
        // OFPT_SET_CONFIG (OF1.3) (xid=0x3): frags=normal miss_send_len=128
        list.append(
            GoldenExpectation("of13-set-config-monitor.hex", .of13(.setConfig(.init(flags: 0, missSendLength: 128)), xid: 3)))
        // OFPT_SET_CONFIG (OF1.3) (xid=0x3): frags=drop miss_send_len=0
        list.append(
            GoldenExpectation(
                "of13-set-config-set-frags-drop.hex", .of13(.setConfig(.init(flags: 1, missSendLength: 0)), xid: 3)))
        // OFPT_BARRIER_REQUEST (OF1.3) (xid=0x4):
        list.append(
            GoldenExpectation("of13-barrier-request.hex", .of13(.barrierRequest, xid: 4)))
        // OFPT_BARRIER_REPLY (OF1.3) (xid=0x1002):
        list.append(
            GoldenExpectation("of13-barrier-reply.hex", .of13(.barrierReply, xid: 0x1002)))
        // OFPT_ROLE_REPLY (OF1.3) (xid=0x100d): role=equal generation_id=1
        list.append(
            GoldenExpectation(
                "of13-role-reply-role-equal.hex", .of13(.roleReply(.init(role: .equal, generationID: 1)), xid: 0x100D)))
        // OFPT_ROLE_REPLY (OF1.3) (xid=0x1009): role=primary generation_id=1 (OFPCR_ROLE_MASTER)
        list.append(
            GoldenExpectation(
                "of13-role-reply-role-master.hex", .of13(.roleReply(.init(role: .master, generationID: 1)), xid: 0x1009)))
        // OFPT_ROLE_REPLY (OF1.3) (xid=0x1007): role=equal -- no generation_id printed: it is
        // UINT64_MAX, OVS's "undefined".
        list.append(
            GoldenExpectation(
                "of13-role-reply-role-nochange.hex",
                .of13(.roleReply(.init(role: .equal, generationID: .max)), xid: 0x1007)))
        // OFPT_GET_ASYNC_REPLY (OF1.3) (xid=0x100f): primary: PACKET_IN: no_match action,
        // PORT_STATUS: add delete modify, FLOW_REMOVED: idle hard delete group_delete;
        // secondary: PACKET_IN: (off), PORT_STATUS: add delete modify, FLOW_REMOVED: (off)
        list.append(
            GoldenExpectation(
                "of13-get-async-reply.hex",
                .of13(
                    .getAsyncReply(.init(packetInMask: [0x3, 0], portStatusMask: [0x7, 0x7], flowRemovedMask: [0xF, 0])),
                    xid: 0x100F)))
        // The same after set-async turned the secondary's PORT_STATUS off.
        list.append(
            GoldenExpectation(
                "of13-get-async-reply-get-async-after-set.hex",
                .of13(
                    .getAsyncReply(.init(packetInMask: [0x3, 0], portStatusMask: [0x7, 0], flowRemovedMask: [0xF, 0])),
                    xid: 0x1013)))
        // OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.3) (xid=0x2): port=1
        list.append(
            GoldenExpectation("of13-queue-get-config-request.hex", .of13(.queueGetConfigRequest(.init(port: 1)), xid: 2)))
        // OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.3) (xid=0x2): port=ANY
        list.append(
            GoldenExpectation(
                "of13-queue-get-config-request-queue-get-config.hex",
                .of13(.queueGetConfigRequest(.init(port: any)), xid: 2)))
        // OFPT_QUEUE_GET_CONFIG_REPLY (OF1.3) (xid=0x1017): (port 1, no queues)
        list.append(
            GoldenExpectation("of13-queue-get-config-reply.hex", .of13(.queueGetConfigReply(.init(port: 1)), xid: 0x1017)))
        // Packet-in: OFPT_PACKET_IN (OF1.3) (xid=0x0): cookie=0x0 total_len=42 in_port=1 (via action)
        // data_len=42 (unbuffered), arp,...,arp_spa=192.0.2.1,arp_tpa=192.0.2.2,arp_op=1
        list.append(
            GoldenExpectation(
                "of13-packet-in-packet-out-table-miss-arp.hex",
                .of13(
                    .packetIn(
                        .init(
                            totalLength: 42, reason: .action, tableID: 0, cookie: 0, match: OF13.Match([.inPort(1)]),
                            data: Golden.arpPacket)),
                    xid: 0)))
        // table_id=1 cookie=0x6 total_len=60 metadata=0xabc,in_port=2 (via action) data_len=60 (unbuffered)
        list.append(
            GoldenExpectation(
                "of13-packet-in-packet-out-table-udp-metadata.hex",
                .of13(
                    .packetIn(
                        .init(
                            totalLength: 60, reason: .action, tableID: 1, cookie: 6,
                            match: OF13.Match([.inPort(2), .metadata(0xABC)]), data: Golden.udpPacket)),
                    xid: 0)))
        // total_len=60 in_port=LOCAL (via action) data_len=60 (unbuffered); no cookie printed:
        // it is all ones (the packet came from a packet-out, not a flow).
        list.append(
            GoldenExpectation(
                "of13-packet-in-packet-out-controller-max-len.hex",
                .of13(
                    .packetIn(
                        .init(
                            totalLength: 60, reason: .action, tableID: 0, cookie: .max,
                            match: OF13.Match([.inPort(local)]), data: Golden.udpPacket)),
                    xid: 0)))
        // OFPT_PACKET_OUT (OF1.3) (xid=0x6): in_port=CONTROLLER actions=output:2 data_len=42
        list.append(
            GoldenExpectation(
                "of13-packet-out-packet-out-output-arp.hex",
                .of13(.packetOut(.init(inPort: controller, actions: [output(2)], data: Golden.arpPacket)), xid: 6)))
        // in_port=LOCAL actions=CONTROLLER:40 data_len=60
        list.append(
            GoldenExpectation(
                "of13-packet-out-packet-out-controller-max-len.hex",
                .of13(
                    .packetOut(
                        .init(inPort: local, actions: [.output(port: controller, maxLength: 40)], data: Golden.udpPacket)),
                    xid: 6)))
        // in_port=1 actions=set_field:10->ip_dscp,CONTROLLER:65535 data_len=60
        list.append(
            GoldenExpectation(
                "of13-packet-out-packet-out-set-field.hex",
                .of13(
                    .packetOut(
                        .init(
                            inPort: 1, actions: [.setField(.ipDscp(10)), .output(port: controller, maxLength: 0xFFFF)],
                            data: Golden.udpPacket)),
                    xid: 6)))
        // in_port=1 actions=TABLE data_len=42
        list.append(
            GoldenExpectation(
                "of13-packet-out-packet-out-table-no-flows.hex",
                .of13(.packetOut(.init(inPort: 1, actions: [output(OF13.PortNumber.table)], data: Golden.arpPacket)), xid: 6)))
        // OFPT_FLOW_REMOVED (OF1.3) (xid=0x0): priority=300,ip,nw_dst=10.9.9.9 reason=delete table_id=0
        // cookie:0x1234 duration3.467s idle60 hard120 pkts0 bytes0
        list.append(
            GoldenExpectation(
                "of13-flow-removed-del-flows-before-packet-in.hex",
                .of13(
                    .flowRemoved(
                        .init(
                            cookie: 0x1234, priority: 300, reason: .delete, tableID: 0, durationSec: 3,
                            durationNsec: 467_000_000, idleTimeout: 60, hardTimeout: 120,
                            match: OF13.Match([ip4, .ipv4Dst(ip("10.9.9.9"))]))),
                    xid: 0)))
        // priority=5,ip,nw_dst=192.0.2.78 reason=idle table_id=0 cookie:0x78 duration1.090s idle1 pkts0 bytes0
        list.append(
            GoldenExpectation(
                "of13-flow-removed-flow-removed-timeout-2.hex",
                .of13(
                    .flowRemoved(
                        .init(
                            cookie: 0x78, priority: 5, reason: .idleTimeout, durationSec: 1, durationNsec: 90_000_000,
                            idleTimeout: 1, match: OF13.Match([ip4, .ipv4Dst(ip("192.0.2.78"))]))),
                    xid: 0)))
        // priority=5,ip,nw_dst=192.0.2.77 reason=hard table_id=0 cookie:0x77 duration1.180s idle0 hard1 pkts0 bytes0
        list.append(
            GoldenExpectation(
                "of13-flow-removed-flow-removed-timeout.hex",
                .of13(
                    .flowRemoved(
                        .init(
                            cookie: 0x77, priority: 5, reason: .hardTimeout, durationSec: 1, durationNsec: 180_000_000,
                            hardTimeout: 1, match: OF13.Match([ip4, .ipv4Dst(ip("192.0.2.77"))]))),
                    xid: 0)))
        // OFPT_PORT_STATUS (OF1.3) (xid=0x0): ADD: 3(vfx13c): addr:a6:f8:b5:bd:26:4e
        // config: PORT_DOWN, state: LINK_DOWN, current: 10GB-FD COPPER, speed: 10000 Mbps now, 0 Mbps max
        list.append(
            GoldenExpectation(
                "of13-port-status-port-add.hex",
                .of13(
                    .portStatus(
                        .init(
                            reason: .add,
                            port: port(3, "vfx13c", "a6:f8:b5:bd:26:4e", config: .portDown, state: .linkDown))),
                    xid: 0)))
        // DEL: 3(vfx13c): addr:a6:f8:b5:bd:26:4e, config: PORT_DOWN, state: LINK_DOWN
        list.append(
            GoldenExpectation(
                "of13-port-status-port-delete.hex",
                .of13(
                    .portStatus(
                        .init(
                            reason: .delete,
                            port: port(3, "vfx13c", "a6:f8:b5:bd:26:4e", config: .portDown, state: .linkDown))),
                    xid: 0)))
        // MOD: 2(vfx13b): addr:46:d8:15:4f:e6:32, config: NO_FWD, state: LIVE
        list.append(
            GoldenExpectation(
                "of13-port-status-mod-port-no-forward.hex",
                .of13(
                    .portStatus(
                        .init(reason: .modify, port: port(2, "vfx13b", "46:d8:15:4f:e6:32", config: .noFwd, state: .live))),
                    xid: 0)))
        // MOD: 2(vfx13b): config: NO_PACKET_IN, state: LIVE
        list.append(
            GoldenExpectation(
                "of13-port-status-mod-port-no-packet-in.hex",
                .of13(
                    .portStatus(
                        .init(
                            reason: .modify, port: port(2, "vfx13b", "46:d8:15:4f:e6:32", config: .noPacketIn, state: .live))),
                    xid: 0)))
        // MOD: 2(vfx13b): config: 0, state: LINK_DOWN
        list.append(
            GoldenExpectation(
                "of13-port-status-mod-port-up.hex",
                .of13(
                    .portStatus(
                        .init(reason: .modify, port: port(2, "vfx13b", "46:d8:15:4f:e6:32", config: [], state: .linkDown))),
                    xid: 0)))
        // OFPT_PORT_MOD (OF1.3) (xid=0x4): port: 2: addr:46:d8:15:4f:e6:32 config: PORT_DOWN mask: PORT_DOWN
        // advertise: UNCHANGED
        list.append(
            GoldenExpectation(
                "of13-port-mod-mod-port-down.hex",
                .of13(
                    .portMod(.init(portNumber: 2, hardwareAddress: mac("46:d8:15:4f:e6:32"), config: .portDown, mask: .portDown)),
                    xid: 4)))
        // port: 2: config: 0 mask: NO_FWD
        list.append(
            GoldenExpectation(
                "of13-port-mod-mod-port-forward.hex",
                .of13(.portMod(.init(portNumber: 2, hardwareAddress: mac("46:d8:15:4f:e6:32"), config: [], mask: .noFwd)), xid: 4)))
        // port: 2: config: NO_RECV mask: NO_RECV
        list.append(
            GoldenExpectation(
                "of13-port-mod-mod-port-no-receive.hex",
                .of13(
                    .portMod(.init(portNumber: 2, hardwareAddress: mac("46:d8:15:4f:e6:32"), config: .noRecv, mask: .noRecv)),
                    xid: 4)))
        // port: 2: config: 0 mask: NO_PACKET_IN
        list.append(
            GoldenExpectation(
                "of13-port-mod-mod-port-packet-in.hex",
                .of13(
                    .portMod(.init(portNumber: 2, hardwareAddress: mac("46:d8:15:4f:e6:32"), config: [], mask: .noPacketIn)),
                    xid: 4)))
        // port: 3: addr:a6:f8:b5:bd:26:4e config: PORT_DOWN mask: PORT_DOWN
        list.append(
            GoldenExpectation(
                "of13-port-mod-mod-port-down-new-port.hex",
                .of13(
                    .portMod(.init(portNumber: 3, hardwareAddress: mac("a6:f8:b5:bd:26:4e"), config: .portDown, mask: .portDown)),
                    xid: 4)))
        // OFPT_GROUP_MOD (OF1.3) (xid=0x6): ADD group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2
        list.append(
            GoldenExpectation(
                "of13-group-mod-add-group-all.hex",
                .of13(
                    .groupMod(
                        .init(
                            command: .add, type: .all, groupID: 1,
                            buckets: [OF13.Bucket(actions: [output(1)]), OF13.Bucket(actions: [output(2)])])),
                    xid: 6)))
        // ADD group_id=4,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
        list.append(
            GoldenExpectation(
                "of13-group-mod-add-group-ff.hex",
                .of13(
                    .groupMod(
                        .init(
                            command: .add, type: .fastFailover, groupID: 4,
                            buckets: [OF13.Bucket(watchPort: 1, actions: [output(1)]), OF13.Bucket(watchPort: 2, actions: [output(2)])])),
                    xid: 6)))
        // ADD group_id=3,type=indirect,bucket=actions=set_field:02:00:00:00:00:99->eth_dst,output:2
        list.append(
            GoldenExpectation(
                "of13-group-mod-add-group-indirect.hex",
                .of13(
                    .groupMod(
                        .init(
                            command: .add, type: .indirect, groupID: 3,
                            buckets: [OF13.Bucket(actions: [.setField(.ethDst(mac("02:00:00:00:00:99"))), output(2)])])),
                    xid: 6)))
        // ADD group_id=2,type=select,bucket=weight:60,actions=output:1,bucket=weight:40,actions=output:2
        list.append(
            GoldenExpectation(
                "of13-group-mod-add-group-select.hex",
                .of13(
                    .groupMod(
                        .init(
                            command: .add, type: .select, groupID: 2,
                            buckets: [OF13.Bucket(weight: 60, actions: [output(1)]), OF13.Bucket(weight: 40, actions: [output(2)])])),
                    xid: 6)))
        // DEL group_id=4,type=all
        list.append(
            GoldenExpectation(
                "of13-group-mod-del-groups-4.hex", .of13(.groupMod(.init(command: .delete, type: .all, groupID: 4)), xid: 6)))
        // DEL group_id=4294967292,type=all (OFPG_ALL)
        list.append(
            GoldenExpectation(
                "of13-group-mod-del-groups.hex",
                .of13(.groupMod(.init(command: .delete, type: .all, groupID: OF13.GroupNumber.all)), xid: 6)))
        // MOD group_id=1,type=all,bucket=actions=output:2,bucket=actions=output:1,bucket=actions=LOCAL
        list.append(
            GoldenExpectation(
                "of13-group-mod-mod-group-all.hex",
                .of13(
                    .groupMod(
                        .init(
                            command: .modify, type: .all, groupID: 1,
                            buckets: [
                                OF13.Bucket(actions: [output(2)]), OF13.Bucket(actions: [output(1)]), OF13.Bucket(actions: [output(local)]),
                            ])),
                    xid: 6)))
        // OFPT_METER_MOD (OF1.3) (xid=0x2): ADD meter=3 kbps bands= type=dscp_remark rate=500 prec_level=1
        list.append(
            GoldenExpectation(
                "of13-meter-mod-add-meter-dscp-remark.hex",
                .of13(
                    .meterMod(
                        .init(
                            command: .add, flags: .kbps, meterID: 3,
                            bands: [.dscpRemark(rate: 500, burstSize: 0, precedenceLevel: 1)])),
                    xid: 2)))
        // ADD meter=1 kbps burst stats bands= type=drop rate=1000 burst_size=100
        list.append(
            GoldenExpectation(
                "of13-meter-mod-add-meter-kbps-drop.hex",
                .of13(
                    .meterMod(
                        .init(
                            command: .add, flags: [.kbps, .burst, .stats], meterID: 1,
                            bands: [.drop(rate: 1000, burstSize: 100)])),
                    xid: 2)))
        // ADD meter=2 pktps bands= type=drop rate=100
        list.append(
            GoldenExpectation(
                "of13-meter-mod-add-meter-pktps-drop.hex",
                .of13(.meterMod(.init(command: .add, flags: .pktps, meterID: 2, bands: [.drop(rate: 100)])), xid: 2)))
        // DEL meter=2 bands=
        list.append(
            GoldenExpectation(
                "of13-meter-mod-del-meter-2.hex", .of13(.meterMod(.init(command: .delete, flags: [], meterID: 2)), xid: 2)))
        // DEL meter=all bands=
        list.append(
            GoldenExpectation(
                "of13-meter-mod-del-meters.hex",
                .of13(.meterMod(.init(command: .delete, flags: [], meterID: OF13.MeterNumber.all)), xid: 2)))
        // MOD meter=1 kbps stats bands= type=drop rate=2000
        list.append(
            GoldenExpectation(
                "of13-meter-mod-mod-meter.hex",
                .of13(
                    .meterMod(.init(command: .modify, flags: [.kbps, .stats], meterID: 1, bands: [.drop(rate: 2000)])),
                    xid: 2)))
        return list
    }()

    @Test(arguments: messages)
    func messageDecodes(_ expectation: GoldenExpectation) throws {
        try Golden.check(expectation)
    }

    static let multipart: [GoldenExpectation] = {
        var list: [GoldenExpectation] = []
        // OFPST_DESC request (OF1.3) (xid=0x2):
        list.append(
            GoldenExpectation("of13-multipart-desc-request.hex", request(2, .desc)))
        // OFPST_DESC reply (OF1.3) (xid=0x101b): Manufacturer: Nicira, Inc. Hardware: Open vSwitch
        // Software: 3.1.0 Serial Num: None DP Description: None
        list.append(
            GoldenExpectation(
                "of13-multipart-desc-reply.hex",
                reply(
                    0x101B,
                    .desc(
                        .init(
                            manufacturer: "Nicira, Inc.", hardware: "Open vSwitch", software: "3.1.0",
                            serialNumber: "None", datapath: "None")))))
        // OFPST_FLOW request (OF1.3) (xid=0x2): (all tables, no match)
        list.append(
            GoldenExpectation("of13-multipart-flow-request.hex", request(2, .flow(.init()))))
        // OFPST_FLOW request (OF1.3) (xid=0x6): table=0 ip,nw_dst=10.0.0.0/8
        list.append(
            GoldenExpectation(
                "of13-multipart-flow-request-dump-flows-match.hex",
                request(
                    6, .flow(.init(tableID: 0, match: OF13.Match([ip4, .ipv4Dst(ip("10.0.0.0"), mask: ip("255.0.0.0"))]))))))
        // OFPST_FLOW request (OF1.3) (xid=0x6): (cookie=0x1234/-1: OVS omits it from the text, the
        // bytes carry it)
        list.append(
            GoldenExpectation(
                "of13-multipart-flow-request-dump-flows-cookie.hex",
                request(6, .flow(.init(cookie: 0x1234, cookieMask: .max)))))
        // OFPST_FLOW reply (OF1.3) (xid=0x101d): (no flows)
        list.append(
            GoldenExpectation("of13-multipart-flow-reply.hex", reply(0x101D, .flow([]))))
        // OFPST_FLOW reply (OF1.3) (xid=0x6): cookie=0x1234, duration=1.447s, table=0, n_packets=0,
        // n_bytes=0, idle_timeout=60, hard_timeout=120, send_flow_rem check_overlap
        // priority=300,ip,nw_dst=10.9.9.9 actions=output:2
        list.append(
            GoldenExpectation(
                "of13-multipart-flow-reply-dump-flows-cookie.hex",
                reply(
                    6,
                    .flow([
                        OF13.FlowStats(
                            tableID: 0, durationSeconds: 1, durationNanoseconds: 447_000_000, priority: 300,
                            idleTimeout: 60, hardTimeout: 120, flags: [.sendFlowRemoved, .checkOverlap], cookie: 0x1234,
                            match: OF13.Match([ip4, .ipv4Dst(ip("10.9.9.9"))]), instructions: [apply(output(2))])
                    ]))))
        // OFPST_AGGREGATE request (OF1.3) (xid=0x2):
        list.append(
            GoldenExpectation("of13-multipart-aggregate-request.hex", request(2, .aggregate(.init()))))
        // OFPST_AGGREGATE request (OF1.3) (xid=0x6): table=1
        list.append(
            GoldenExpectation(
                "of13-multipart-aggregate-request-dump-aggregate-match.hex", request(6, .aggregate(.init(tableID: 1)))))
        // OFPST_AGGREGATE reply (OF1.3) (xid=0x2): packet_count=0 byte_count=0 flow_count=30
        list.append(
            GoldenExpectation(
                "of13-multipart-aggregate-reply-dump-aggregate.hex", reply(2, .aggregate(.init(flowCount: 30)))))
        // OFPST_AGGREGATE reply (OF1.3) (xid=0x6): packet_count=0 byte_count=0 flow_count=2
        list.append(
            GoldenExpectation(
                "of13-multipart-aggregate-reply-dump-aggregate-match.hex", reply(6, .aggregate(.init(flowCount: 2)))))
        // OFPST_TABLE request (OF1.3) (xid=0x2):
        list.append(
            GoldenExpectation("of13-multipart-table-request.hex", request(2, .table)))
        // OFPST_TABLE reply (OF1.3) (xid=0x1021): table 0: active=0, lookup=0, matched=0;
        // tables 1...253: ditto
        list.append(
            GoldenExpectation(
                "of13-multipart-table-reply.hex",
                reply(0x1021, .table(WireList((0...253).map { OF13.TableStats(tableID: UInt8($0)) })))))
        // OFPST_PORT request (OF1.3) (xid=0x2): port_no=ANY
        list.append(
            GoldenExpectation("of13-multipart-port-request.hex", request(2, .portStats(portNumber: any))))
        // OFPST_PORT request (OF1.3) (xid=0x2): port_no=1
        list.append(
            GoldenExpectation("of13-multipart-port-request-dump-ports-1.hex", request(2, .portStats(portNumber: 1))))
        // OFPST_PORT reply (OF1.3) (xid=0x2): 1 ports; port 1: rx pkts=0, ... duration=2.438s
        list.append(
            GoldenExpectation(
                "of13-multipart-port-reply-dump-ports-1.hex",
                reply(
                    2, .portStats([OF13.PortStats(portNumber: 1, durationSeconds: 2, durationNanoseconds: 438_000_000)]))))
        // OFPST_PORT reply (OF1.3) (xid=0x2): 3 ports: LOCAL duration=2.373s, 1 duration=2.374s,
        // 2 duration=2.374s
        list.append(
            GoldenExpectation(
                "of13-multipart-port-reply-dump-ports.hex",
                reply(
                    2,
                    .portStats([
                        OF13.PortStats(portNumber: local, durationSeconds: 2, durationNanoseconds: 373_000_000),
                        OF13.PortStats(portNumber: 1, durationSeconds: 2, durationNanoseconds: 374_000_000),
                        OF13.PortStats(portNumber: 2, durationSeconds: 2, durationNanoseconds: 374_000_000),
                    ]))))
        // OFPST_QUEUE request (OF1.3) (xid=0x2): port=ANY queue=ALL
        list.append(
            GoldenExpectation("of13-multipart-queue-request.hex", request(2, .queue(.init()))))
        // OFPST_QUEUE request (OF1.3) (xid=0x2): port=1 queue=0
        list.append(
            GoldenExpectation(
                "of13-multipart-queue-request-queue-stats-port-1-queue-0.hex",
                request(2, .queue(.init(portNumber: 1, queueID: 0)))))
        // OFPST_QUEUE reply (OF1.3) (xid=0x1025): 0 queues
        list.append(
            GoldenExpectation("of13-multipart-queue-reply.hex", reply(0x1025, .queue([]))))
        // OFPST_GROUP request (OF1.3) (xid=0x6): group_id=ALL
        list.append(
            GoldenExpectation("of13-multipart-group-request.hex", request(6, .group(groupID: OF13.GroupNumber.all))))
        // OFPST_GROUP reply (OF1.3) (xid=0x6): group_id=2,duration=0.645s,ref_count=0,...,bucket0:...,bucket1:...
        // group_id=3,duration=0.557s (1 bucket); group_id=4,duration=0.453s (2 buckets);
        // group_id=1,duration=0.735s (3 buckets)
        list.append(
            GoldenExpectation(
                "of13-multipart-group-reply-dump-group-stats.hex",
                reply(
                    6,
                    .group([
                        OF13.GroupStats(
                            groupID: 2, durationNanoseconds: 645_000_000, bucketStats: [.init(), .init()]),
                        OF13.GroupStats(groupID: 3, durationNanoseconds: 557_000_000, bucketStats: [.init()]),
                        OF13.GroupStats(
                            groupID: 4, durationNanoseconds: 453_000_000, bucketStats: [.init(), .init()]),
                        OF13.GroupStats(
                            groupID: 1, durationNanoseconds: 735_000_000, bucketStats: [.init(), .init(), .init()]),
                    ]))))
        // OFPST_GROUP_DESC request (OF1.3) (xid=0x2): group_id=ALL
        list.append(
            GoldenExpectation("of13-multipart-group-desc-request.hex", request(2, .groupDesc)))
        // OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):
        //  group_id=2,type=select,bucket=weight:60,actions=output:1,bucket=weight:40,actions=output:2
        //  group_id=3,type=indirect,bucket=actions=set_field:02:00:00:00:00:99->eth_dst,output:2
        //  group_id=4,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
        //  group_id=1,type=all,bucket=actions=output:2,bucket=actions=output:1,bucket=actions=LOCAL
        list.append(
            GoldenExpectation(
                "of13-multipart-group-desc-reply-dump-groups.hex",
                reply(
                    2,
                    .groupDesc([
                        OF13.GroupDescription(
                            type: .select, groupID: 2,
                            buckets: [OF13.Bucket(weight: 60, actions: [output(1)]), OF13.Bucket(weight: 40, actions: [output(2)])]),
                        OF13.GroupDescription(
                            type: .indirect, groupID: 3,
                            buckets: [OF13.Bucket(actions: [.setField(.ethDst(mac("02:00:00:00:00:99"))), output(2)])]),
                        OF13.GroupDescription(
                            type: .fastFailover, groupID: 4,
                            buckets: [OF13.Bucket(watchPort: 1, actions: [output(1)]), OF13.Bucket(watchPort: 2, actions: [output(2)])]),
                        OF13.GroupDescription(
                            type: .all, groupID: 1,
                            buckets: [
                                OF13.Bucket(actions: [output(2)]), OF13.Bucket(actions: [output(1)]), OF13.Bucket(actions: [output(local)]),
                            ]),
                    ]))))
        // OFPST_GROUP_FEATURES reply (OF1.3) (xid=0x102b): Types: 0xf Capabilities: 0x7;
        // each type: max_groups=0xffffff00, actions: output group set_field strip_vlan push_vlan
        // mod_nw_ttl dec_ttl set_mpls_ttl dec_mpls_ttl push_mpls pop_mpls set_queue
        // (bits OFPAT_OUTPUT 0 and OFPAT_SET_MPLS_TTL 15 ... OFPAT_SET_FIELD 25 of ofp_action_type)
        list.append(
            GoldenExpectation(
                "of13-multipart-group-features-reply.hex",
                reply(
                    0x102B,
                    .groupFeatures(
                        .init(
                            types: 0xF, capabilities: [.selectWeight, .selectLiveness, .chaining],
                            maxGroups: Array(repeating: 0xFFFF_FF00, count: 4),
                            actions: Array(repeating: 0x03FF_8001, count: 4))))))
        // OFPST_METER request (OF1.3) (xid=0x2): meter=all
        list.append(
            GoldenExpectation("of13-multipart-meter-request.hex", request(2, .meter(.init()))))
        // OFPST_METER request (OF1.3) (xid=0x2): meter=1
        list.append(
            GoldenExpectation("of13-multipart-meter-request-meter-stats-1.hex", request(2, .meter(.init(meterID: 1)))))
        // OFPST_METER reply (OF1.3) (xid=0x2): meter:1 flow_count:0 packet_in_count:0 byte_in_count:0
        // duration:0.382s bands: 0: packet_count:0 byte_count:0
        list.append(
            GoldenExpectation(
                "of13-multipart-meter-reply-meter-stats-1.hex",
                reply(2, .meter([OF13.MeterStats(meterID: 1, durationNanoseconds: 382_000_000, bandStats: [.init()])]))))
        // meter:1 ... duration:0.319s bands: 0: ...; meter:2 ... duration:0.254s bands: 0: ...
        list.append(
            GoldenExpectation(
                "of13-multipart-meter-reply-meter-stats.hex",
                reply(
                    2,
                    .meter([
                        OF13.MeterStats(meterID: 1, durationNanoseconds: 319_000_000, bandStats: [.init()]),
                        OF13.MeterStats(meterID: 2, durationNanoseconds: 254_000_000, bandStats: [.init()]),
                    ]))))
        // OFPST_METER_CONFIG request (OF1.3) (xid=0x2): meter=all
        list.append(
            GoldenExpectation("of13-multipart-meter-config-request.hex", request(2, .meterConfig(.init()))))
        // OFPST_METER_CONFIG reply (OF1.3) (xid=0x2): meter=1 kbps stats bands= type=drop rate=2000;
        // meter=2 pktps bands= type=drop rate=100. OVS leaves burst_size out of the text when the
        // meter has no OFPMF_BURST flag; on the wire it filled it with the rate.
        list.append(
            GoldenExpectation(
                "of13-multipart-meter-config-reply-dump-meters.hex",
                reply(
                    2,
                    .meterConfig([
                        OF13.MeterConfig(flags: [.kbps, .stats], meterID: 1, bands: [.drop(rate: 2000, burstSize: 2000)]),
                        OF13.MeterConfig(flags: .pktps, meterID: 2, bands: [.drop(rate: 100, burstSize: 100)]),
                    ]))))
        // OFPST_METER_FEATURES request (OF1.3) (xid=0x2):
        list.append(
            GoldenExpectation("of13-multipart-meter-features-request.hex", request(2, .meterFeatures)))
        // OFPST_METER_FEATURES reply (OF1.3) (xid=0x1031): max_meter:262144 max_bands:8 max_color:0
        // band_types: drop capabilities: kbps pktps burst stats
        list.append(
            GoldenExpectation(
                "of13-multipart-meter-features-reply.hex",
                reply(
                    0x1031,
                    .meterFeatures(.init(maxMeter: 262_144, bandTypes: 1 << 1, capabilities: 0xF, maxBands: 8, maxColor: 0)))))
        // OFPST_PORT_DESC request (OF1.3) (xid=0x3): port=ANY
        list.append(
            GoldenExpectation("of13-multipart-port-desc-request.hex", request(3, .portDesc)))
        // OFPST_PORT_DESC reply (OF1.3) (xid=0x1033): LOCAL(br13): addr:1e:35:93:a1:1d:49,
        // 1(vfx13a): addr:fa:29:c0:c9:aa:1c, 2(vfx13b): addr:46:d8:15:4f:e6:32; each config: PORT_DOWN,
        // state: LINK_DOWN, current: 10GB-FD COPPER, speed: 10000 Mbps now, 0 Mbps max
        list.append(
            GoldenExpectation(
                "of13-multipart-port-desc-reply.hex",
                reply(
                    0x1033,
                    .portDesc([
                        port(local, "br13", "1e:35:93:a1:1d:49", config: .portDown, state: .linkDown),
                        port(1, "vfx13a", "fa:29:c0:c9:aa:1c", config: .portDown, state: .linkDown),
                        port(2, "vfx13b", "46:d8:15:4f:e6:32", config: .portDown, state: .linkDown),
                    ]))))
        // OFPST_TABLE_FEATURES request (OF1.3) (xid=0x2):
        list.append(
            GoldenExpectation("of13-multipart-table-features-request.hex", request(2, .tableFeatures([]))))
        return list
    }()

    @Test(arguments: multipart)
    func multipartDecodes(_ expectation: GoldenExpectation) throws {
        try Golden.check(expectation)
    }

    /// OVS names errors with OpenFlow 1.0 names where 1.3 renamed them.
    static let ovsErrorAliases = ["OFPBRC_BAD_STAT": "OFPBRC_BAD_MULTIPART", "OFPBRC_BAD_VENDOR": "OFPBRC_BAD_EXPERIMENTER"]

    /// Every error: the type/code names agree with the name OVS printed, and the offending
    /// message the error carries decodes to what OVS printed for it.
    /// (fixture, error type, the embedded message OVS printed, or nil where OVS could not decode it either)
    static let errors: [(String, OF13.ErrorMessage.ErrorType, OpenFlowMessage?)] = [
        ("of13-error-bad-request-bad-type.hex", OF13.ErrorMessage.ErrorType.badRequest, nil as OpenFlowMessage?),
        ("of13-error-bad-request-bad-stat.hex", .badRequest, nil),
        ("of13-error-bad-request-bad-vendor.hex", .badRequest, nil),
        // OFPBRC_EPERM: OFPT_FLOW_MOD (OF1.3) (xid=0x103b): ADD table:254 actions=output:1
        (
            "of13-error-bad-request-eperm.hex", .badRequest,
            flowMod(0x103B, .init(tableID: 254, instructions: [apply(.output(port: 1, maxLength: 0xFFE5))]))
        ),
        // OFPFMFC_OVERLAP: OFPT_FLOW_MOD (OF1.3) (xid=0x6): ADD priority=300,ip check_overlap actions=drop
        (
            "of13-error-flow-mod-failed-overlap.hex", .flowModFailed,
            flowMod(6, .init(priority: 300, flags: .checkOverlap, match: OF13.Match([ip4])))
        ),
        // OFPGMFC_GROUP_EXISTS: OFPT_GROUP_MOD (OF1.3) (xid=0x6): ADD group_id=1,type=all,bucket=actions=output:1
        (
            "of13-error-group-mod-failed-group-exists.hex", .groupModFailed,
            .of13(.groupMod(.init(groupID: 1, buckets: [OF13.Bucket(actions: [output(1)])])), xid: 6)
        ),
        // OFPGMFC_UNKNOWN_GROUP: OFPT_GROUP_MOD (OF1.3) (xid=0x1043): MOD group_id=77,type=all
        (
            "of13-error-group-mod-failed-unknown-group.hex", .groupModFailed,
            .of13(.groupMod(.init(command: .modify, groupID: 77)), xid: 0x1043)
        ),
        // OFPMMFC_BAD_BAND: OFPT_METER_MOD (OF1.3) (xid=0x2): ADD meter=3 kbps bands= type=dscp_remark rate=500 prec_level=1
        (
            "of13-error-meter-mod-failed-bad-band.hex", .meterModFailed,
            .of13(.meterMod(.init(meterID: 3, bands: [.dscpRemark(rate: 500, precedenceLevel: 1)])), xid: 2)
        ),
        // OFPMMFC_UNKNOWN_METER: OFPT_METER_MOD (OF1.3) (xid=0x1045): MOD meter=77 kbps bands= type=drop rate=1000
        (
            "of13-error-meter-mod-failed-unknown-meter.hex", .meterModFailed,
            .of13(.meterMod(.init(command: .modify, meterID: 77, bands: [.drop(rate: 1000)])), xid: 0x1045)
        ),
        // OFPPMFC_BAD_PORT: OFPT_PORT_MOD (OF1.3) (xid=0x1047): port: 99: addr:02:00:00:00:00:63
        // config: PORT_DOWN mask: PORT_DOWN advertise: UNCHANGED
        (
            "of13-error-port-mod-failed-bad-port.hex", .portModFailed,
            .of13(
                .portMod(.init(portNumber: 99, hardwareAddress: mac("02:00:00:00:00:63"), config: .portDown, mask: .portDown)),
                xid: 0x1047)
        ),
        // OFPQOFC_BAD_QUEUE: OFPST_QUEUE request (OF1.3) (xid=0x2): port=1 queue=0
        (
            "of13-error-queue-op-failed-bad-queue.hex", .queueOpFailed,
            request(2, .queue(.init(portNumber: 1, queueID: 0)))
        ),
        // OFPRRFC_STALE: OFPT_ROLE_REQUEST (OF1.3) (xid=0x100b): role=primary generation_id=0
        (
            "of13-error-role-request-failed-stale.hex", .roleRequestFailed,
            .of13(.roleRequest(.init(role: .master, generationID: 0)), xid: 0x100B)
        ),
        // OFPRRFC_BAD_ROLE: OVS cannot decode role 7; we keep it as an unknown role.
        (
            "of13-error-role-request-failed-bad-role.hex", .roleRequestFailed,
            .of13(.roleRequest(.init(role: .init(rawValue: 7), generationID: 0)), xid: 0x1049)
        ),
        // OFPBAC_BAD_OUT_PORT: OVS's decoder rejects output to OFPP_ANY; ours keeps it.
        (
            "of13-error-bad-action-bad-out-port.hex", .badAction,
            flowMod(0x103D, .init(instructions: [apply(.output(port: any, maxLength: 0xFFE5))]))
        ),
        // OFPBIC_BAD_TABLE_ID: goto_table:0 from table 5.
        (
            "of13-error-bad-instruction-bad-table-id.hex", .badInstruction,
            flowMod(0x103F, .init(tableID: 5, instructions: [.gotoTable(0)]))
        ),
        // OFPBMC_BAD_PREREQ: ip_proto=6 without eth_type.
        (
            "of13-error-bad-match-bad-prereq.hex", .badMatch,
            flowMod(0x1041, .init(match: OF13.Match([.ipProto(6)]), instructions: [apply(.output(port: 1, maxLength: 0xFFE5))]))
        ),
    ]

    @Test(arguments: errors)
    func errorDecodes(_ name: String, _ type: OF13.ErrorMessage.ErrorType, _ offending: OpenFlowMessage?) throws {
        let fixture = try Golden.fixture(name)
        let message = try Golden.decode(name)
        guard case .of13(.error(let error), _) = message else {
            Issue.record("\(name): not an error: \(message)")
            return
        }
        #expect(error.type == type)
        // `OFPT_ERROR (OF1.3) (xid=0x1037): OFPBRC_BAD_STAT`
        let ovsName = try #require(OVSNames.firstLine(fixture)?.split(separator: " ").last.map(String.init))
        #expect(error.codeName == Self.ovsErrorAliases[ovsName] ?? ovsName, "\(name)")
        if let offending {
            #expect(try OpenFlowMessage(decoding: error.data) == offending, "\(name)")
        } else {
            // The data is the start of the request; its header is still readable.
            #expect(OpenFlowHeader.peek(error.data)?.xid == message.xid, "\(name)")
        }
    }

    /// HELLO_FAILED carries OVS's explanation as ASCII text, not a message.
    @Test func helloFailedCarriesText() throws {
        for (name, text) in [
            (
                "of13-error-hello-failed-incompatible.hex",
                "We support version 0x05, you support versions 0x01, 0x04, no common versions."
            ),
            (
                "of13-error-hello-failed-incompatible-hello-failed.hex",
                "We support version 0x01, you support version 0x04, no common versions."
            ),
        ] {
            let expected = OpenFlowMessage.of13(
                .error(.init(type: .helloFailed, code: 0, data: ByteBuffer(string: text))), xid: 0)
            try Golden.check(GoldenExpectation(name, expected))
            guard case .of13(.error(let error), _) = try Golden.decode(name) else { continue }
            #expect(error.codeName == "OFPHFC_INCOMPATIBLE")
        }
    }

    /// Nicira and ONF extension messages are kept as experimenter messages: id, subtype and
    /// body byte for byte.
    @Test func experimenterMessages() throws {
        let expectations = [
            // NXT_CT_FLUSH_ZONE (OF1.3) (xid=0x2): zone_id=5 (NXT_CT_FLUSH_ZONE = 29)
            GoldenExpectation(
                "of13-nx-ct-flush-zone.hex",
                .of13(
                    .experimenter(.init(experimenter: 0x2320, experimenterType: 29, data: Golden.bytes("0000000000000005"))),
                    xid: 2)),
            // NXT_SET_PACKET_IN_FORMAT (OF1.3) (xid=0xa): format=nxt_packet_in2 (NXT_SET_PACKET_IN_FORMAT
            // = 16, NXPIF_NXT_PACKET_IN2 = 2)
            GoldenExpectation(
                "of13-nx-set-packet-in-format.hex",
                .of13(
                    .experimenter(.init(experimenter: 0x2320, experimenterType: 16, data: Golden.bytes("00000002"))),
                    xid: 0xA)),
            // NXT_TLV_TABLE_REQUEST (OF1.3) (xid=0x2): (NXT_TLV_TABLE_REQUEST = 25, no body)
            GoldenExpectation(
                "of13-nx-tlv-table-request.hex",
                .of13(.experimenter(.init(experimenter: 0x2320, experimenterType: 25)), xid: 2)),
            // NXT_TLV_TABLE_REPLY (OF1.3) (xid=0x2): max option space=256 max fields=64 (subtype 26)
            GoldenExpectation(
                "of13-nx-tlv-table-reply.hex",
                .of13(
                    .experimenter(
                        .init(
                            experimenter: 0x2320, experimenterType: 26,
                            data: Golden.bytes("00000100 0040 0000 0000000000000000"))),
                    xid: 2)),
            // ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x7): bundle_id=0 type=OPEN_REQUEST flags=atomic ordered
            // (ONFT_BUNDLE_CONTROL = 2300)
            GoldenExpectation(
                "of13-onf-bundle-control.hex",
                .of13(
                    .experimenter(.init(experimenter: 0x4F4E_4600, experimenterType: 2300, data: Golden.bytes("00000000 0000 0003"))),
                    xid: 7)),
        ]
        for expectation in expectations { try Golden.check(expectation) }

        // ONFT_BUNDLE_ADD_MESSAGE (OF1.3) (xid=0x6): bundle_id=0 flags=atomic ordered
        // OFPT_FLOW_MOD (OF1.3) (xid=0x6): ADD priority=7,ip,nw_dst=10.7.7.7 actions=output:2
        guard case .of13(.experimenter(let add), let xid) = try Golden.decode("of13-onf-bundle-add-message.hex") else {
            Issue.record("bundle add is not an experimenter message")
            return
        }
        #expect(xid == 6)
        #expect(add.experimenter == OVSNames.onf)
        #expect(add.experimenterType == 2301)
        var data = add.data
        #expect(data.readInteger(as: UInt32.self) == 0)  // bundle_id
        #expect(data.readInteger(as: UInt16.self) == 0)  // pad
        #expect(data.readInteger(as: UInt16.self) == 3)  // flags: atomic | ordered
        #expect(
            try OpenFlowMessage(decoding: data)
                == flowMod(
                    6,
                    .init(priority: 7, match: OF13.Match([ip4, .ipv4Dst(ip("10.7.7.7"))]), instructions: [apply(output(2))])))
    }

    /// ONF flow monitor (an OpenFlow 1.4 feature that OVS offers 1.3 as an ONF extension) rides
    /// in OFPMP_EXPERIMENTER.
    @Test func flowMonitorMultipart() throws {
        // ONFST_FLOW_MONITOR request (OF1.3) (xid=0x9): id=0 flags=initial,add,delete,modify,actions,own
        // (ONFMP_FLOW_MONITOR = 1870; struct onf_flow_monitor_request: id, flags 0x3f, match_len 4,
        // out_port ANY, table_id 0xff, then an empty match)
        try Golden.check(
            GoldenExpectation(
                "of13-onf-stats-flow-monitor-request.hex",
                request(
                    9,
                    .experimenter(
                        .init(
                            experimenter: OVSNames.onf, experimenterType: 1870,
                            data: Golden.bytes("00000000 003f 0004 ffffffff ff000000 0001 0004 00000000"))))))

        // ONFST_FLOW_MONITOR reply (OF1.3) (xid=0x9): 11 updates, event=ADDED table=0 cookie=0 ...
        guard case .of13(.multipartReply(let reply), 9) = try Golden.decode("of13-onf-stats-flow-monitor-reply.hex"),
            case .experimenter(let body) = reply.body
        else {
            Issue.record("flow monitor reply is not an experimenter multipart reply")
            return
        }
        #expect(body.experimenter == OVSNames.onf)
        #expect(body.experimenterType == 1870)
        // The first update: length 0x48, event ADDED (0), reason 0, priority 0x8000,
        // idle 0, hard 0, match_len 0x0f, table 0, cookie 0, then
        // `dl_vlan=100,dl_vlan_pcp=3` as OXM and `pop_vlan,output:2` as instructions.
        var data = body.data
        #expect(data.readInteger(as: UInt16.self) == 0x48)
        #expect(data.readInteger(as: UInt16.self) == 0)
        #expect(data.readInteger(as: UInt16.self) == 0)
        #expect(data.readInteger(as: UInt16.self) == 0x8000)
    }

    /// The table-features reply is too long to write out; its first table is checked field by
    /// field against OVS's text.
    @Test func tableFeaturesReply() throws {
        // OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x2): flags=[more]
        //   table 0: metadata: match=0xffffffffffffffff write=0xffffffffffffffff max_entries=1000000
        //   instructions: meter apply_actions clear_actions write_actions write_metadata goto_table
        //   next tables: 1-253
        guard case .of13(.multipartReply(let reply), 2) = try Golden.decode("of13-multipart-table-features-reply.hex"),
            case .tableFeatures(let tables) = reply.body
        else {
            Issue.record("not a table features reply")
            return
        }
        #expect(reply.flags == .replyMore)
        let first = try #require(tables.elements.first)
        #expect(first.tableID == 0)
        #expect(first.metadataMatch == .max)
        #expect(first.metadataWrite == .max)
        #expect(first.maxEntries == 1_000_000)
        var instructions: Set<UInt16> = []
        var nextTables: [UInt8] = []
        for property in first.properties {
            switch property {
            case .instructions(let ids, miss: false): instructions = Set(ids.map(\.type))
            case .nextTables(let tables, miss: false): nextTables = tables
            default: break
            }
        }
        // goto_table 1, write_metadata 2, write_actions 3, apply_actions 4, clear_actions 5, meter 6
        #expect(instructions == [1, 2, 3, 4, 5, 6])
        #expect(nextTables == Array(1...253))
    }
}
