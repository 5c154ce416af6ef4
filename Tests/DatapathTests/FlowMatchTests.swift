import NIOCore
import NetworkAddresses
import OpenFlow
import Testing

@testable import Datapath

@Suite struct FlowMatchTests {
    func compile(_ fields: [OXMField]) throws(DatapathError) -> FlowMatch { try FlowMatch(OF13.Match(fields)) }

    @Test func exactAndMaskedFieldsMatchPackets() throws {
        let match = try compile(udp + [.ipv4Dst(ip("10.0.0.0"), mask: ip("255.255.255.0")), .udpDst(80)])
        #expect(match.matches(FlowKey(frame: udpFrame(dstIP: "10.0.0.77", dstPort: 80), inPort: 1)))
        #expect(!match.matches(FlowKey(frame: udpFrame(dstIP: "10.0.1.77", dstPort: 80), inPort: 1)))
        #expect(!match.matches(FlowKey(frame: udpFrame(dstIP: "10.0.0.77", dstPort: 81), inPort: 1)))
    }

    @Test func valueBitsOutsideTheMaskAreIgnored() throws {
        let a = try compile([.ethDst(mac(0x1234), mask: MACAddress(rawValue: 0xFFFF_FFFF_FF00))])
        let b = try compile([.ethDst(mac(0x1200), mask: MACAddress(rawValue: 0xFFFF_FFFF_FF00))])
        #expect(a == b)
    }

    @Test func vlanVidNoneMatchesUntaggedAndPresentBitMatchesAnyTag() throws {
        let untagged = try compile([.vlanVid(0)])
        let anyTag = try compile([.vlanVid(0x1000, mask: 0x1000)])
        let vlan10 = try compile([.vlanVid(0x1000 | 10)])
        let plain = FlowKey(frame: udpFrame(), inPort: 1)
        let tagged = FlowKey(frame: udpFrame(vlan: 10), inPort: 1)
        #expect(untagged.matches(plain) && !untagged.matches(tagged))
        #expect(!anyTag.matches(plain) && anyTag.matches(tagged))
        #expect(vlan10.matches(tagged) && !vlan10.matches(FlowKey(frame: udpFrame(vlan: 11), inPort: 1)))
    }

    @Test(arguments: [
        ([OXMField.ipv4Src(IPv4Address(10, 0, 0, 1))], "ipv4_src needs eth_type=0x0800"),
        ([.ethType(0x0800), .udpDst(53)], "udp_dst needs ip_proto=17"),
        ([.ethType(0x0800), .ipProto(6), .udpDst(53)], "udp_dst needs ip_proto=17"),
        ([.ethType(0x0806), .ipProto(1)], "ip_proto needs eth_type=0x0800 or 0x86dd"),
        ([.arpOp(1)], "arp_op needs eth_type=0x0806"),
        ([.vlanPcp(3)], "vlan_pcp needs vlan_vid with OFPVID_PRESENT"),
        ([.ethType(0x86DD), .ipProto(58), .icmpv6Type(128), .ipv6NdTarget(.any)], "ipv6_nd_target needs icmpv6_type=135 or 136"),
    ])
    func missingPrerequisitesAreRefused(fields: [OXMField], detail: String) {
        #expect(throws: DatapathError(.badMatch, 9, detail)) { try compile(fields) }
    }

    @Test func maskedPrerequisiteIsNotEnough() {
        #expect(throws: DatapathError.self) { try compile([.ethType(0x0800, mask: 0xFF00), .ipv4Src(ip("1.2.3.4"))]) }
    }

    @Test func duplicateAndUnsupportedFields() {
        #expect(throws: DatapathError(.badMatch, 10, "in_port")) { try compile([.inPort(1), .inPort(2)]) }
        #expect(throws: DatapathError.self) { try compile([.ethType(0x8847), .mplsLabel(5)]) }
        #expect(
            throws: DatapathError.self,
            performing: {
                try compile([.other(oxmClass: 1, field: 0, hasMask: false, payload: ByteBuffer(bytes: [0, 0, 0, 1]))])
            })
    }

    @Test func overlapAndCoverage() throws {
        let port1 = try compile([.inPort(1)])
        let dst = try compile([.ethDst(mac(2))])
        let port2dst = try compile([.inPort(2), .ethDst(mac(2))])
        #expect(port1.overlaps(dst))  // a packet from port 1 to mac 2 matches both
        #expect(!port1.overlaps(port2dst))
        #expect(port2dst.isCovered(by: dst))
        #expect(!dst.isCovered(by: port2dst))
        #expect(port2dst.isCovered(by: .all))
        #expect(FlowMatch.all.overlaps(port2dst))
    }

    @Test func ipv6AddressesUseTwoWords() throws {
        let prefix = IPv6Address("2001:db8::")!
        let match = try compile([
            .ethType(0x86DD), .ipv6Dst(prefix, mask: IPv6Address("ffff:ffff::")!),
        ])
        var key = FlowKey()
        key.ethType = 0x86DD
        key.ipv6Dst = IPv6Address("2001:db8:1::5")!
        #expect(match.matches(key))
        key.ipv6Dst = IPv6Address("2001:db9::5")!
        #expect(!match.matches(key))
    }
}
