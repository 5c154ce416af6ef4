import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

/// One OpenFlow 1.0 message of every type (and every action, stats body and queue property),
/// for the round-trip, truncation and Open vSwitch cross-check tests.
struct OF10Sample: Sendable, CustomTestStringConvertible {
    let name: String
    let message: OF10.Message

    var testDescription: String { name }
    var wrapped: OpenFlowMessage { .of10(message, xid: 1) }

    init(_ name: String, _ message: OF10.Message) {
        self.name = name
        self.message = message
    }
}

/// The bytes of a hex string (spaces and newlines ignored), for test fixtures.
func of10Hex(_ hex: String) -> ByteBuffer {
    ByteBuffer(bytes: HexBytes.parse(hex) ?? [])
}

enum OF10Samples {
    static let mac1 = MACAddress(0x00, 0x11, 0x22, 0x33, 0x44, 0x55)
    static let mac2 = MACAddress(0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB)

    static let udpMatch = OF10.Match(
        inPort: 1, dlSrc: mac1, dlDst: mac2, dlVLAN: 10, dlVLANPCP: 3, dlType: 0x0800, nwTOS: 0x20, nwProto: 17,
        nwSrc: IPv4Address(10, 0, 0, 1), nwDst: IPv4Address(10, 1, 0, 0), nwDstPrefixLength: 16, tpSrc: 5000,
        tpDst: 5001)

    static let everyAction: WireList<OF10.Action> = [
        .setVLANVID(10), .setVLANPCP(5), .stripVLAN, .setDLSrc(mac1), .setDLDst(mac2),
        .setNwSrc(IPv4Address(192, 168, 0, 1)), .setNwDst(IPv4Address(192, 168, 0, 2)), .setNwTOS(0x28),
        .setTpSrc(1234), .setTpDst(80), .enqueue(port: 3, queueID: 7), .output(port: 2),
        .output(port: OF10.PortNumber.controller, maxLength: 128),
    ]

    static let port1 = OF10.PhysicalPort(
        portNumber: 1, hardwareAddress: mac1, name: "eth1", config: [.noFlood],
        state: { var s = OF10.PhysicalPort.State(); s.stp = .forward; return s }(),
        current: [.rate1GbFD, .copper, .autoneg], advertised: [.rate1GbFD], supported: [.rate1GbFD, .rate100MbFD],
        peer: [])
    static let port2 = OF10.PhysicalPort(
        portNumber: OF10.PortNumber.local, hardwareAddress: mac2, name: "br0", config: [.portDown],
        state: [.linkDown])

    static let all: [OF10Sample] = [
        OF10Sample(
            "error", .error(OF10.ErrorMessage(type: .flowModFailed, code: OF10.ErrorMessage.FlowModFailedCode.allTablesFull,
                data: of10Hex("01 12 00 08 00 00 00 2a")))),
        OF10Sample("echo request", .echoRequest(of10Hex("de ad be ef"))),
        OF10Sample("echo reply", .echoReply(ByteBuffer())),
        OF10Sample("vendor", .vendor(OF10.VendorMessage(vendor: OF10.VendorMessage.nicira, data: of10Hex("00 00 00 0a 00 00 00 00")))),
        OF10Sample("features request", .featuresRequest),
        OF10Sample(
            "features reply",
            .featuresReply(OF10.FeaturesReply(
                datapathID: 0x0000_0000_0000_00AB, bufferCount: 256, tableCount: 2,
                capabilities: [.flowStats, .tableStats, .portStats, .queueStats, .arpMatchIP], actions: .all,
                ports: [port1, port2]))),
        OF10Sample("get config request", .getConfigRequest),
        OF10Sample("get config reply", .getConfigReply(OF10.SwitchConfig(flags: .fragmentNormal, missSendLength: 128))),
        OF10Sample("set config", .setConfig(OF10.SwitchConfig(flags: .fragmentDrop, missSendLength: 0xFFFF))),
        OF10Sample(
            "packet in",
            .packetIn(OF10.PacketIn(bufferID: 0x100, totalLength: 64, inPort: 3, reason: .action,
                data: of10Hex("ff ff ff ff ff ff 00 11 22 33 44 55 08 06 00 01 08 00 06 04 00 01")))),
        OF10Sample(
            "flow removed",
            .flowRemoved(OF10.FlowRemoved(
                match: udpMatch, cookie: 0xC00C1E, priority: 100, reason: .idleTimeout, durationSec: 12,
                durationNsec: 500, idleTimeout: 10, packetCount: 42, byteCount: 4200))),
        OF10Sample(
            "port status",
            .portStatus(OF10.PortStatus(reason: .modify, port: port1))),
        OF10Sample(
            "packet out",
            .packetOut(OF10.PacketOut(inPort: OF10.PortNumber.none, actions: [.output(port: OF10.PortNumber.flood)],
                data: of10Hex("ff ff ff ff ff ff 00 11 22 33 44 55 08 00")))),
        OF10Sample("packet out buffered", .packetOut(OF10.PacketOut(bufferID: 7, inPort: 1, actions: []))),
        OF10Sample(
            "flow mod",
            .flowMod(OF10.FlowMod(
                match: udpMatch, cookie: 0x1234, command: .add, idleTimeout: 10, hardTimeout: 30, priority: 100,
                flags: [.sendFlowRemoved, .checkOverlap], actions: everyAction))),
        OF10Sample(
            "flow mod delete",
            .flowMod(OF10.FlowMod(match: .all, command: .delete, outPort: 2))),
        OF10Sample(
            "flow mod vendor action",
            .flowMod(OF10.FlowMod(
                match: OF10.Match(inPort: 1),
                // NXAST_RESUBMIT to port 5.
                actions: [.vendor(id: OF10.VendorMessage.nicira, body: of10Hex("00 01 00 05 00 00 00 00")), .output(port: 2)]))),
        OF10Sample(
            "port mod",
            .portMod(OF10.PortMod(portNumber: 1, hardwareAddress: mac1, config: [.portDown], mask: [.portDown],
                advertise: [.rate1GbFD]))),
        OF10Sample("stats request desc", .statsRequest(OF10.StatsRequest(.desc))),
        OF10Sample(
            "stats request flow",
            .statsRequest(OF10.StatsRequest(.flow(OF10.FlowStatsRequest(match: OF10.Match(inPort: 1)))))),
        OF10Sample(
            "stats request aggregate",
            .statsRequest(OF10.StatsRequest(.aggregate(OF10.FlowStatsRequest(tableID: 0, outPort: 3))))),
        OF10Sample("stats request table", .statsRequest(OF10.StatsRequest(.table))),
        OF10Sample("stats request port", .statsRequest(OF10.StatsRequest(.port(OF10.PortStatsRequest())))),
        OF10Sample(
            "stats request queue",
            .statsRequest(OF10.StatsRequest(.queue(OF10.QueueStatsRequest(portNumber: 1, queueID: 2))))),
        OF10Sample(
            "stats request vendor",
            // NXST_AGGREGATE: out_port NONE, no nx_match, all tables.
            .statsRequest(OF10.StatsRequest(.vendor(id: OF10.VendorMessage.nicira,
                body: of10Hex("00 00 00 01 00 00 00 00 ff ff 00 00 ff 00 00 00"))))),
        OF10Sample(
            "stats reply desc",
            .statsReply(OF10.StatsReply(.desc(OF10.DescStats(
                manufacturer: "vnm", hardware: "embedded", software: "0.1", serialNumber: "None",
                datapath: "s1"))))),
        OF10Sample(
            "stats reply flow",
            .statsReply(OF10.StatsReply(
                .flow([
                    OF10.FlowStats(
                        match: udpMatch, durationSec: 5, durationNsec: 1000, priority: 100, idleTimeout: 10,
                        cookie: 0x1234, packetCount: 3, byteCount: 300, actions: [.output(port: 2)]),
                    OF10.FlowStats(match: .all, priority: 0, actions: []),
                ]), flags: [.replyMore]))),
        OF10Sample(
            "stats reply aggregate",
            .statsReply(OF10.StatsReply(.aggregate(OF10.AggregateStats(packetCount: 10, byteCount: 1000, flowCount: 2))))),
        OF10Sample(
            "stats reply table",
            .statsReply(OF10.StatsReply(.table([
                OF10.TableStats(tableID: 0, name: "classifier", wildcards: .all, maxEntries: 1_000_000,
                    activeCount: 4, lookupCount: 100, matchedCount: 90)
            ])))),
        OF10Sample(
            "stats reply port",
            .statsReply(OF10.StatsReply(.port([
                OF10.PortStats(portNumber: 1, rxPackets: 1, txPackets: 2, rxBytes: 3, txBytes: 4, rxDropped: 5,
                    txDropped: 6, rxErrors: 7, txErrors: 8, rxFrameErrors: 9, rxOverrunErrors: 10, rxCRCErrors: 11,
                    collisions: 12),
                OF10.PortStats(portNumber: OF10.PortNumber.local),
            ])))),
        OF10Sample(
            "stats reply queue",
            .statsReply(OF10.StatsReply(.queue([
                OF10.QueueStats(portNumber: 1, queueID: 2, txBytes: 300, txPackets: 3, txErrors: 0)
            ])))),
        OF10Sample(
            "stats reply vendor",
            // NXST_AGGREGATE: 7 packets, 700 bytes, 1 flow.
            .statsReply(OF10.StatsReply(.vendor(id: 0x0000_2320,
                body: of10Hex("00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 07 00 00 00 00 00 00 02 bc 00 00 00 01 00 00 00 00"))))),
        OF10Sample("barrier request", .barrierRequest),
        OF10Sample("barrier reply", .barrierReply),
        OF10Sample("queue get config request", .queueGetConfigRequest(OF10.QueueGetConfigRequest(portNumber: 1))),
        OF10Sample(
            "queue get config reply",
            .queueGetConfigReply(OF10.QueueGetConfigReply(
                portNumber: 1, queues: [
                    OF10.PacketQueue(queueID: 1, properties: [.minRate(500)]),
                    OF10.PacketQueue(queueID: 2, properties: []),
                    OF10.PacketQueue(queueID: 3, properties: [.minRate(1001)]),
                ]))),
    ]
}
