import Foundation
import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

private let controller = OF10.PortNumber.controller
private let local = OF10.PortNumber.local
private func mac(_ text: String) -> MACAddress { Golden.mac(text) }
private func ip(_ text: String) -> IPv4Address { Golden.ip(text) }
private func flowMod(_ flowMod: OF10.FlowMod) -> OpenFlowMessage { .of10(.flowMod(flowMod), xid: 6) }
private func request(_ xid: UInt32, _ body: OF10.StatsRequest.Body) -> OpenFlowMessage {
    .of10(.statsRequest(OF10.StatsRequest(body)), xid: xid)
}
private func reply(_ xid: UInt32, _ body: OF10.StatsReply.Body) -> OpenFlowMessage {
    .of10(.statsReply(OF10.StatsReply(body)), xid: xid)
}
/// `ip,nw_dst=A` as OVS encodes it: wildcards 0x003020ef.
private func ipDst(_ address: String) -> OF10.Match { OF10.Match(dlType: 0x0800, nwDst: ip(address)) }
/// `config: X / state: Y / current: 10GB-FD COPPER` (OpenFlow 1.0 has no speed fields; OVS
/// derives "10000 Mbps now" from the 10GB-FD bit).
private func port(
    _ number: UInt16, _ name: String, _ mac: String, config: OF10.PhysicalPort.Config, state: OF10.PhysicalPort.State
) -> OF10.PhysicalPort {
    OF10.PhysicalPort(
        portNumber: number, hardwareAddress: Golden.mac(mac), name: name, config: config, state: state,
        current: [.rate10GbFD, .copper])
}
/// The match a hand-written request used: every wildcard bit set (0x003fffff), every field 0.
private let everyWildcardBit = OF10.Match(
    wildcards: .all, inPort: 0, dlSrc: .zero, dlDst: .zero, dlVLAN: 0, dlVLANPCP: 0, dlType: 0, nwTOS: 0, nwProto: 0,
    nwSrc: .any, nwDst: .any, tpSrc: 0, tpDst: 0)

/// OpenFlow 1.0 messages made by Open vSwitch decode to the values OVS itself read from them.
///
/// As for 1.3, each expectation is written from the fixture's `ofp-print` text, quoted above
/// it. OVS writes a 1.0 match with its wildcards in a canonical form (unused address bits as
/// a count of 32, `dl_vlan_pcp` and `nw_tos` wildcarded unless matched); the convenience
/// `OF10.Match` initialiser produces the same form, so whole values compare equal.
@Suite struct OVSGoldenOF10ExpectationTests {
    static let expectations: [GoldenExpectation] = {
        var list: [GoldenExpectation] = []
        // OFPT_HELLO (xid=0x2): version bitmap: 0x01 (an OpenFlow 1.0 HELLO has no elements)
        list.append(GoldenExpectation("of10-hello-from-ovs-vswitchd.hex", .hello(Hello(), version: 1, xid: 2)))
        // OFPT_ECHO_REPLY (xid=0x1005): 8 bytes of payload "vnm-echo"
        list.append(GoldenExpectation("of10-echo-reply.hex", .of10(.echoReply(ByteBuffer(string: "vnm-echo")), xid: 0x1005)))
        // OFPT_ECHO_REQUEST (xid=0x0): 0 bytes of payload
        list.append(GoldenExpectation("of10-echo-request.hex", .of10(.echoRequest(ByteBuffer()), xid: 0)))
        // OFPT_BARRIER_REQUEST (xid=0x4):
        list.append(GoldenExpectation("of10-barrier-request.hex", .of10(.barrierRequest, xid: 4)))
        // OFPT_BARRIER_REPLY (xid=0x1002):
        list.append(GoldenExpectation("of10-barrier-reply.hex", .of10(.barrierReply, xid: 0x1002)))
        // OFPT_FEATURES_REQUEST (xid=0x2):
        list.append(GoldenExpectation("of10-features-request.hex", .of10(.featuresRequest, xid: 2)))
        // OFPT_FEATURES_REPLY (xid=0x1001): dpid:0000000000000d10 n_tables:254, n_buffers:0
        // capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP
        // actions: output enqueue set_vlan_vid set_vlan_pcp strip_vlan mod_dl_src mod_dl_dst
        //   mod_nw_src mod_nw_dst mod_nw_tos mod_tp_src mod_tp_dst
        // 1(vfx10a): addr:2a:93:c6:95:a9:c2, 2(vfx10b): addr:fa:aa:c4:3b:28:9b,
        // LOCAL(br10): addr:a2:d0:84:4f:e1:47; each config: PORT_DOWN state: LINK_DOWN
        // current: 10GB-FD COPPER
        list.append(
            GoldenExpectation(
                "of10-features-reply.hex",
                .of10(
                    .featuresReply(
                        OF10.FeaturesReply(
                            datapathID: 0xD10, bufferCount: 0, tableCount: 254,
                            capabilities: [.flowStats, .tableStats, .portStats, .queueStats, .arpMatchIP],
                            actions: .all,
                            ports: [
                                port(local, "br10", "a2:d0:84:4f:e1:47", config: .portDown, state: .linkDown),
                                port(1, "vfx10a", "2a:93:c6:95:a9:c2", config: .portDown, state: .linkDown),
                                port(2, "vfx10b", "fa:aa:c4:3b:28:9b", config: .portDown, state: .linkDown),
                            ])),
                    xid: 0x1001)))
        // OFPT_GET_CONFIG_REQUEST (xid=0x4):
        list.append(GoldenExpectation("of10-get-config-request.hex", .of10(.getConfigRequest, xid: 4)))
        // OFPT_GET_CONFIG_REPLY (xid=0x1003): frags=normal miss_send_len=128
        list.append(
            GoldenExpectation(
                "of10-get-config-reply.hex",
                .of10(.getConfigReply(OF10.SwitchConfig(flags: .fragmentNormal, missSendLength: 128)), xid: 0x1003)))
        // OFPT_GET_CONFIG_REPLY (xid=0x5): frags=drop miss_send_len=0
        list.append(
            GoldenExpectation(
                "of10-get-config-reply-set-frags-drop.hex",
                .of10(.getConfigReply(OF10.SwitchConfig(flags: .fragmentDrop, missSendLength: 0)), xid: 5)))
        // OFPT_SET_CONFIG (xid=0x3): frags=normal miss_send_len=128
        list.append(
            GoldenExpectation(
                "of10-set-config-monitor.hex",
                .of10(.setConfig(OF10.SwitchConfig(flags: .fragmentNormal, missSendLength: 128)), xid: 3)))
        // OFPT_SET_CONFIG (xid=0x3): frags=drop miss_send_len=0
        list.append(
            GoldenExpectation(
                "of10-set-config-set-frags-drop.hex",
                .of10(.setConfig(OF10.SwitchConfig(flags: .fragmentDrop, missSendLength: 0)), xid: 3)))

        // OFPT_FLOW_MOD (xid=0x6): ADD arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1 actions=FLOOD
        // (1.0 carries ARP's spa/tpa/op in nw_src/nw_dst/nw_proto)
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-arp.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(dlType: 0x0806, nwProto: 1, nwSrc: ip("10.0.0.1"), nwDst: ip("10.0.0.2")),
                        actions: [.output(port: OF10.PortNumber.flood)]))))
        // ADD priority=1,ip actions=CONTROLLER:128
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-controller-max-len.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(dlType: 0x0800), priority: 1,
                        actions: [.output(port: controller, maxLength: 128)]))))
        // ADD priority=2,ipv6 actions=drop
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-drop.hex", flowMod(OF10.FlowMod(match: OF10.Match(dlType: 0x86DD), priority: 2))))
        // ADD in_port=2 actions=enqueue:1:3
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-enqueue.hex",
                flowMod(OF10.FlowMod(match: OF10.Match(inPort: 2), actions: [.enqueue(port: 1, queueID: 3)]))))
        // ADD priority=110,ip,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02 actions=output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-eth-addrs-type.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(
                            dlSrc: mac("02:00:00:00:00:01"), dlDst: mac("02:00:00:00:00:02"), dlType: 0x0800),
                        priority: 110, actions: [.output(port: 2)]))))
        // ADD priority=5,ip,nw_dst=192.0.2.77 cookie:0x77 hard:1 send_flow_rem actions=drop
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-hard-timeout.hex",
                flowMod(
                    OF10.FlowMod(
                        match: ipDst("192.0.2.77"), cookie: 0x77, hardTimeout: 1, priority: 5, flags: .sendFlowRemoved))))
        // ADD icmp,icmp_type=8,icmp_code=0 actions=NORMAL,LOCAL (1.0 carries ICMP type/code in tp_src/tp_dst)
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-icmp.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(dlType: 0x0800, nwProto: 1, tpSrc: 8, tpDst: 0),
                        actions: [.output(port: OF10.PortNumber.normal), .output(port: local)]))))
        // ADD priority=100,in_port=1 actions=output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-in-port-output.hex",
                flowMod(OF10.FlowMod(match: OF10.Match(inPort: 1), priority: 100, actions: [.output(port: 2)]))))
        // ADD ip,in_port=2 actions=mod_dl_src:02:00:00:00:00:aa,mod_dl_dst:02:00:00:00:00:bb,output:1
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-set-dl.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(inPort: 2, dlType: 0x0800),
                        actions: [
                            .setDLSrc(mac("02:00:00:00:00:aa")), .setDLDst(mac("02:00:00:00:00:bb")), .output(port: 1),
                        ]))))
        // ADD ip,nw_dst=10.1.1.1 actions=mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2,mod_nw_tos:32,output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-set-nw.hex",
                flowMod(
                    OF10.FlowMod(
                        match: ipDst("10.1.1.1"),
                        actions: [.setNwSrc(ip("10.0.0.1")), .setNwDst(ip("10.0.0.2")), .setNwTOS(32), .output(port: 2)]))))
        // ADD tcp,tp_dst=22 actions=mod_tp_src:1000,mod_tp_dst:2000,output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-set-tp.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(dlType: 0x0800, nwProto: 6, tpDst: 22),
                        actions: [.setTpSrc(1000), .setTpDst(2000), .output(port: 2)]))))
        // ADD in_port=1 actions=mod_vlan_vid:200,mod_vlan_pcp:5,output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-set-vlan.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(inPort: 1), actions: [.setVLANVID(200), .setVLANPCP(5), .output(port: 2)]))))
        // ADD priority=0 actions=CONTROLLER:65535
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-table-miss-controller.hex",
                flowMod(OF10.FlowMod(priority: 0, actions: [.output(port: controller, maxLength: 0xFFFF)]))))
        // ADD tcp,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24,nw_tos=32,tp_src=1024,tp_dst=80 actions=output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-tcp-masked.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(
                            dlType: 0x0800, nwTOS: 32, nwProto: 6, nwSrc: ip("10.0.0.0"), nwSrcPrefixLength: 8,
                            nwDst: ip("192.168.1.0"), nwDstPrefixLength: 24, tpSrc: 1024, tpDst: 80),
                        actions: [.output(port: 2)]))))
        // ADD priority=300,ip,nw_dst=10.9.9.9 cookie:0x1234 idle:60 hard:120 send_flow_rem check_overlap actions=output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-timeouts-cookie-flags.hex",
                flowMod(
                    OF10.FlowMod(
                        match: ipDst("10.9.9.9"), cookie: 0x1234, idleTimeout: 60, hardTimeout: 120, priority: 300,
                        flags: [.sendFlowRemoved, .checkOverlap], actions: [.output(port: 2)]))))
        // ADD priority=200,udp actions=CONTROLLER:64
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-udp-controller-64.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(dlType: 0x0800, nwProto: 17), priority: 200,
                        actions: [.output(port: controller, maxLength: 64)]))))
        // ADD udp,in_port=1,tp_src=53 actions=IN_PORT
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-udp-in-port.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(inPort: 1, dlType: 0x0800, nwProto: 17, tpSrc: 53),
                        actions: [.output(port: OF10.PortNumber.inPort)]))))
        // ADD dl_vlan=100,dl_vlan_pcp=3 actions=strip_vlan,output:2
        list.append(
            GoldenExpectation(
                "of10-flow-mod-add-flow-vlan-strip.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(dlVLAN: 100, dlVLANPCP: 3), actions: [.stripVLAN, .output(port: 2)]))))
        // DEL actions=drop
        list.append(
            GoldenExpectation("of10-flow-mod-del-flows-before-packet-in.hex", flowMod(OF10.FlowMod(command: .delete))))
        // DEL ip,nw_dst=10.0.0.0/8 actions=drop
        list.append(
            GoldenExpectation(
                "of10-flow-mod-del-flows-match.hex",
                flowMod(
                    OF10.FlowMod(
                        match: OF10.Match(dlType: 0x0800, nwDst: ip("10.0.0.0"), nwDstPrefixLength: 8),
                        command: .delete))))
        // DEL out_port:2 actions=drop
        list.append(
            GoldenExpectation(
                "of10-flow-mod-del-flows-out-port.hex", flowMod(OF10.FlowMod(command: .delete, outPort: 2))))
        // DEL_STRICT priority=5,ip,nw_dst=192.0.2.79 actions=drop
        list.append(
            GoldenExpectation(
                "of10-flow-mod-del-flows-strict.hex",
                flowMod(OF10.FlowMod(match: ipDst("192.0.2.79"), command: .deleteStrict, priority: 5))))
        // MOD_STRICT priority=100,in_port=1 actions=drop
        list.append(
            GoldenExpectation(
                "of10-flow-mod-mod-flows-strict.hex",
                flowMod(OF10.FlowMod(match: OF10.Match(inPort: 1), command: .modifyStrict, priority: 100))))
        // MOD in_port=1 actions=output:1
        list.append(
            GoldenExpectation(
                "of10-flow-mod-mod-flows.hex",
                flowMod(OF10.FlowMod(match: OF10.Match(inPort: 1), command: .modify, actions: [.output(port: 1)]))))

        // OFPT_FLOW_REMOVED (xid=0x0): priority=300,ip,nw_dst=10.9.9.9 reason=delete cookie:0x1234
        // duration2.651s idle60 pkts0 bytes0
        list.append(
            GoldenExpectation(
                "of10-flow-removed-del-flows-before-packet-in.hex",
                .of10(
                    .flowRemoved(
                        OF10.FlowRemoved(
                            match: ipDst("10.9.9.9"), cookie: 0x1234, priority: 300, reason: .delete, durationSec: 2,
                            durationNsec: 651_000_000, idleTimeout: 60)),
                    xid: 0)))
        // priority=5,ip,nw_dst=192.0.2.78 reason=idle cookie:0x78 duration1.066s idle1 pkts0 bytes0
        list.append(
            GoldenExpectation(
                "of10-flow-removed-flow-removed-timeout-2.hex",
                .of10(
                    .flowRemoved(
                        OF10.FlowRemoved(
                            match: ipDst("192.0.2.78"), cookie: 0x78, priority: 5, reason: .idleTimeout, durationSec: 1,
                            durationNsec: 66_000_000, idleTimeout: 1)),
                    xid: 0)))
        // priority=5,ip,nw_dst=192.0.2.77 reason=hard cookie:0x77 duration1.130s idle0 pkts0 bytes0
        list.append(
            GoldenExpectation(
                "of10-flow-removed-flow-removed-timeout.hex",
                .of10(
                    .flowRemoved(
                        OF10.FlowRemoved(
                            match: ipDst("192.0.2.77"), cookie: 0x77, priority: 5, reason: .hardTimeout, durationSec: 1,
                            durationNsec: 130_000_000)),
                    xid: 0)))

        // OFPT_PACKET_IN (xid=0x0): total_len=60 in_port=1 (via action) data_len=60 (unbuffered) udp,...
        list.append(
            GoldenExpectation(
                "of10-packet-in-packet-out-table-miss-udp.hex",
                .of10(.packetIn(OF10.PacketIn(totalLength: 60, inPort: 1, reason: .action, data: Golden.udpPacket)), xid: 0)))
        // total_len=42 in_port=1 (via no_match) data_len=42 (unbuffered) arp,...
        list.append(
            GoldenExpectation(
                "of10-packet-in-packet-out-table-no-flows.hex",
                .of10(.packetIn(OF10.PacketIn(totalLength: 42, inPort: 1, reason: .noMatch, data: Golden.arpPacket)), xid: 0)))
        // total_len=60 in_port=2 (via action) data_len=60 (unbuffered)
        list.append(
            GoldenExpectation(
                "of10-packet-in-packet-out-table-udp-truncated.hex",
                .of10(.packetIn(OF10.PacketIn(totalLength: 60, inPort: 2, reason: .action, data: Golden.udpPacket)), xid: 0)))

        // OFPT_PACKET_OUT (xid=0x6): in_port=CONTROLLER actions=output:2 data_len=42
        list.append(
            GoldenExpectation(
                "of10-packet-out-packet-out-output-arp.hex",
                .of10(
                    .packetOut(OF10.PacketOut(inPort: controller, actions: [.output(port: 2)], data: Golden.arpPacket)),
                    xid: 6)))
        // in_port=1 actions=mod_nw_tos:40,CONTROLLER:65535 data_len=60
        list.append(
            GoldenExpectation(
                "of10-packet-out-packet-out-set-tos-controller.hex",
                .of10(
                    .packetOut(
                        OF10.PacketOut(
                            inPort: 1, actions: [.setNwTOS(40), .output(port: controller, maxLength: 0xFFFF)],
                            data: Golden.udpPacket)),
                    xid: 6)))
        // in_port=1 actions=TABLE data_len=60
        list.append(
            GoldenExpectation(
                "of10-packet-out-packet-out-table-miss-udp.hex",
                .of10(
                    .packetOut(
                        OF10.PacketOut(inPort: 1, actions: [.output(port: OF10.PortNumber.table)], data: Golden.udpPacket)),
                    xid: 6)))

        // OFPT_PORT_STATUS (xid=0x0): ADD: 3(vfx10c): addr:ca:dc:6f:8a:ef:20 config: PORT_DOWN state: LINK_DOWN
        list.append(
            GoldenExpectation(
                "of10-port-status-port-add.hex",
                .of10(
                    .portStatus(
                        OF10.PortStatus(
                            reason: .add,
                            port: port(3, "vfx10c", "ca:dc:6f:8a:ef:20", config: .portDown, state: .linkDown))),
                    xid: 0)))
        // DEL: 3(vfx10c): addr:ca:dc:6f:8a:ef:20 config: PORT_DOWN state: LINK_DOWN
        list.append(
            GoldenExpectation(
                "of10-port-status-port-delete.hex",
                .of10(
                    .portStatus(
                        OF10.PortStatus(
                            reason: .delete,
                            port: port(3, "vfx10c", "ca:dc:6f:8a:ef:20", config: .portDown, state: .linkDown))),
                    xid: 0)))
        // MOD: 2(vfx10b): addr:fa:aa:c4:3b:28:9b config: NO_STP state: 0
        list.append(
            GoldenExpectation(
                "of10-port-status-mod-port-no-stp.hex",
                .of10(
                    .portStatus(
                        OF10.PortStatus(reason: .modify, port: port(2, "vfx10b", "fa:aa:c4:3b:28:9b", config: .noSTP, state: []))),
                    xid: 0)))
        // MOD: 2(vfx10b): config: NO_FLOOD state: 0
        list.append(
            GoldenExpectation(
                "of10-port-status-mod-port-no-flood.hex",
                .of10(
                    .portStatus(
                        OF10.PortStatus(
                            reason: .modify, port: port(2, "vfx10b", "fa:aa:c4:3b:28:9b", config: .noFlood, state: []))),
                    xid: 0)))

        // OFPT_PORT_MOD (xid=0x4): port: 2: addr:fa:aa:c4:3b:28:9b config: PORT_DOWN mask: PORT_DOWN advertise: UNCHANGED
        list.append(
            GoldenExpectation(
                "of10-port-mod-mod-port-down.hex",
                .of10(
                    .portMod(
                        OF10.PortMod(portNumber: 2, hardwareAddress: mac("fa:aa:c4:3b:28:9b"), config: .portDown, mask: .portDown)),
                    xid: 4)))
        // port: 2: config: 0 mask: NO_FLOOD
        list.append(
            GoldenExpectation(
                "of10-port-mod-mod-port-flood.hex",
                .of10(
                    .portMod(OF10.PortMod(portNumber: 2, hardwareAddress: mac("fa:aa:c4:3b:28:9b"), config: [], mask: .noFlood)),
                    xid: 4)))
        // port: 2: config: NO_STP mask: NO_STP
        list.append(
            GoldenExpectation(
                "of10-port-mod-mod-port-no-stp.hex",
                .of10(
                    .portMod(OF10.PortMod(portNumber: 2, hardwareAddress: mac("fa:aa:c4:3b:28:9b"), config: .noSTP, mask: .noSTP)),
                    xid: 4)))

        // OFPT_QUEUE_GET_CONFIG_REQUEST (xid=0x2): port=1
        list.append(
            GoldenExpectation(
                "of10-queue-get-config-request.hex", .of10(.queueGetConfigRequest(OF10.QueueGetConfigRequest(portNumber: 1)), xid: 2)))
        // OFPT_QUEUE_GET_CONFIG_REPLY (xid=0x1007): (port 1, no queues)
        list.append(
            GoldenExpectation(
                "of10-queue-get-config-reply.hex", .of10(.queueGetConfigReply(OF10.QueueGetConfigReply(portNumber: 1)), xid: 0x1007)))

        // OFPST_DESC request (xid=0x2):
        list.append(GoldenExpectation("of10-stats-desc-request.hex", request(2, .desc)))
        // OFPST_FLOW request (xid=0x2): (every table, no out_port)
        list.append(GoldenExpectation("of10-stats-flow-request.hex", request(2, .flow(OF10.FlowStatsRequest()))))
        // OFPST_FLOW request (xid=0x6): ip,nw_dst=10.0.0.0/8
        list.append(
            GoldenExpectation(
                "of10-stats-flow-request-dump-flows-match.hex",
                request(
                    6,
                    .flow(OF10.FlowStatsRequest(match: OF10.Match(dlType: 0x0800, nwDst: ip("10.0.0.0"), nwDstPrefixLength: 8))))))
        // OFPST_FLOW reply (xid=0x100f): (no flows)
        list.append(GoldenExpectation("of10-stats-flow-reply.hex", reply(0x100F, .flow([]))))
        // OFPST_FLOW reply (xid=0x6):
        //  cookie=0x0, duration=1.172s, table=0, n_packets=0, n_bytes=0, ip,nw_dst=10.1.1.1
        //    actions=mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2,mod_nw_tos:32,output:2
        //  cookie=0x1234, duration=0.905s, table=0, n_packets=0, n_bytes=0, idle_timeout=60, hard_timeout=120,
        //    priority=300,ip,nw_dst=10.9.9.9 actions=output:2
        list.append(
            GoldenExpectation(
                "of10-stats-flow-reply-dump-flows-match.hex",
                reply(
                    6,
                    .flow([
                        OF10.FlowStats(
                            match: ipDst("10.1.1.1"), durationSec: 1, durationNsec: 172_000_000,
                            actions: [.setNwSrc(ip("10.0.0.1")), .setNwDst(ip("10.0.0.2")), .setNwTOS(32), .output(port: 2)]),
                        OF10.FlowStats(
                            match: ipDst("10.9.9.9"), durationSec: 0, durationNsec: 905_000_000, priority: 300,
                            idleTimeout: 60, hardTimeout: 120, cookie: 0x1234, actions: [.output(port: 2)]),
                    ]))))
        // OFPST_AGGREGATE request (xid=0x2):
        list.append(GoldenExpectation("of10-stats-aggregate-request.hex", request(2, .aggregate(OF10.FlowStatsRequest()))))
        // OFPST_AGGREGATE request (xid=0x6): in_port=1
        list.append(
            GoldenExpectation(
                "of10-stats-aggregate-request-dump-aggregate-match.hex",
                request(6, .aggregate(OF10.FlowStatsRequest(match: OF10.Match(inPort: 1))))))
        // OFPST_AGGREGATE reply (xid=0x2): packet_count=0 byte_count=0 flow_count=18
        list.append(
            GoldenExpectation(
                "of10-stats-aggregate-reply-dump-aggregate.hex", reply(2, .aggregate(OF10.AggregateStats(flowCount: 18)))))
        // OFPST_AGGREGATE reply (xid=0x6): packet_count=0 byte_count=0 flow_count=3
        list.append(
            GoldenExpectation(
                "of10-stats-aggregate-reply-dump-aggregate-match.hex", reply(6, .aggregate(OF10.AggregateStats(flowCount: 3)))))
        // OFPST_TABLE request (xid=0x2):
        list.append(GoldenExpectation("of10-stats-table-request.hex", request(2, .table)))
        // OFPST_PORT request (xid=0x2): port_no=ANY (OFPP_NONE)
        list.append(GoldenExpectation("of10-stats-port-request.hex", request(2, .port(OF10.PortStatsRequest()))))
        // OFPST_PORT request (xid=0x2): port_no=1
        list.append(
            GoldenExpectation(
                "of10-stats-port-request-dump-ports-1.hex", request(2, .port(OF10.PortStatsRequest(portNumber: 1)))))
        // OFPST_PORT reply (xid=0x2): 1 ports; port 1: rx pkts=0, bytes=0, ... tx ... coll=0
        list.append(
            GoldenExpectation("of10-stats-port-reply-dump-ports-1.hex", reply(2, .port([OF10.PortStats(portNumber: 1)]))))
        // OFPST_PORT reply (xid=0x1015): 3 ports: LOCAL, 1, 2, all counters 0
        list.append(
            GoldenExpectation(
                "of10-stats-port-reply.hex",
                reply(
                    0x1015,
                    .port([OF10.PortStats(portNumber: local), OF10.PortStats(portNumber: 1), OF10.PortStats(portNumber: 2)]))))
        // OFPST_QUEUE request (xid=0x2): port=ANY queue=ALL (OFPP_ALL, OFPQ_ALL)
        list.append(GoldenExpectation("of10-stats-queue-request.hex", request(2, .queue(OF10.QueueStatsRequest()))))
        // OFPST_QUEUE request (xid=0x2): port=1 queue=0
        list.append(
            GoldenExpectation(
                "of10-stats-queue-request-queue-stats-port-1-queue-0.hex",
                request(2, .queue(OF10.QueueStatsRequest(portNumber: 1, queueID: 0)))))
        // OFPST_QUEUE reply (xid=0x1017): 0 queues
        list.append(GoldenExpectation("of10-stats-queue-reply.hex", reply(0x1017, .queue([]))))

        // NXT_ROLE_REPLY (xid=0x100b): role=primary (NXT_ROLE_REPLY = 11, NX_ROLE_MASTER = 1)
        list.append(
            GoldenExpectation(
                "of10-nx-role-reply-nx-role-master.hex",
                .of10(.vendor(OF10.VendorMessage(vendor: 0x2320, data: Golden.bytes("0000000b 00000001"))), xid: 0x100B)))
        // NXT_ROLE_REPLY (xid=0x1009): role=equal (NX_ROLE_OTHER = 0)
        list.append(
            GoldenExpectation(
                "of10-nx-role-reply-nx-role-other.hex",
                .of10(.vendor(OF10.VendorMessage(vendor: 0x2320, data: Golden.bytes("0000000b 00000000"))), xid: 0x1009)))
        // NXT_SET_FLOW_FORMAT (xid=0x6): format=nxm (NXT_SET_FLOW_FORMAT = 12, NXFF_NXM = 2)
        list.append(
            GoldenExpectation(
                "of10-nx-set-flow-format.hex",
                .of10(.vendor(OF10.VendorMessage(vendor: 0x2320, data: Golden.bytes("0000000c 00000002"))), xid: 6)))
        // NXST_FLOW request (xid=0x4): (NXST_FLOW = 0; out_port NONE, match_len 0, table ALL)
        list.append(
            GoldenExpectation(
                "of10-nx-stats-flow-request.hex",
                request(4, .vendor(id: 0x2320, body: Golden.bytes("00000000 00000000 ffff 0000 ff000000")))))
        return list
    }()

    @Test(arguments: expectations)
    func decodes(_ expectation: GoldenExpectation) throws {
        try Golden.check(expectation)
    }

    /// (fixture, error type, the offending message OVS printed, or nil where OVS could not decode it either)
    static let errors: [(String, OF10.ErrorMessage.ErrorType, OpenFlowMessage?)] = [
        ("of10-error-bad-request-bad-type.hex", .badRequest, nil),
        ("of10-error-bad-request-bad-stat.hex", .badRequest, nil),
        ("of10-error-bad-request-bad-vendor.hex", .badRequest, nil),
        // OFPBRC_BAD_VERSION: OFPT_FEATURES_REQUEST (xid=0x2222):
        ("of10-error-bad-request-bad-version.hex", .badRequest, .of10(.featuresRequest, xid: 0x2222)),
        // OFPPMFC_BAD_PORT: OFPT_PORT_MOD (xid=0x1023): port: 99: addr:02:00:00:00:00:63 config: PORT_DOWN mask: PORT_DOWN
        (
            "of10-error-port-mod-failed-bad-port.hex", .portModFailed,
            .of10(
                .portMod(OF10.PortMod(portNumber: 99, hardwareAddress: mac("02:00:00:00:00:63"), config: .portDown, mask: .portDown)),
                xid: 0x1023)
        ),
        // OFPQOFC_BAD_QUEUE: OFPST_QUEUE request (xid=0x2): port=1 queue=0
        ("of10-error-queue-op-failed-bad-queue.hex", .queueOpFailed, request(2, .queue(OF10.QueueStatsRequest(portNumber: 1, queueID: 0)))),
        // OFPBAC_BAD_OUT_PORT: OVS's decoder rejects output to OFPP_NONE; ours keeps it.
        (
            "of10-error-bad-action-bad-out-port.hex", .badAction,
            .of10(.flowMod(OF10.FlowMod(match: everyWildcardBit, actions: [.output(port: OF10.PortNumber.none)])), xid: 0x101F)
        ),
        // OFPBAC_BAD_TYPE: action type 0x77, kept as an unknown action.
        (
            "of10-error-bad-action-bad-type.hex", .badAction,
            .of10(
                .flowMod(OF10.FlowMod(match: everyWildcardBit, actions: [.unknown(type: 0x77, body: Golden.bytes("00000000"))])),
                xid: 0x1021)
        ),
    ]

    @Test(arguments: errors)
    func errorDecodes(_ name: String, _ type: OF10.ErrorMessage.ErrorType, _ offending: OpenFlowMessage?) throws {
        let fixture = try Golden.fixture(name)
        let message = try Golden.decode(name)
        guard case .of10(.error(let error), _) = message else {
            Issue.record("\(name): not an error: \(message)")
            return
        }
        #expect(error.type == type)
        // `OFPT_ERROR (xid=0x101b): OFPBRC_BAD_STAT`: OVS uses the 1.0 names, as we do.
        let ovsName = try #require(OVSNames.firstLine(fixture)?.split(separator: " ").last.map(String.init))
        #expect(error.codeName == ovsName, "\(name)")
        if let offending {
            #expect(try OpenFlowMessage(decoding: error.data) == offending, "\(name)")
        } else {
            #expect(OpenFlowHeader.peek(error.data)?.xid == message.xid, "\(name)")
        }
    }

    /// `OFPT_ERROR (xid=0x0): OFPHFC_INCOMPATIBLE` with OVS's explanation as text.
    @Test func helloFailedCarriesText() throws {
        try Golden.check(
            GoldenExpectation(
                "of10-error-hello-failed-incompatible.hex",
                .of10(
                    .error(
                        OF10.ErrorMessage(
                            type: .helloFailed, code: OF10.ErrorMessage.HelloFailedCode.incompatible,
                            data: ByteBuffer(string: "We support version 0x04, you support version 0x01, no common versions."))),
                    xid: 0)))
    }

    /// The packet-in after `mod_nw_tos:40`: the same UDP packet with TOS 40 (and its IPv4
    /// checksum updated), as OVS printed `nw_tos=40`.
    @Test func packetInAfterSetTOS() throws {
        guard case .of10(.packetIn(let packetIn), 0) = try Golden.decode("of10-packet-in-packet-out-set-tos-controller.hex") else {
            Issue.record("not a packet-in")
            return
        }
        #expect(packetIn.totalLength == 60)
        #expect(packetIn.inPort == 1)
        #expect(packetIn.reason == .action)
        #expect(packetIn.bufferID == OF10.noBuffer)
        #expect(packetIn.data.readableBytes == 60)
        #expect(packetIn.data.getInteger(at: packetIn.data.readerIndex + 15, as: UInt8.self) == 40)
    }

    /// OVS's port-description stats for 1.0 (stats type 13, borrowed from 1.3) is not an
    /// OpenFlow 1.0 message; it is kept as an unknown stats body whose bytes are 1.0 ports.
    @Test func portDescriptionExtension() throws {
        guard case .of10(.statsReply(let reply), 2) = try Golden.decode("of10-stats-port-desc-reply.hex"),
            case .unknown(let type, let body) = reply.body
        else {
            Issue.record("not a stats reply of an unknown type")
            return
        }
        #expect(type == 13)
        // LOCAL(br10): addr:a2:d0:84:4f:e1:47, 1(vfx10a): addr:2a:93:c6:95:a9:c2,
        // 2(vfx10b): addr:fa:aa:c4:3b:28:9b; config: PORT_DOWN state: LINK_DOWN current: 10GB-FD COPPER
        let ports = try WireList<OF10.PhysicalPort>(validating: WireReader(body, message: "port desc"))
        #expect(
            ports.elements == [
                port(local, "br10", "a2:d0:84:4f:e1:47", config: .portDown, state: .linkDown),
                port(1, "vfx10a", "2a:93:c6:95:a9:c2", config: .portDown, state: .linkDown),
                port(2, "vfx10b", "fa:aa:c4:3b:28:9b", config: .portDown, state: .linkDown),
            ])
    }

    /// NXT_FLOW_MOD (xid=0x8): ADD tun_id=0x1234 actions=output:2 -- a Nicira flow-mod with an NXM
    /// match, kept as vendor bytes: subtype 13, then the nx_flow_mod whose match is
    /// NXM_NX_TUN_ID (0x00012008) = 0x1234 and whose action is a 1.0 output to port 2.
    @Test func nxFlowMod() throws {
        guard case .of10(.vendor(let vendor), 8) = try Golden.decode("of10-nx-flow-mod-add-flow-nxm-tunnel-id.hex") else {
            Issue.record("not a vendor message")
            return
        }
        #expect(vendor.vendor == OF10.VendorMessage.nicira)
        var data = vendor.data
        #expect(data.readInteger(as: UInt32.self) == 13)  // NXT_FLOW_MOD
        #expect(data.readInteger(as: UInt64.self) == 0)  // cookie
        #expect(data.readInteger(as: UInt16.self) == 0)  // command ADD
        #expect(data.readInteger(as: UInt16.self) == 0)  // idle
        #expect(data.readInteger(as: UInt16.self) == 0)  // hard
        #expect(data.readInteger(as: UInt16.self) == 0x8000)  // priority
        #expect(data.readInteger(as: UInt32.self) == OF10.noBuffer)
        #expect(data.readInteger(as: UInt16.self) == OF10.PortNumber.none)
        #expect(data.readInteger(as: UInt16.self) == 0)  // flags
        #expect(data.readInteger(as: UInt16.self) == 12)  // match_len
        data.moveReaderIndex(forwardBy: 6)
        #expect(data.readInteger(as: UInt32.self) == 0x0001_2008)
        #expect(data.readInteger(as: UInt64.self) == 0x1234)
        data.moveReaderIndex(forwardBy: 4)  // pad the match to 8
        var reader = WireReader(data, message: "nx_flow_mod.actions")
        let action = try OF10.Action.read(from: &reader)
        #expect(action == .output(port: 2))
    }
}
