import NIOCore
import NetworkAddresses
import OpenFlow
import Packets
import Testing

@testable import Datapath

@Suite struct FlowKeyTests {
    @Test func udpFrameFieldsAgreeWithPackets() throws {
        let frame = udpFrame(srcIP: "192.168.1.10", dstIP: "10.1.2.3", srcPort: 4000, dstPort: 53, tos: 0b1011_1001)
        let key = FlowKey(frame: frame, inPort: 3)
        let parsed = try parseUDP(frame)
        #expect(key.inPort == 3)
        #expect(key.ethSrc == parsed.ethernet.source)
        #expect(key.ethDst == parsed.ethernet.destination)
        #expect(key.ethType == 0x0800)
        #expect(key.vlanVID == 0)
        #expect(!key.isTagged)
        #expect(key.ipv4Src == parsed.ip.source)
        #expect(key.ipv4Dst == parsed.ip.destination)
        #expect(key.ipProto == 17)
        #expect(key.ipDSCP == parsed.ip.dscp)
        #expect(key.ipECN == parsed.ip.ecn)
        #expect(key.l4Src == parsed.udp.sourcePort)
        #expect(key.l4Dst == parsed.udp.destinationPort)
        #expect(key.metadata == 0)
    }

    @Test func vlanTagGivesVidWithPresentBitAndInnerEthType() {
        let key = FlowKey(frame: udpFrame(vlan: 42, pcp: 5), inPort: 1)
        #expect(key.isTagged)
        #expect(key.vlanVID == 0x1000 | 42)
        #expect(key.vlanPCP == 5)
        #expect(key.ethType == 0x0800)
        #expect(key.ipv4Dst == ip("10.0.0.2"))
    }

    @Test func arpFields() {
        let key = FlowKey(frame: arpFrame(src: mac(9), op: .reply, spa: "10.0.0.9", tpa: "10.0.0.1", tha: mac(1)), inPort: 2)
        #expect(key.ethType == 0x0806)
        #expect(key.arpOp == 2)
        #expect(key.ipv4Src == ip("10.0.0.9"))
        #expect(key.ipv4Dst == ip("10.0.0.1"))
        #expect(key.arpSha == mac(9))
        #expect(key.arpTha == mac(1))
        #expect(key.ipProto == 0)
    }

    @Test func icmpTypeAndCode() {
        let key = FlowKey(frame: icmpFrame(), inPort: 1)
        #expect(key.ipProto == 1)
        #expect(key.icmpType == 8)
        #expect(key.icmpCode == 0)
        #expect(key.l4Src == 0)
    }

    @Test func ipv6UDPAndNeighbourSolicitation() {
        var frame = ByteBuffer()
        frame.writeMAC(mac(2))
        frame.writeMAC(mac(1))
        frame.writeInteger(UInt16(0x86DD))
        frame.writeInteger(UInt32(0x6000_0000 | 0x12 << 20 | 0xABCDE))  // tc 0x12, flow label
        frame.writeInteger(UInt16(32))  // payload length
        frame.writeInteger(UInt8(58))  // ICMPv6
        frame.writeInteger(UInt8(255))
        frame.writeInteger(UInt64(0xFE80_0000_0000_0000)); frame.writeInteger(UInt64(1))
        frame.writeInteger(UInt64(0xFF02_0000_0000_0000)); frame.writeInteger(UInt64(0x1_FF00_0002))
        frame.writeInteger(UInt8(135)); frame.writeInteger(UInt8(0)); frame.writeInteger(UInt16(0))
        frame.writeInteger(UInt32(0))
        frame.writeInteger(UInt64(0xFE80_0000_0000_0000)); frame.writeInteger(UInt64(2))  // target
        frame.writeInteger(UInt8(1)); frame.writeInteger(UInt8(1)); frame.writeMAC(mac(1))  // SLL option
        let key = FlowKey(frame: frame, inPort: 1)
        #expect(key.ethType == 0x86DD)
        #expect(key.ipProto == 58)
        #expect(key.ipDSCP == 0x12 >> 2)
        #expect(key.ipECN == 0x12 & 3)
        #expect(key.ipv6Flabel == 0xABCDE)
        #expect(key.ipv6Src == IPv6Address(high: 0xFE80_0000_0000_0000, low: 1))
        #expect(key.ipv6Dst == IPv6Address(high: 0xFF02_0000_0000_0000, low: 0x1_FF00_0002))
        #expect(key.icmpType == 135)
        #expect(key.ndTarget == IPv6Address(high: 0xFE80_0000_0000_0000, low: 2))
        #expect(key.arpSha == mac(1))
    }

    @Test func truncatedFramesLeaveMissingFieldsZero() {
        let full = udpFrame()
        let cut = full.getSlice(at: 0, length: 14 + 10)!
        let key = FlowKey(frame: cut, inPort: 1)
        #expect(key.ethType == 0x0800)
        #expect(key.ipProto == 0)
        #expect(FlowKey(frame: ByteBuffer(bytes: [1, 2, 3]), inPort: 5).words == FlowKey(words: [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).words)
    }

    @Test func laterFragmentsHaveNoPorts() {
        var frame = udpFrame(srcPort: 7, dstPort: 8)
        frame.setInteger(UInt16(0x0010), at: 14 + 6)  // fragment offset 16 (× 8 bytes)
        let key = FlowKey(frame: frame, inPort: 1)
        #expect(key.ipProto == 17)
        #expect(key.l4Src == 0 && key.l4Dst == 0)
    }
}
