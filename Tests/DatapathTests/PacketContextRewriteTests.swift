import NIOCore
import NetworkAddresses
import OpenFlow
import Packets
import Testing

@testable import Datapath

/// Set-field, VLAN and TTL actions, checked by parsing the rewritten frame with `Packets`
/// (which verifies the IPv4 and UDP checksums).
@Suite struct PacketContextRewriteTests {
    func rewrite(_ frame: ByteBuffer, _ fields: OXMField...) throws -> PacketContext {
        var context = PacketContext(frame: frame, inPort: 1)
        for field in fields { context.apply(try FieldWrite(field)) }
        return context
    }

    @Test func ipv4AddressesAndPortsKeepValidChecksums() throws {
        let context = try rewrite(
            udpFrame(srcIP: "10.0.0.1", dstIP: "10.0.0.2", srcPort: 1000, dstPort: 2000),
            .ipv4Src(ip("192.168.7.9")), .ipv4Dst(ip("172.16.0.254")), .udpSrc(4444), .udpDst(53))
        let parsed = try parseUDP(context.data)
        #expect(parsed.ip.source == ip("192.168.7.9"))
        #expect(parsed.ip.destination == ip("172.16.0.254"))
        #expect(parsed.udp.sourcePort == 4444)
        #expect(parsed.udp.destinationPort == 53)
        #expect(context.key.ipv4Dst == ip("172.16.0.254"))
        #expect(context.key.l4Dst == 53)
    }

    @Test func udpWithoutChecksumStaysWithout() throws {
        let context = try rewrite(udpFrame(checksummed: false), .ipv4Dst(ip("1.1.1.1")), .udpDst(9))
        let parsed = try parseUDP(context.data)
        #expect(!parsed.udp.checksummed)
        #expect(parsed.ip.destination == ip("1.1.1.1"))
    }

    @Test func macAddressesDscpEcn() throws {
        let context = try rewrite(
            udpFrame(tos: 0), .ethSrc(mac(0xAA)), .ethDst(mac(0xBB)), .ipDscp(46), .ipEcn(1))
        let parsed = try parseUDP(context.data)
        #expect(parsed.ethernet.source == mac(0xAA))
        #expect(parsed.ethernet.destination == mac(0xBB))
        #expect(parsed.ip.dscp == 46)
        #expect(parsed.ip.ecn == 1)
    }

    @Test func icmpTypeRewriteKeepsTheChecksum() throws {
        let context = try rewrite(icmpFrame(), .icmpv4Type(0))
        let ethernet = try EthernetFrame(parsing: context.data)
        let packet = try IPv4Packet(parsing: ethernet.payload)
        let echo = try ICMPEcho(parsing: packet.payload)
        #expect(echo.kind == .reply)
    }

    @Test func arpFields() throws {
        let context = try rewrite(
            arpFrame(op: .request), .arpOp(2), .arpSpa(ip("10.9.9.9")), .arpTpa(ip("10.8.8.8")), .arpSha(mac(5)),
            .arpTha(mac(6)))
        let arp = try ARPPacket(parsing: try EthernetFrame(parsing: context.data).payload)
        #expect(arp.operation == .reply)
        #expect(arp.senderProtocolAddress == ip("10.9.9.9"))
        #expect(arp.targetProtocolAddress == ip("10.8.8.8"))
        #expect(arp.senderHardwareAddress == mac(5))
        #expect(arp.targetHardwareAddress == mac(6))
    }

    @Test func fieldsThePacketLacksAreLeftAlone() throws {
        let frame = arpFrame()
        let context = try rewrite(frame, .ipv4Dst(ip("1.2.3.4")), .udpDst(7), .vlanVid(0x1000 | 5))
        #expect(context.data == frame)
    }

    @Test func pushThenPopVLAN() throws {
        let frame = udpFrame()
        var context = PacketContext(frame: frame, inPort: 1)
        context.pushVLAN(ethertype: 0x8100)
        context.apply(try FieldWrite(.vlanVid(0x1000 | 300)))
        context.apply(try FieldWrite(.vlanPcp(6)))
        let tagged = try EthernetFrame(parsing: context.data)
        #expect(tagged.vlan == VLANTag(priority: 6, vlanID: 300))
        #expect(context.key.vlanVID == 0x1000 | 300)
        #expect(context.data.readableBytes == frame.readableBytes + 4)
        _ = try parseUDP(context.data)
        context.popVLAN()
        #expect(context.data == frame)
        #expect(!context.key.isTagged)
    }

    @Test func pushOnATaggedFrameCopiesTheTag() throws {
        var context = PacketContext(frame: udpFrame(vlan: 7, pcp: 3), inPort: 1)
        context.pushVLAN(ethertype: 0x88A8)
        #expect(context.data.getInteger(at: 12, as: UInt16.self) == 0x88A8)
        let tci: UInt16 = 3 << 13 | 7
        #expect(context.data.getInteger(at: 14, as: UInt16.self) == tci)
        #expect(context.key.vlanVID == 0x1000 | 7)
        #expect(context.key.ethType == 0x0800)
    }

    @Test func ttlDecrementsWithValidChecksumAndStopsAtOne() throws {
        var context = PacketContext(frame: udpFrame(ttl: 2), inPort: 1)
        let first = context.decNwTTL()
        #expect(first)
        #expect(try parseUDP(context.data).ip.timeToLive == 1)
        let second = context.decNwTTL()
        #expect(!second)
        context.setNwTTL(99)
        #expect(try parseUDP(context.data).ip.timeToLive == 99)
        var arp = PacketContext(frame: arpFrame(), inPort: 1)
        let passes = arp.decNwTTL()
        #expect(passes)
    }

    @Test func setFieldOfUnsupportedFieldsIsRefused() {
        #expect(throws: DatapathError.self) { try FieldWrite(.inPort(3)) }
        #expect(throws: DatapathError.self) { try FieldWrite(.ipv4Dst(ip("1.2.3.4"), mask: ip("255.0.0.0"))) }
    }

    @Test func metadataLikeTunnelIDChangesOnlyTheKey() throws {
        let frame = udpFrame()
        let context = try rewrite(frame, .tunnelId(77))
        #expect(context.key.tunnelID == 77)
        #expect(context.data == frame)
    }
}
