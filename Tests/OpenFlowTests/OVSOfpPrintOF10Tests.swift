import Foundation
import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

private func mac(_ text: String) -> MACAddress { Golden.mac(text) }
private func ip(_ text: String) -> IPv4Address { Golden.ip(text) }
private func of10(_ xid: UInt32, _ message: OF10.Message) -> OpenFlowMessage { .of10(message, xid: xid) }
private func request(_ xid: UInt32, _ body: OF10.StatsRequest.Body) -> OpenFlowMessage {
    .of10(.statsRequest(OF10.StatsRequest(body)), xid: xid)
}
private func reply(_ xid: UInt32, _ body: OF10.StatsReply.Body) -> OpenFlowMessage {
    .of10(.statsReply(OF10.StatsReply(body)), xid: xid)
}
private let controller = OF10.PortNumber.controller
private let port1 = OF10.PhysicalPort(
    portNumber: 1, hardwareAddress: mac("02:00:00:00:00:01"), name: "vnm-a", config: .noFlood, state: .linkDown,
    current: [.rate1GbFD, .copper], advertised: [.rate1GbFD, .autoneg], supported: [.rate1GbFD, .rate10GbFD])

/// OpenFlow 1.0 messages built here and encoded by our codec are read by Open vSwitch's
/// decoder as what we meant.
@Suite struct OVSOfpPrintOF10Tests {
    static let cases: [OfpPrintCase] = {
        var list: [OfpPrintCase] = []
        list.append(OfpPrintCase("hello", .hello(Hello(), version: 1, xid: 1), ["OFPT_HELLO (xid=0x1):", "version bitmap: 0x01"]))
        list.append(OfpPrintCase("echo-reply", of10(2, .echoReply(ByteBuffer(string: "pong!"))), ["OFPT_ECHO_REPLY (xid=0x2): 5 bytes of payload", "|pong!"]))
        list.append(OfpPrintCase("features-request", of10(3, .featuresRequest), ["OFPT_FEATURES_REQUEST (xid=0x3):"]))
        list.append(
            OfpPrintCase(
                "features-reply",
                of10(
                    3,
                    .featuresReply(
                        OF10.FeaturesReply(
                            datapathID: 0xCAFE, bufferCount: 64, tableCount: 2,
                            capabilities: [.flowStats, .tableStats, .portStats, .arpMatchIP],
                            actions: [.output, .setVLANVID, .stripVLAN, .setNwTOS, .enqueue], ports: [port1]))),
                ["OFPT_FEATURES_REPLY (xid=0x3): dpid:000000000000cafe", "n_tables:2, n_buffers:64", "capabilities: FLOW_STATS TABLE_STATS PORT_STATS ARP_MATCH_IP", "actions: output enqueue set_vlan_vid strip_vlan mod_nw_tos", " 1(vnm-a): addr:02:00:00:00:00:01", "config:     NO_FLOOD", "state:      LINK_DOWN", "current:    1GB-FD COPPER", "advertised: 1GB-FD AUTO_NEG", "supported:  1GB-FD 10GB-FD"]))
        list.append(OfpPrintCase("get-config-reply", of10(4, .getConfigReply(OF10.SwitchConfig(flags: .fragmentDrop, missSendLength: 512))), ["OFPT_GET_CONFIG_REPLY (xid=0x4): frags=drop miss_send_len=512"]))
        list.append(OfpPrintCase("set-config", of10(5, .setConfig(OF10.SwitchConfig(flags: .fragmentNormal, missSendLength: 128))), ["OFPT_SET_CONFIG (xid=0x5): frags=normal miss_send_len=128"]))
        list.append(
            OfpPrintCase(
                "flow-mod-every-field",
                of10(
                    6,
                    .flowMod(
                        OF10.FlowMod(
                            match: OF10.Match(
                                inPort: 3, dlSrc: mac("02:00:00:00:00:0a"), dlDst: mac("02:00:00:00:00:0b"), dlVLAN: 20,
                                dlVLANPCP: 4, dlType: 0x0800, nwTOS: 32, nwProto: 17, nwSrc: ip("10.0.0.0"),
                                nwSrcPrefixLength: 8, nwDst: ip("10.1.2.3"), tpSrc: 67, tpDst: 68),
                            cookie: 0x42, idleTimeout: 10, hardTimeout: 60, priority: 1234,
                            flags: [.sendFlowRemoved, .checkOverlap], actions: [.output(port: 2)]))),
                ["OFPT_FLOW_MOD (xid=0x6): ADD priority=1234,udp,in_port=3,dl_vlan=20,dl_vlan_pcp=4,dl_src=02:00:00:00:00:0a,dl_dst=02:00:00:00:00:0b,nw_src=10.0.0.0/8,nw_dst=10.1.2.3,nw_tos=32,tp_src=67,tp_dst=68 cookie:0x42 idle:10 hard:60 send_flow_rem check_overlap actions=output:2"]))
        list.append(
            OfpPrintCase(
                "flow-mod-every-action",
                of10(
                    7,
                    .flowMod(
                        OF10.FlowMod(
                            match: OF10.Match(inPort: 1, dlType: 0x0800, nwProto: 6),
                            actions: [
                                .setVLANVID(100), .setVLANPCP(3), .stripVLAN, .setDLSrc(mac("02:00:00:00:00:aa")),
                                .setDLDst(mac("02:00:00:00:00:bb")), .setNwSrc(ip("192.0.2.1")), .setNwDst(ip("192.0.2.2")),
                                .setNwTOS(64), .setTpSrc(1000), .setTpDst(2000), .enqueue(port: 2, queueID: 5),
                                .output(port: controller, maxLength: 128), .output(port: OF10.PortNumber.normal),
                            ]))),
                ["OFPT_FLOW_MOD (xid=0x7): ADD tcp,in_port=1 actions=mod_vlan_vid:100,mod_vlan_pcp:3,strip_vlan,mod_dl_src:02:00:00:00:00:aa,mod_dl_dst:02:00:00:00:00:bb,mod_nw_src:192.0.2.1,mod_nw_dst:192.0.2.2,mod_nw_tos:64,mod_tp_src:1000,mod_tp_dst:2000,enqueue:2:5,CONTROLLER:128,NORMAL"]))
        list.append(
            OfpPrintCase(
                "flow-mod-arp",
                of10(
                    8,
                    .flowMod(
                        OF10.FlowMod(
                            match: OF10.Match(dlType: 0x0806, nwProto: 2, nwSrc: ip("10.0.0.1"), nwDst: ip("10.0.0.2")),
                            priority: 5, actions: [.output(port: OF10.PortNumber.flood)]))),
                ["OFPT_FLOW_MOD (xid=0x8): ADD priority=5,arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=2 actions=FLOOD"]))
        list.append(
            OfpPrintCase(
                "flow-mod-delete",
                of10(9, .flowMod(OF10.FlowMod(match: OF10.Match(dlType: 0x0800, nwDst: ip("10.0.0.0"), nwDstPrefixLength: 16), command: .delete, outPort: 4))),
                ["OFPT_FLOW_MOD (xid=0x9): DEL ip,nw_dst=10.0.0.0/16 out_port:4 actions=drop"]))
        list.append(
            OfpPrintCase(
                "flow-mod-modify-strict",
                of10(10, .flowMod(OF10.FlowMod(match: OF10.Match(inPort: 2), command: .modifyStrict, priority: 7, actions: [.output(port: OF10.PortNumber.local)]))),
                ["OFPT_FLOW_MOD (xid=0xa): MOD_STRICT priority=7,in_port=2 actions=LOCAL"]))
        list.append(
            OfpPrintCase(
                "packet-in",
                of10(0, .packetIn(OF10.PacketIn(bufferID: 0x100, totalLength: 60, inPort: 3, reason: .noMatch, data: Golden.udpPacket))),
                ["OFPT_PACKET_IN (xid=0x0): total_len=60 in_port=3 (via no_match) data_len=60 buffer=0x00000100", "udp,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,nw_src=192.0.2.1,nw_dst=192.0.2.2"]))
        list.append(
            OfpPrintCase(
                "packet-out",
                of10(
                    11,
                    .packetOut(
                        OF10.PacketOut(
                            inPort: 1, actions: [.setDLDst(mac("ff:ff:ff:ff:ff:ff")), .output(port: OF10.PortNumber.all)],
                            data: Golden.arpPacket))),
                ["OFPT_PACKET_OUT (xid=0xb): in_port=1 actions=mod_dl_dst:ff:ff:ff:ff:ff:ff,ALL data_len=42", "arp,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=192.0.2.1,arp_tpa=192.0.2.2,arp_op=1"]))
        list.append(
            OfpPrintCase(
                "flow-removed",
                of10(
                    0,
                    .flowRemoved(
                        OF10.FlowRemoved(
                            match: OF10.Match(inPort: 1, dlType: 0x0800), cookie: 0x5, priority: 50, reason: .idleTimeout,
                            durationSec: 30, durationNsec: 500_000_000, idleTimeout: 30, packetCount: 12, byteCount: 1200))),
                ["OFPT_FLOW_REMOVED (xid=0x0): priority=50,ip,in_port=1 reason=idle cookie:0x5 duration30.500s idle30 pkts12 bytes1200"]))
        list.append(OfpPrintCase("port-status", of10(0, .portStatus(OF10.PortStatus(reason: .add, port: port1))), ["OFPT_PORT_STATUS (xid=0x0): ADD: 1(vnm-a): addr:02:00:00:00:00:01", "config:     NO_FLOOD", "state:      LINK_DOWN", "speed: 1000 Mbps now, 10000 Mbps max"]))
        list.append(
            OfpPrintCase(
                "port-mod",
                of10(
                    12,
                    .portMod(
                        OF10.PortMod(
                            portNumber: 1, hardwareAddress: mac("02:00:00:00:00:01"), config: [.noSTP, .noPacketIn],
                            mask: [.noSTP, .noPacketIn, .portDown], advertise: [.rate1GbFD]))),
                ["OFPT_PORT_MOD (xid=0xc): port: 1: addr:02:00:00:00:00:01", "config: NO_STP NO_PACKET_IN", "mask:   PORT_DOWN NO_STP NO_PACKET_IN", "advertise: 1GB-FD"]))
        list.append(OfpPrintCase("barrier-reply", of10(13, .barrierReply), ["OFPT_BARRIER_REPLY (xid=0xd):"]))
        list.append(OfpPrintCase("queue-get-config-request", of10(14, .queueGetConfigRequest(OF10.QueueGetConfigRequest(portNumber: 2))), ["OFPT_QUEUE_GET_CONFIG_REQUEST (xid=0xe): port=2"]))
        list.append(
            OfpPrintCase(
                "queue-get-config-reply",
                of10(
                    14,
                    .queueGetConfigReply(
                        OF10.QueueGetConfigReply(
                            portNumber: 2, queues: [OF10.PacketQueue(queueID: 7, properties: [.minRate(250)])]))),
                ["OFPT_QUEUE_GET_CONFIG_REPLY (xid=0xe): port=2", "queue 7: min_rate:25.0%"]))
        list.append(
            OfpPrintCase(
                "error-with-request",
                of10(
                    15,
                    .error(
                        OF10.ErrorMessage(
                            type: .portModFailed, code: OF10.ErrorMessage.PortModFailedCode.badPort,
                            data: of10(15, .portMod(OF10.PortMod(portNumber: 9, hardwareAddress: mac("02:00:00:00:00:09"), config: .portDown, mask: .portDown))).encoded))),
                ["OFPT_ERROR (xid=0xf): OFPPMFC_BAD_PORT", "OFPT_PORT_MOD (xid=0xf): port: 9: addr:02:00:00:00:00:09", "config: PORT_DOWN"]))
        list.append(
            OfpPrintCase(
                "nx-role-request",
                of10(16, .vendor(OF10.VendorMessage(vendor: OF10.VendorMessage.nicira, data: Golden.bytes("0000000a 00000002")))),
                ["NXT_ROLE_REQUEST (xid=0x10): role=secondary"]))

        list.append(OfpPrintCase("desc-request", request(20, .desc), ["OFPST_DESC request (xid=0x14):"]))
        list.append(
            OfpPrintCase(
                "desc-reply",
                reply(
                    20,
                    .desc(
                        OF10.DescStats(
                            manufacturer: "vnm project", hardware: "virtual switch", software: "vnm 0.1", serialNumber: "7",
                            datapath: "of10 bridge"))),
                ["OFPST_DESC reply (xid=0x14):", "Manufacturer: vnm project", "Hardware: virtual switch", "Software: vnm 0.1", "Serial Num: 7", "DP Description: of10 bridge"]))
        list.append(
            OfpPrintCase(
                "flow-stats-request",
                request(21, .flow(OF10.FlowStatsRequest(match: OF10.Match(dlType: 0x0800, nwProto: 6), tableID: 0, outPort: 3))),
                ["OFPST_FLOW request (xid=0x15): table=0 out_port=3 tcp"]))
        list.append(
            OfpPrintCase(
                "flow-stats-reply",
                reply(
                    21,
                    .flow([
                        OF10.FlowStats(
                            tableID: 0, match: OF10.Match(inPort: 1), durationSec: 3, durationNsec: 0, priority: 100,
                            idleTimeout: 10, hardTimeout: 20, cookie: 0x9, packetCount: 4, byteCount: 256,
                            actions: [.output(port: 2)])
                    ])),
                ["OFPST_FLOW reply (xid=0x15):", "cookie=0x9, duration=3s, table=0, n_packets=4, n_bytes=256, idle_timeout=10, hard_timeout=20, priority=100,in_port=1 actions=output:2"]))
        list.append(OfpPrintCase("aggregate-request", request(22, .aggregate(OF10.FlowStatsRequest())), ["OFPST_AGGREGATE request (xid=0x16):"]))
        list.append(
            OfpPrintCase("aggregate-reply", reply(22, .aggregate(OF10.AggregateStats(packetCount: 9, byteCount: 900, flowCount: 2))), ["OFPST_AGGREGATE reply (xid=0x16): packet_count=9 byte_count=900 flow_count=2"]))
        list.append(OfpPrintCase("table-stats-request", request(23, .table), ["OFPST_TABLE request (xid=0x17):"]))
        list.append(
            OfpPrintCase(
                "table-stats-reply",
                reply(
                    23,
                    .table([
                        OF10.TableStats(
                            tableID: 0, name: "classifier", wildcards: .all, maxEntries: 1_000_000, activeCount: 3,
                            lookupCount: 40, matchedCount: 30)
                    ])),
                ["OFPST_TABLE reply (xid=0x17):", "table 0 (\"classifier\"):", "active=3, lookup=40, matched=30", "max_entries=1000000"]))
        list.append(OfpPrintCase("port-stats-request", request(24, .port(OF10.PortStatsRequest(portNumber: 1))), ["OFPST_PORT request (xid=0x18): port_no=1"]))
        list.append(
            OfpPrintCase(
                "port-stats-reply",
                reply(
                    24,
                    .port([
                        OF10.PortStats(
                            portNumber: 1, rxPackets: 11, txPackets: 22, rxBytes: 1100, txBytes: 2200, rxDropped: 1,
                            txDropped: 2, rxErrors: 3, txErrors: 4, rxFrameErrors: 5, rxOverrunErrors: 6, rxCRCErrors: 7,
                            collisions: 8)
                    ])),
                ["OFPST_PORT reply (xid=0x18): 1 ports", "port  1: rx pkts=11, bytes=1100, drop=1, errs=3, frame=5, over=6, crc=7", "tx pkts=22, bytes=2200, drop=2, errs=4, coll=8"]))
        list.append(OfpPrintCase("queue-stats-request", request(25, .queue(OF10.QueueStatsRequest(portNumber: 2, queueID: 7))), ["OFPST_QUEUE request (xid=0x19): port=2 queue=7"]))
        list.append(
            OfpPrintCase(
                "queue-stats-reply",
                reply(25, .queue([OF10.QueueStats(portNumber: 2, queueID: 7, txBytes: 640, txPackets: 10, txErrors: 1)])),
                ["OFPST_QUEUE reply (xid=0x19): 1 queues", "port 2 queue 7: bytes=640, pkts=10, errors=1"]))
        return list
    }()

    @Test(arguments: cases)
    func ovsReadsWhatWeMeant(_ testCase: OfpPrintCase) throws {
        try testCase.check()
    }
}
