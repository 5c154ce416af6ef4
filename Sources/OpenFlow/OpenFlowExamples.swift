import NIOCore
import NetworkAddresses

/// Example messages: the benchmark's workload, seeds for the fuzzer, and a quick way to see
/// what a message looks like (`vnm ofp decode` of their bytes).
public enum OpenFlowExamples {
    /// An OF1.3 FLOW_MOD with 4 OXM fields and 2 actions: the benchmark's flow-mod.
    public static let flowMod = OpenFlowMessage.of13(
        .flowMod(
            OF13.FlowMod(
                cookie: 0x10, command: .add, idleTimeout: 30, priority: 1000, flags: [.sendFlowRemoved],
                match: OF13.Match([
                    .inPort(1), .ethType(0x0800),
                    .ipv4Dst(IPv4Address(10, 0, 2, 0), mask: IPv4Address.mask(prefixLength: 24)),
                    .udpDst(5001),
                ]),
                instructions: [
                    .applyActions([.setField(.ethDst(MACAddress(0x02, 0, 0, 0, 0, 0x02))), .output(port: 2)])
                ])), xid: 0x100)

    /// A 64-byte UDP frame, as a host would send it.
    public static let frame64: ByteBuffer = {
        var frame = ByteBuffer()
        frame.writeMAC(MACAddress(0x02, 0, 0, 0, 0, 0x02))
        frame.writeMAC(MACAddress(0x02, 0, 0, 0, 0, 0x01))
        frame.writeInteger(UInt16(0x0800))
        // IPv4 header (20 bytes), UDP header (8), payload (18): 14 + 20 + 8 + 18 = 60, + FCS 4.
        frame.writeBytes([0x45, 0x00, 0x00, 0x2E, 0x00, 0x01, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00])
        frame.writeBytes([10, 0, 1, 1, 10, 0, 2, 1])
        frame.writeBytes([0x13, 0x89, 0x13, 0x89, 0x00, 0x1A, 0x00, 0x00])
        frame.writeRepeatingByte(0xAB, count: 22)
        return frame
    }()

    /// An OF1.3 PACKET_IN carrying a 64-byte frame: the benchmark's packet-in.
    public static let packetIn = OpenFlowMessage.of13(
        .packetIn(
            OF13.PacketIn(
                reason: .noMatch, tableID: 0, cookie: 0, match: OF13.Match([.inPort(1)]), data: frame64)),
        xid: 0)

    /// One or more examples of the common messages of both versions.
    public static var all: [OpenFlowMessage] {
        [
            .hello(Hello(versions: [OpenFlowVersion.v10, OpenFlowVersion.v13]), version: OF13.version, xid: 1),
            .hello(Hello(), version: OF10.version, xid: 1),
            .of13(.featuresRequest, xid: 2),
            .of13(
                .featuresReply(
                    OF13.FeaturesReply(
                        datapathID: 0x1, bufferCount: 256, tableCount: 254,
                        capabilities: [.flowStats, .tableStats, .portStats])), xid: 2),
            .of13(.echoRequest(ByteBuffer(bytes: [1, 2, 3, 4])), xid: 3),
            .of13(.echoReply(ByteBuffer(bytes: [1, 2, 3, 4])), xid: 3),
            .of13(.error(OF13.ErrorMessage(type: .badRequest, code: 1, data: flowMod.encoded)), xid: 4),
            .of13(.experimenter(OF13.ExperimenterMessage(experimenter: 0x2320, experimenterType: 20, data: ByteBuffer(bytes: [0, 0, 0, 1]))), xid: 5),
            .of13(.getConfigRequest, xid: 6),
            .of13(.getConfigReply(OF13.SwitchConfig(flags: 0, missSendLength: 128)), xid: 6),
            .of13(.setConfig(OF13.SwitchConfig(flags: 0, missSendLength: 0xFFFF)), xid: 7),
            packetIn,
            .of13(
                .flowRemoved(
                    OF13.FlowRemoved(
                        cookie: 0x10, priority: 1000, reason: .idleTimeout, durationSec: 31, idleTimeout: 30,
                        packetCount: 12, byteCount: 768, match: OF13.Match([.inPort(1)]))), xid: 0),
            .of13(
                .portStatus(
                    OF13.PortStatus(
                        reason: .add,
                        port: OF13.Port(
                            portNumber: 3, hardwareAddress: MACAddress(0x02, 0, 0, 0, 0, 3), name: "s1-eth3",
                            current: [.rate10GbFD, .copper], currentSpeed: 10_000_000, maxSpeed: 10_000_000))),
                xid: 0),
            .of13(
                .packetOut(OF13.PacketOut(inPort: OF13.PortNumber.controller, actions: [.output(port: OF13.PortNumber.flood)], data: frame64)),
                xid: 8),
            flowMod,
            .of13(
                .flowMod(
                    OF13.FlowMod(
                        command: .deleteStrict, priority: 1000,
                        match: OF13.Match([.ethType(0x0806), .arpTpa(IPv4Address(10, 0, 0, 1))]))), xid: 9),
            .of13(
                .flowMod(
                    OF13.FlowMod(
                        tableID: 1, command: .add, priority: 0,
                        instructions: [
                            .writeMetadata(0xAB, mask: 0xFF), .meter(1),
                            .writeActions([.pushVLAN(), .setField(.vlanVid(0x1000 | 10)), .group(7)]), .gotoTable(2),
                        ])), xid: 10),
            .of13(.barrierRequest, xid: 11),
            .of13(.barrierReply, xid: 11),
            .of13(.roleRequest(OF13.RoleMessage(role: .master, generationID: 1)), xid: 12),
            .of13(.roleReply(OF13.RoleMessage(role: .master, generationID: 1)), xid: 12),
            .of13(.getAsyncRequest, xid: 13),
            .of13(.setAsync(OF13.AsyncConfig(packetInMask: [3, 0], portStatusMask: [7, 7], flowRemovedMask: [15, 0])), xid: 14),
        ]
    }
}
