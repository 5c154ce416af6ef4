import NIOCore
import NetworkAddresses

/// The fields of one packet that flow tables match on, extracted once per packet
/// (spec 1.3.5 §7.2.3.7, Table 12), laid out as sixteen 64-bit words.
///
/// A compiled match (``FlowMatch``) has the same shape, so "does this flow match" is one
/// vector AND and compare, and a tuple of the tuple-space search hashes `words & mask`.
/// Fields that can never be present together share a slot: TCP, UDP and SCTP ports;
/// ICMPv4 and ICMPv6 type and code; ARP SPA/TPA with IPv4 source/destination; ARP SHA/THA
/// with the IPv6 neighbour discovery link-layer addresses. A match that names such a field
/// carries its prerequisite (`ip_proto`, `eth_type`), so sharing never confuses two fields.
///
/// Word layout (bit offset, width):
/// - 0: in_port (0, 32) · eth_type (32, 16) · vlan_vid with `OFPVID_PRESENT` (48, 13)
/// - 1: metadata
/// - 2: eth_dst (0, 48) · vlan_pcp (48, 3) · ip_proto (56, 8)
/// - 3: eth_src (0, 48) · ip_dscp (48, 6) · ip_ecn (56, 2)
/// - 4: ipv4_src / arp_spa (0, 32) · ipv4_dst / arp_tpa (32, 32)
/// - 5: l4 source port (0, 16) · l4 destination port (16, 16) · arp_op (32, 16) ·
///   icmp type (48, 8) · icmp code (56, 8)
/// - 6: arp_sha / ipv6_nd_sll · 7: arp_tha / ipv6_nd_tll
/// - 8–9: ipv6_src · 10–11: ipv6_dst · 12: ipv6_flabel (0, 20) · 13–14: ipv6_nd_target
/// - 15: tunnel_id
public struct FlowKey: Hashable, Sendable {
    public var words: SIMD16<UInt64>

    public init() { words = .zero }
    public init(words: SIMD16<UInt64>) { self.words = words }

    @inline(__always)
    func bits(_ word: Int, _ shift: UInt64, _ width: UInt64) -> UInt64 {
        (words[word] >> shift) & (width == 64 ? ~0 : (1 << width) - 1)
    }

    @inline(__always)
    mutating func setBits(_ word: Int, _ shift: UInt64, _ width: UInt64, _ value: UInt64) {
        let mask: UInt64 = (width == 64 ? ~0 : (1 << width) - 1) << shift
        words[word] = (words[word] & ~mask) | ((value << shift) & mask)
    }

    public var inPort: UInt32 {
        get { UInt32(truncatingIfNeeded: bits(0, 0, 32)) }
        set { setBits(0, 0, 32, UInt64(newValue)) }
    }
    public var ethType: UInt16 {
        get { UInt16(truncatingIfNeeded: bits(0, 32, 16)) }
        set { setBits(0, 32, 16, UInt64(newValue)) }
    }
    /// `OFPVID_PRESENT | vid` for a tagged frame, `OFPVID_NONE` (0) for an untagged one.
    public var vlanVID: UInt16 {
        get { UInt16(truncatingIfNeeded: bits(0, 48, 13)) }
        set { setBits(0, 48, 13, UInt64(newValue)) }
    }
    public var metadata: UInt64 {
        get { words[1] }
        set { words[1] = newValue }
    }
    public var ethDst: MACAddress {
        get { MACAddress(rawValue: bits(2, 0, 48)) }
        set { setBits(2, 0, 48, newValue.rawValue) }
    }
    public var vlanPCP: UInt8 {
        get { UInt8(truncatingIfNeeded: bits(2, 48, 3)) }
        set { setBits(2, 48, 3, UInt64(newValue)) }
    }
    public var ipProto: UInt8 {
        get { UInt8(truncatingIfNeeded: bits(2, 56, 8)) }
        set { setBits(2, 56, 8, UInt64(newValue)) }
    }
    public var ethSrc: MACAddress {
        get { MACAddress(rawValue: bits(3, 0, 48)) }
        set { setBits(3, 0, 48, newValue.rawValue) }
    }
    public var ipDSCP: UInt8 {
        get { UInt8(truncatingIfNeeded: bits(3, 48, 6)) }
        set { setBits(3, 48, 6, UInt64(newValue)) }
    }
    public var ipECN: UInt8 {
        get { UInt8(truncatingIfNeeded: bits(3, 56, 2)) }
        set { setBits(3, 56, 2, UInt64(newValue)) }
    }
    /// IPv4 source, or ARP sender protocol address.
    public var ipv4Src: IPv4Address {
        get { IPv4Address(rawValue: UInt32(truncatingIfNeeded: bits(4, 0, 32))) }
        set { setBits(4, 0, 32, UInt64(newValue.rawValue)) }
    }
    /// IPv4 destination, or ARP target protocol address.
    public var ipv4Dst: IPv4Address {
        get { IPv4Address(rawValue: UInt32(truncatingIfNeeded: bits(4, 32, 32))) }
        set { setBits(4, 32, 32, UInt64(newValue.rawValue)) }
    }
    /// TCP, UDP or SCTP source port.
    public var l4Src: UInt16 {
        get { UInt16(truncatingIfNeeded: bits(5, 0, 16)) }
        set { setBits(5, 0, 16, UInt64(newValue)) }
    }
    public var l4Dst: UInt16 {
        get { UInt16(truncatingIfNeeded: bits(5, 16, 16)) }
        set { setBits(5, 16, 16, UInt64(newValue)) }
    }
    public var arpOp: UInt16 {
        get { UInt16(truncatingIfNeeded: bits(5, 32, 16)) }
        set { setBits(5, 32, 16, UInt64(newValue)) }
    }
    /// ICMPv4 or ICMPv6 type.
    public var icmpType: UInt8 {
        get { UInt8(truncatingIfNeeded: bits(5, 48, 8)) }
        set { setBits(5, 48, 8, UInt64(newValue)) }
    }
    public var icmpCode: UInt8 {
        get { UInt8(truncatingIfNeeded: bits(5, 56, 8)) }
        set { setBits(5, 56, 8, UInt64(newValue)) }
    }
    /// ARP sender hardware address, or the ND source link-layer address.
    public var arpSha: MACAddress {
        get { MACAddress(rawValue: bits(6, 0, 48)) }
        set { setBits(6, 0, 48, newValue.rawValue) }
    }
    /// ARP target hardware address, or the ND target link-layer address.
    public var arpTha: MACAddress {
        get { MACAddress(rawValue: bits(7, 0, 48)) }
        set { setBits(7, 0, 48, newValue.rawValue) }
    }
    public var ipv6Src: IPv6Address {
        get { IPv6Address(high: words[8], low: words[9]) }
        set { words[8] = newValue.high; words[9] = newValue.low }
    }
    public var ipv6Dst: IPv6Address {
        get { IPv6Address(high: words[10], low: words[11]) }
        set { words[10] = newValue.high; words[11] = newValue.low }
    }
    public var ipv6Flabel: UInt32 {
        get { UInt32(truncatingIfNeeded: bits(12, 0, 20)) }
        set { setBits(12, 0, 20, UInt64(newValue)) }
    }
    public var ndTarget: IPv6Address {
        get { IPv6Address(high: words[13], low: words[14]) }
        set { words[13] = newValue.high; words[14] = newValue.low }
    }
    public var tunnelID: UInt64 {
        get { words[15] }
        set { words[15] = newValue }
    }

    /// Whether the frame carries an 802.1Q tag.
    public var isTagged: Bool { vlanVID & FlowKey.vidPresent != 0 }

    /// `OFPVID_PRESENT`.
    public static let vidPresent: UInt16 = 0x1000
}

extension FlowKey: CustomStringConvertible {
    public var description: String {
        var parts = ["in_port=\(inPort)"]
        if metadata != 0 { parts.append("metadata=0x\(String(metadata, radix: 16))") }
        parts.append("dl_src=\(ethSrc),dl_dst=\(ethDst),dl_type=0x\(String(ethType, radix: 16))")
        if isTagged { parts.append("vlan_vid=\(vlanVID & 0xFFF),vlan_pcp=\(vlanPCP)") }
        switch ethType {
        case 0x0800:
            parts.append("nw_src=\(ipv4Src),nw_dst=\(ipv4Dst),nw_proto=\(ipProto),dscp=\(ipDSCP),ecn=\(ipECN)")
        case 0x86DD:
            parts.append("ipv6_src=\(ipv6Src),ipv6_dst=\(ipv6Dst),nw_proto=\(ipProto)")
        case 0x0806:
            parts.append("arp_op=\(arpOp),arp_spa=\(ipv4Src),arp_tpa=\(ipv4Dst),arp_sha=\(arpSha),arp_tha=\(arpTha)")
        default: break
        }
        switch ipProto {
        case 6, 17, 132: parts.append("tp_src=\(l4Src),tp_dst=\(l4Dst)")
        case 1, 58: parts.append("icmp_type=\(icmpType),icmp_code=\(icmpCode)")
        default: break
        }
        return parts.joined(separator: ",")
    }
}
