import NIOCore
import NetworkAddresses
import OpenFlow
import Packets
import Testing

@testable import Datapath

/// Time zero of every test, and `at(s)` seconds after it.
let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
func at(_ seconds: Double) -> NIODeadline { t0 + .nanoseconds(Int64(seconds * 1e9)) }

func mac(_ n: UInt64) -> MACAddress { MACAddress(rawValue: 0x0200_0000_0000 | n) }
func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }

/// A UDP/IPv4 frame built with `Packets`.
func udpFrame(
    src: MACAddress = mac(1), dst: MACAddress = mac(2), vlan: UInt16? = nil, pcp: UInt8 = 0,
    srcIP: String = "10.0.0.1", dstIP: String = "10.0.0.2", srcPort: UInt16 = 1234, dstPort: UInt16 = 80,
    ttl: UInt8 = 64, tos: UInt8 = 0, payload: Int = 18, checksummed: Bool = true
) -> ByteBuffer {
    let udp = UDPDatagram(
        sourcePort: srcPort, destinationPort: dstPort, checksummed: checksummed,
        payload: ByteBuffer(bytes: (0..<payload).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
    let packet = IPv4Packet(source: ip(srcIP), destination: ip(dstIP), udp: udp, typeOfService: tos, timeToLive: ttl)
    return EthernetFrame(
        destination: dst, source: src, vlan: vlan.map { VLANTag(priority: pcp, vlanID: $0) }, etherType: .ipv4,
        payload: packet.encoded()
    ).encoded()
}

func arpFrame(
    src: MACAddress = mac(1), op: ARPPacket.Operation = .request, spa: String = "10.0.0.1", tpa: String = "10.0.0.2",
    tha: MACAddress = .zero
) -> ByteBuffer {
    let arp = ARPPacket(
        operation: op, senderHardwareAddress: src, senderProtocolAddress: ip(spa), targetHardwareAddress: tha,
        targetProtocolAddress: ip(tpa))
    return EthernetFrame(destination: .broadcast, source: src, etherType: .arp, payload: arp.encoded()).encoded(
        padding: .minimumLength)
}

func icmpFrame(srcIP: String = "10.0.0.1", dstIP: String = "10.0.0.2", ttl: UInt8 = 64) -> ByteBuffer {
    let echo = ICMPEcho(kind: .request, identifier: 7, sequenceNumber: 1, payload: ByteBuffer(string: "ping"))
    let packet = IPv4Packet(
        timeToLive: ttl, protocolNumber: .icmp, source: ip(srcIP), destination: ip(dstIP), payload: echo.encoded())
    return EthernetFrame(destination: mac(2), source: mac(1), etherType: .ipv4, payload: packet.encoded()).encoded()
}

/// The parts of a frame, parsed again with `Packets` (checksums verified).
struct ParsedUDP {
    var ethernet: EthernetFrame
    var ip: IPv4Packet
    var udp: UDPDatagram
}

func parseUDP(_ frame: ByteBuffer) throws -> ParsedUDP {
    let ethernet = try EthernetFrame(parsing: frame)
    let packet = try IPv4Packet(parsing: ethernet.payload)
    return ParsedUDP(ethernet: ethernet, ip: packet, udp: try UDPDatagram(parsing: packet))
}

func apply(_ actions: OF13.Action...) -> OF13.Instruction { .applyActions(WireList(actions)) }
func write(_ actions: OF13.Action...) -> OF13.Instruction { .writeActions(WireList(actions)) }
func output(_ port: UInt32) -> OF13.Action { .output(port: port) }

/// IPv4 and UDP prerequisites for a match.
let ipv4: [OXMField] = [.ethType(0x0800)]
let udp: [OXMField] = [.ethType(0x0800), .ipProto(17)]

/// A datapath with ports 1…`ports`, up.
func makeDatapath(ports: Int = 4, tables: Int = 8, cache: Int = 4096, invalidTTLToController: Bool = false)
    -> Datapath
{
    var datapath = Datapath(
        configuration: Datapath.Configuration(
            tableCount: tables, invalidTTLToController: invalidTTLToController, exactMatchCacheSize: cache))
    for port in 1...UInt32(ports) { _ = datapath.addPort(number: port, now: t0) }
    return datapath
}

func flowModMessage(
    command: OF13.FlowMod.Command = .add, table: UInt8 = 0, priority: UInt16 = 100, _ match: [OXMField] = [],
    _ instructions: [OF13.Instruction] = [], cookie: UInt64 = 0, cookieMask: UInt64 = 0, idle: UInt16 = 0,
    hard: UInt16 = 0, flags: OF13.FlowMod.Flags = [], outPort: UInt32 = OF13.PortNumber.any,
    outGroup: UInt32 = OF13.GroupNumber.any
) -> OF13.Message {
    .flowMod(
        OF13.FlowMod(
            cookie: cookie, cookieMask: cookieMask, tableID: table, command: command, idleTimeout: idle,
            hardTimeout: hard, priority: priority, outPort: outPort, outGroup: outGroup, flags: flags,
            match: OF13.Match(match), instructions: WireList(instructions)))
}

extension Datapath {
    /// Installs a flow; the test fails if the datapath answers anything.
    mutating func install(
        table: UInt8 = 0, priority: UInt16 = 100, _ match: [OXMField] = [], _ instructions: [OF13.Instruction] = [],
        cookie: UInt64 = 0, idle: UInt16 = 0, hard: UInt16 = 0, flags: OF13.FlowMod.Flags = [],
        now: NIODeadline = t0, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let outputs = handle(
            flowModMessage(
                table: table, priority: priority, match, instructions, cookie: cookie, idle: idle, hard: hard,
                flags: flags),
            xid: 1, now: now)
        #expect(outputs.isEmpty, "flow refused: \(outputs.errors)", sourceLocation: sourceLocation)
    }

    mutating func send(_ message: OF13.Message, xid: UInt32 = 1, now: NIODeadline = t0) -> [DatapathOutput] {
        handle(message, xid: xid, now: now)
    }

    /// Where a frame goes: the ports it leaves by, in order.
    mutating func ports(of frame: ByteBuffer, from port: UInt32, now: NIODeadline = t0) -> [UInt32] {
        receive(packet: frame, inPort: port, now: now).ports
    }
}

extension Array where Element == DatapathOutput {
    var ports: [UInt32] { compactMap { $0.packet?.port } }
    var frames: [ByteBuffer] { compactMap { $0.packet?.data } }
    var messages: [OF13.Message] { compactMap(\.message) }
    var packetIns: [OF13.PacketIn] { messages.compactMap { if case .packetIn(let p) = $0 { p } else { nil } } }
    var flowRemoveds: [OF13.FlowRemoved] {
        messages.compactMap { if case .flowRemoved(let m) = $0 { m } else { nil } }
    }
    var errors: [OF13.ErrorMessage] { messages.compactMap { if case .error(let e) = $0 { e } else { nil } } }
    var multipartBodies: [OF13.MultipartReply.Body] {
        messages.compactMap { if case .multipartReply(let r) = $0 { r.body } else { nil } }
    }
    /// The single error, as "OFPET_…/OFPxxx_…".
    var errorName: String? {
        guard errors.count == 1, let e = errors.first else { return nil }
        return "\(e.type)/\(e.codeName)"
    }
}
