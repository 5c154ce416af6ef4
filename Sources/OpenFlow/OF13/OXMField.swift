import NIOCore
import NetworkAddresses

/// One OXM TLV of an OpenFlow 1.3 match (spec 1.3.5 §7.2.3.2, `oxm_header`: class 16 bits,
/// field 7 bits, hasmask 1 bit, length 8 bits).
///
/// Every basic field (`OFPXMC_OPENFLOW_BASIC`) has a case. The wire format allows a mask on
/// any field and Open vSwitch sends masks on some the spec calls unmaskable, so every case
/// carries an optional mask; ``isMaskable`` says what the spec allows. Fields of other
/// classes (Nicira's NXM classes, experimenter) are kept as opaque bytes and re-encoded
/// byte for byte.
public enum OXMField: Hashable, Sendable {
    case inPort(UInt32, mask: UInt32? = nil)
    case inPhyPort(UInt32, mask: UInt32? = nil)
    case metadata(UInt64, mask: UInt64? = nil)
    case ethDst(MACAddress, mask: MACAddress? = nil)
    case ethSrc(MACAddress, mask: MACAddress? = nil)
    case ethType(UInt16, mask: UInt16? = nil)
    /// `OFPVID_PRESENT` (0x1000) ORed with the VLAN id; 0 (`OFPVID_NONE`) matches untagged.
    case vlanVid(UInt16, mask: UInt16? = nil)
    case vlanPcp(UInt8, mask: UInt8? = nil)
    case ipDscp(UInt8, mask: UInt8? = nil)
    case ipEcn(UInt8, mask: UInt8? = nil)
    case ipProto(UInt8, mask: UInt8? = nil)
    case ipv4Src(IPv4Address, mask: IPv4Address? = nil)
    case ipv4Dst(IPv4Address, mask: IPv4Address? = nil)
    case tcpSrc(UInt16, mask: UInt16? = nil)
    case tcpDst(UInt16, mask: UInt16? = nil)
    case udpSrc(UInt16, mask: UInt16? = nil)
    case udpDst(UInt16, mask: UInt16? = nil)
    case sctpSrc(UInt16, mask: UInt16? = nil)
    case sctpDst(UInt16, mask: UInt16? = nil)
    case icmpv4Type(UInt8, mask: UInt8? = nil)
    case icmpv4Code(UInt8, mask: UInt8? = nil)
    case arpOp(UInt16, mask: UInt16? = nil)
    case arpSpa(IPv4Address, mask: IPv4Address? = nil)
    case arpTpa(IPv4Address, mask: IPv4Address? = nil)
    case arpSha(MACAddress, mask: MACAddress? = nil)
    case arpTha(MACAddress, mask: MACAddress? = nil)
    case ipv6Src(IPv6Address, mask: IPv6Address? = nil)
    case ipv6Dst(IPv6Address, mask: IPv6Address? = nil)
    case ipv6Flabel(UInt32, mask: UInt32? = nil)
    case icmpv6Type(UInt8, mask: UInt8? = nil)
    case icmpv6Code(UInt8, mask: UInt8? = nil)
    case ipv6NdTarget(IPv6Address, mask: IPv6Address? = nil)
    case ipv6NdSll(MACAddress, mask: MACAddress? = nil)
    case ipv6NdTll(MACAddress, mask: MACAddress? = nil)
    case mplsLabel(UInt32, mask: UInt32? = nil)
    case mplsTc(UInt8, mask: UInt8? = nil)
    case mplsBos(UInt8, mask: UInt8? = nil)
    /// 24 bits on the wire.
    case pbbIsid(UInt32, mask: UInt32? = nil)
    case tunnelId(UInt64, mask: UInt64? = nil)
    case ipv6Exthdr(UInt16, mask: UInt16? = nil)
    /// A field of a class other than `OFPXMC_OPENFLOW_BASIC`, or an unknown basic field:
    /// the header's parts and the payload (value, then mask; for `OFPXMC_EXPERIMENTER` the
    /// payload starts with the 32-bit experimenter id), kept byte for byte.
    case other(oxmClass: UInt16, field: UInt8, hasMask: Bool, payload: ByteBuffer)

    /// `OFPXMC_OPENFLOW_BASIC`.
    public static let basicClass: UInt16 = 0x8000
    /// `OFPXMC_EXPERIMENTER`.
    public static let experimenterClass: UInt16 = 0xFFFF
}

extension OXMField {
    /// A typed value of a basic field, the common form used to read, write, print and code them.
    public enum Value: Hashable, Sendable {
        case integer(UInt64)
        case mac(MACAddress)
        case ipv4(IPv4Address)
        case ipv6(IPv6Address)
    }

    /// The shape of a basic field: its number, its spec name and its width on the wire.
    public struct Basic: Hashable, Sendable {
        public let field: UInt8
        public let name: String
        public let width: Int
        public let isMaskable: Bool
    }

    /// Every `OFPXMT_OFB_*` field of spec 1.3.5 Table 12, by field number.
    public static let basicFields: [Basic] = [
        Basic(field: 0, name: "in_port", width: 4, isMaskable: false),
        Basic(field: 1, name: "in_phy_port", width: 4, isMaskable: false),
        Basic(field: 2, name: "metadata", width: 8, isMaskable: true),
        Basic(field: 3, name: "eth_dst", width: 6, isMaskable: true),
        Basic(field: 4, name: "eth_src", width: 6, isMaskable: true),
        Basic(field: 5, name: "eth_type", width: 2, isMaskable: false),
        Basic(field: 6, name: "vlan_vid", width: 2, isMaskable: true),
        Basic(field: 7, name: "vlan_pcp", width: 1, isMaskable: false),
        Basic(field: 8, name: "ip_dscp", width: 1, isMaskable: false),
        Basic(field: 9, name: "ip_ecn", width: 1, isMaskable: false),
        Basic(field: 10, name: "ip_proto", width: 1, isMaskable: false),
        Basic(field: 11, name: "ipv4_src", width: 4, isMaskable: true),
        Basic(field: 12, name: "ipv4_dst", width: 4, isMaskable: true),
        Basic(field: 13, name: "tcp_src", width: 2, isMaskable: false),
        Basic(field: 14, name: "tcp_dst", width: 2, isMaskable: false),
        Basic(field: 15, name: "udp_src", width: 2, isMaskable: false),
        Basic(field: 16, name: "udp_dst", width: 2, isMaskable: false),
        Basic(field: 17, name: "sctp_src", width: 2, isMaskable: false),
        Basic(field: 18, name: "sctp_dst", width: 2, isMaskable: false),
        Basic(field: 19, name: "icmpv4_type", width: 1, isMaskable: false),
        Basic(field: 20, name: "icmpv4_code", width: 1, isMaskable: false),
        Basic(field: 21, name: "arp_op", width: 2, isMaskable: false),
        Basic(field: 22, name: "arp_spa", width: 4, isMaskable: true),
        Basic(field: 23, name: "arp_tpa", width: 4, isMaskable: true),
        Basic(field: 24, name: "arp_sha", width: 6, isMaskable: true),
        Basic(field: 25, name: "arp_tha", width: 6, isMaskable: true),
        Basic(field: 26, name: "ipv6_src", width: 16, isMaskable: true),
        Basic(field: 27, name: "ipv6_dst", width: 16, isMaskable: true),
        Basic(field: 28, name: "ipv6_flabel", width: 4, isMaskable: true),
        Basic(field: 29, name: "icmpv6_type", width: 1, isMaskable: false),
        Basic(field: 30, name: "icmpv6_code", width: 1, isMaskable: false),
        Basic(field: 31, name: "ipv6_nd_target", width: 16, isMaskable: false),
        Basic(field: 32, name: "ipv6_nd_sll", width: 6, isMaskable: false),
        Basic(field: 33, name: "ipv6_nd_tll", width: 6, isMaskable: false),
        Basic(field: 34, name: "mpls_label", width: 4, isMaskable: false),
        Basic(field: 35, name: "mpls_tc", width: 1, isMaskable: false),
        Basic(field: 36, name: "mpls_bos", width: 1, isMaskable: false),
        Basic(field: 37, name: "pbb_isid", width: 3, isMaskable: true),
        Basic(field: 38, name: "tunnel_id", width: 8, isMaskable: true),
        Basic(field: 39, name: "ipv6_exthdr", width: 2, isMaskable: true),
    ]

    /// The field number, value and mask of a basic field; nil for `.other`.
    public var basic: (field: UInt8, value: Value, mask: Value?)? {
        func int<T: FixedWidthInteger>(_ v: T) -> Value { .integer(UInt64(v)) }
        switch self {
        case .inPort(let v, let m): return (0, int(v), m.map(int))
        case .inPhyPort(let v, let m): return (1, int(v), m.map(int))
        case .metadata(let v, let m): return (2, int(v), m.map(int))
        case .ethDst(let v, let m): return (3, .mac(v), m.map(Value.mac))
        case .ethSrc(let v, let m): return (4, .mac(v), m.map(Value.mac))
        case .ethType(let v, let m): return (5, int(v), m.map(int))
        case .vlanVid(let v, let m): return (6, int(v), m.map(int))
        case .vlanPcp(let v, let m): return (7, int(v), m.map(int))
        case .ipDscp(let v, let m): return (8, int(v), m.map(int))
        case .ipEcn(let v, let m): return (9, int(v), m.map(int))
        case .ipProto(let v, let m): return (10, int(v), m.map(int))
        case .ipv4Src(let v, let m): return (11, .ipv4(v), m.map(Value.ipv4))
        case .ipv4Dst(let v, let m): return (12, .ipv4(v), m.map(Value.ipv4))
        case .tcpSrc(let v, let m): return (13, int(v), m.map(int))
        case .tcpDst(let v, let m): return (14, int(v), m.map(int))
        case .udpSrc(let v, let m): return (15, int(v), m.map(int))
        case .udpDst(let v, let m): return (16, int(v), m.map(int))
        case .sctpSrc(let v, let m): return (17, int(v), m.map(int))
        case .sctpDst(let v, let m): return (18, int(v), m.map(int))
        case .icmpv4Type(let v, let m): return (19, int(v), m.map(int))
        case .icmpv4Code(let v, let m): return (20, int(v), m.map(int))
        case .arpOp(let v, let m): return (21, int(v), m.map(int))
        case .arpSpa(let v, let m): return (22, .ipv4(v), m.map(Value.ipv4))
        case .arpTpa(let v, let m): return (23, .ipv4(v), m.map(Value.ipv4))
        case .arpSha(let v, let m): return (24, .mac(v), m.map(Value.mac))
        case .arpTha(let v, let m): return (25, .mac(v), m.map(Value.mac))
        case .ipv6Src(let v, let m): return (26, .ipv6(v), m.map(Value.ipv6))
        case .ipv6Dst(let v, let m): return (27, .ipv6(v), m.map(Value.ipv6))
        case .ipv6Flabel(let v, let m): return (28, int(v), m.map(int))
        case .icmpv6Type(let v, let m): return (29, int(v), m.map(int))
        case .icmpv6Code(let v, let m): return (30, int(v), m.map(int))
        case .ipv6NdTarget(let v, let m): return (31, .ipv6(v), m.map(Value.ipv6))
        case .ipv6NdSll(let v, let m): return (32, .mac(v), m.map(Value.mac))
        case .ipv6NdTll(let v, let m): return (33, .mac(v), m.map(Value.mac))
        case .mplsLabel(let v, let m): return (34, int(v), m.map(int))
        case .mplsTc(let v, let m): return (35, int(v), m.map(int))
        case .mplsBos(let v, let m): return (36, int(v), m.map(int))
        case .pbbIsid(let v, let m): return (37, int(v), m.map(int))
        case .tunnelId(let v, let m): return (38, int(v), m.map(int))
        case .ipv6Exthdr(let v, let m): return (39, int(v), m.map(int))
        case .other: return nil
        }
    }

    /// Builds a basic field from its number and typed values; nil if the number is unknown
    /// or a value has the wrong kind for the field.
    public init?(basicField field: UInt8, value: Value, mask: Value?) {
        func u<T: FixedWidthInteger>(_ v: Value?, _: T.Type) -> T?? {
            guard let v else { return .some(nil) }
            guard case .integer(let i) = v, let t = T(exactly: i) else { return nil }
            return .some(t)
        }
        func mac(_ v: Value?) -> MACAddress?? {
            guard let v else { return .some(nil) }
            guard case .mac(let m) = v else { return nil }
            return .some(m)
        }
        func ip4(_ v: Value?) -> IPv4Address?? {
            guard let v else { return .some(nil) }
            guard case .ipv4(let a) = v else { return nil }
            return .some(a)
        }
        func ip6(_ v: Value?) -> IPv6Address?? {
            guard let v else { return .some(nil) }
            guard case .ipv6(let a) = v else { return nil }
            return .some(a)
        }
        switch field {
        case 0: guard let v = u(value, UInt32.self) ?? nil, let m = u(mask, UInt32.self) else { return nil }; self = .inPort(v, mask: m)
        case 1: guard let v = u(value, UInt32.self) ?? nil, let m = u(mask, UInt32.self) else { return nil }; self = .inPhyPort(v, mask: m)
        case 2: guard let v = u(value, UInt64.self) ?? nil, let m = u(mask, UInt64.self) else { return nil }; self = .metadata(v, mask: m)
        case 3: guard let v = mac(value) ?? nil, let m = mac(mask) else { return nil }; self = .ethDst(v, mask: m)
        case 4: guard let v = mac(value) ?? nil, let m = mac(mask) else { return nil }; self = .ethSrc(v, mask: m)
        case 5: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .ethType(v, mask: m)
        case 6: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .vlanVid(v, mask: m)
        case 7: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .vlanPcp(v, mask: m)
        case 8: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .ipDscp(v, mask: m)
        case 9: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .ipEcn(v, mask: m)
        case 10: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .ipProto(v, mask: m)
        case 11: guard let v = ip4(value) ?? nil, let m = ip4(mask) else { return nil }; self = .ipv4Src(v, mask: m)
        case 12: guard let v = ip4(value) ?? nil, let m = ip4(mask) else { return nil }; self = .ipv4Dst(v, mask: m)
        case 13: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .tcpSrc(v, mask: m)
        case 14: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .tcpDst(v, mask: m)
        case 15: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .udpSrc(v, mask: m)
        case 16: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .udpDst(v, mask: m)
        case 17: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .sctpSrc(v, mask: m)
        case 18: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .sctpDst(v, mask: m)
        case 19: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .icmpv4Type(v, mask: m)
        case 20: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .icmpv4Code(v, mask: m)
        case 21: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .arpOp(v, mask: m)
        case 22: guard let v = ip4(value) ?? nil, let m = ip4(mask) else { return nil }; self = .arpSpa(v, mask: m)
        case 23: guard let v = ip4(value) ?? nil, let m = ip4(mask) else { return nil }; self = .arpTpa(v, mask: m)
        case 24: guard let v = mac(value) ?? nil, let m = mac(mask) else { return nil }; self = .arpSha(v, mask: m)
        case 25: guard let v = mac(value) ?? nil, let m = mac(mask) else { return nil }; self = .arpTha(v, mask: m)
        case 26: guard let v = ip6(value) ?? nil, let m = ip6(mask) else { return nil }; self = .ipv6Src(v, mask: m)
        case 27: guard let v = ip6(value) ?? nil, let m = ip6(mask) else { return nil }; self = .ipv6Dst(v, mask: m)
        case 28: guard let v = u(value, UInt32.self) ?? nil, let m = u(mask, UInt32.self) else { return nil }; self = .ipv6Flabel(v, mask: m)
        case 29: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .icmpv6Type(v, mask: m)
        case 30: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .icmpv6Code(v, mask: m)
        case 31: guard let v = ip6(value) ?? nil, let m = ip6(mask) else { return nil }; self = .ipv6NdTarget(v, mask: m)
        case 32: guard let v = mac(value) ?? nil, let m = mac(mask) else { return nil }; self = .ipv6NdSll(v, mask: m)
        case 33: guard let v = mac(value) ?? nil, let m = mac(mask) else { return nil }; self = .ipv6NdTll(v, mask: m)
        case 34: guard let v = u(value, UInt32.self) ?? nil, let m = u(mask, UInt32.self) else { return nil }; self = .mplsLabel(v, mask: m)
        case 35: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .mplsTc(v, mask: m)
        case 36: guard let v = u(value, UInt8.self) ?? nil, let m = u(mask, UInt8.self) else { return nil }; self = .mplsBos(v, mask: m)
        case 37: guard let v = u(value, UInt32.self) ?? nil, let m = u(mask, UInt32.self) else { return nil }; self = .pbbIsid(v, mask: m)
        case 38: guard let v = u(value, UInt64.self) ?? nil, let m = u(mask, UInt64.self) else { return nil }; self = .tunnelId(v, mask: m)
        case 39: guard let v = u(value, UInt16.self) ?? nil, let m = u(mask, UInt16.self) else { return nil }; self = .ipv6Exthdr(v, mask: m)
        default: return nil
        }
    }

    /// The spec's name of the field (`eth_dst`), or `class:field` for other classes.
    public var name: String {
        switch self {
        case .other(let oxmClass, let field, _, _):
            return "0x" + String(oxmClass, radix: 16) + ":" + String(field)
        default:
            guard let basic, Int(basic.field) < Self.basicFields.count else { return "?" }
            return Self.basicFields[Int(basic.field)].name
        }
    }

    /// Whether the spec allows a mask on this field (spec 1.3.5 Table 12).
    public var isMaskable: Bool {
        guard let basic, Int(basic.field) < Self.basicFields.count else { return true }
        return Self.basicFields[Int(basic.field)].isMaskable
    }

    /// The 32-bit OXM header.
    public var header: UInt32 {
        switch self {
        case .other(let oxmClass, let field, let hasMask, let payload):
            return UInt32(oxmClass) << 16 | UInt32(field & 0x7F) << 9 | (hasMask ? 1 << 8 : 0)
                | UInt32(payload.readableBytes & 0xFF)
        default:
            guard let basic else { return 0 }
            let width = Self.basicFields[Int(basic.field)].width
            let length = basic.mask == nil ? width : 2 * width
            return UInt32(Self.basicClass) << 16 | UInt32(basic.field) << 9
                | (basic.mask == nil ? 0 : 1 << 8) | UInt32(length)
        }
    }
}

extension OXMField: WireListElement {
    /// Reads one `oxm_header` and its payload.
    public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OXMField {
        let header = try reader.readU32("oxm_header")
        let oxmClass = UInt16(truncatingIfNeeded: header >> 16)
        let field = UInt8(truncatingIfNeeded: (header >> 9) & 0x7F)
        let hasMask = header & (1 << 8) != 0
        let length = Int(header & 0xFF)
        guard oxmClass == basicClass, Int(field) < basicFields.count else {
            let payload = try reader.readSlice(length, "oxm_payload")
            return .other(oxmClass: oxmClass, field: field, hasMask: hasMask, payload: payload)
        }
        let width = basicFields[Int(field)].width
        guard length == (hasMask ? 2 * width : width) else {
            throw reader.error(
                .badLength, "oxm_length",
                "\(basicFields[Int(field)].name) needs \(hasMask ? 2 * width : width) bytes, header says \(length)")
        }
        let value = try readValue(&reader, field: field, width: width)
        let mask = hasMask ? try readValue(&reader, field: field, width: width) : nil
        guard let result = OXMField(basicField: field, value: value, mask: mask) else {
            throw reader.error(.badValue, "oxm_value")
        }
        return result
    }

    /// Accepts exactly what ``read(from:)`` accepts: a basic field's length must be its width
    /// (twice that with a mask); other classes only need their payload to be present.
    public static func validate(_ reader: inout WireReader) throws(OpenFlowError) {
        let header = try reader.readU32("oxm_header")
        let oxmClass = UInt16(truncatingIfNeeded: header >> 16)
        let field = Int((header >> 9) & 0x7F)
        let length = Int(header & 0xFF)
        if oxmClass == basicClass, let width = basicWidth(field) {
            guard length == (header & 0x100 != 0 ? 2 * width : width) else {
                throw reader.error(.badLength, "oxm_length", "\(basicFields[field].name): \(length) bytes")
            }
        }
        try reader.skip(length, "oxm_payload")
    }

    /// The width of basic field `field` (nil if unknown): `basicFields[field].width`, as a
    /// switch for the hot path (no global array to initialise and retain).
    @inline(__always)
    static func basicWidth(_ field: Int) -> Int? {
        switch field {
        case 0, 1, 11, 12, 22, 23, 28, 34: 4
        case 2, 38: 8
        case 3, 4, 24, 25, 32, 33: 6
        case 5, 6, 13, 14, 15, 16, 17, 18, 21, 39: 2
        case 7, 8, 9, 10, 19, 20, 29, 30, 35, 36: 1
        case 26, 27, 31: 16
        case 37: 3
        default: nil
        }
    }

    private static func readValue(_ reader: inout WireReader, field: UInt8, width: Int) throws(OpenFlowError)
        -> Value
    {
        switch (field, width) {
        case (3, _), (4, _), (24, _), (25, _), (32, _), (33, _): return .mac(try reader.readMAC("oxm_value"))
        case (11, _), (12, _), (22, _), (23, _): return .ipv4(try reader.readIPv4("oxm_value"))
        case (26, _), (27, _), (31, _): return .ipv6(try reader.readIPv6("oxm_value"))
        case (_, 1): return .integer(UInt64(try reader.readU8("oxm_value")))
        case (_, 2): return .integer(UInt64(try reader.readU16("oxm_value")))
        case (_, 3):
            let high = try reader.readU8("oxm_value")
            let low = try reader.readU16("oxm_value")
            return .integer(UInt64(high) << 16 | UInt64(low))
        case (_, 4): return .integer(UInt64(try reader.readU32("oxm_value")))
        default: return .integer(try reader.readU64("oxm_value"))
        }
    }

    private static func writeValue(_ value: Value, width: Int, to buffer: inout ByteBuffer) -> Int {
        switch value {
        case .mac(let mac): return buffer.writeMAC(mac)
        case .ipv4(let ip): return buffer.writeInteger(ip.rawValue)
        case .ipv6(let ip): return buffer.writeIPv6(ip)
        case .integer(let v):
            switch width {
            case 1: return buffer.writeInteger(UInt8(truncatingIfNeeded: v))
            case 2: return buffer.writeInteger(UInt16(truncatingIfNeeded: v))
            case 3:
                return buffer.writeInteger(UInt8(truncatingIfNeeded: v >> 16))
                    + buffer.writeInteger(UInt16(truncatingIfNeeded: v))
            case 4: return buffer.writeInteger(UInt32(truncatingIfNeeded: v))
            default: return buffer.writeInteger(v)
            }
        }
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeInteger(header)
        switch self {
        case .other(_, _, _, let payload):
            written += buffer.writeImmutableBuffer(payload)
        default:
            guard let basic else { return written }
            let width = Self.basicFields[Int(basic.field)].width
            written += Self.writeValue(basic.value, width: width, to: &buffer)
            if let mask = basic.mask { written += Self.writeValue(mask, width: width, to: &buffer) }
        }
        return written
    }
}

extension OXMField.Value: CustomStringConvertible {
    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .mac(let m): return m.description
        case .ipv4(let a): return a.description
        case .ipv6(let a): return a.description
        }
    }
}

extension OXMField: CustomStringConvertible {
    public var description: String {
        switch self {
        case .other(let oxmClass, let field, let hasMask, let payload):
            return "oxm(class=0x\(String(oxmClass, radix: 16)),field=\(field),hasmask=\(hasMask),"
                + "payload=\(HexBytes.format(payload.readableBytesView)))"
        default:
            guard let basic else { return "?" }
            var text = name + "=" + Self.format(basic.value, field: basic.field)
            if let mask = basic.mask { text += "/" + Self.format(mask, field: basic.field) }
            return text
        }
    }

    private static func format(_ value: Value, field: UInt8) -> String {
        guard case .integer(let v) = value else { return value.description }
        // Hex for fields that are bit patterns rather than numbers.
        switch field {
        case 2, 5, 6, 28, 38, 39: return "0x" + String(v, radix: 16)
        default: return String(v)
        }
    }
}

extension OXMField: Codable {
    private enum CodingKeys: String, CodingKey {
        case field, value, mask, oxmClass = "class", fieldNumber = "field_number", hasMask = "hasmask",
            payload
    }

    /// JSON form: `{"field": "eth_dst", "value": "aa:bb:cc:dd:ee:ff", "mask": ...}`; integers
    /// are JSON numbers, addresses strings. Other classes:
    /// `{"class": 1, "field_number": 2, "hasmask": false, "payload": "hex"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.oxmClass) {
            self = .other(
                oxmClass: try container.decode(UInt16.self, forKey: .oxmClass),
                field: try container.decode(UInt8.self, forKey: .fieldNumber),
                hasMask: try container.decode(Bool.self, forKey: .hasMask),
                payload: try container.decode(ByteBuffer.self, forKey: .payload))
            return
        }
        let name = try container.decode(String.self, forKey: .field)
        guard let basic = Self.basicFields.first(where: { $0.name == name }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .field, in: container, debugDescription: "unknown OXM field \(name)")
        }
        func value(_ key: CodingKeys) throws -> Value? {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            switch basic.field {
            case 3, 4, 24, 25, 32, 33: return .mac(try container.decode(MACAddress.self, forKey: key))
            case 11, 12, 22, 23: return .ipv4(try container.decode(IPv4Address.self, forKey: key))
            case 26, 27, 31: return .ipv6(try container.decode(IPv6Address.self, forKey: key))
            default: return .integer(try container.decode(UInt64.self, forKey: key))
            }
        }
        guard let v = try value(.value),
            let field = OXMField(basicField: basic.field, value: v, mask: try value(.mask))
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .value, in: container, debugDescription: "bad value for OXM field \(name)")
        }
        self = field
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if case .other(let oxmClass, let field, let hasMask, let payload) = self {
            try container.encode(oxmClass, forKey: .oxmClass)
            try container.encode(field, forKey: .fieldNumber)
            try container.encode(hasMask, forKey: .hasMask)
            try container.encode(payload, forKey: .payload)
            return
        }
        guard let basic else { return }
        try container.encode(name, forKey: .field)
        func put(_ v: Value, _ key: CodingKeys) throws {
            switch v {
            case .integer(let i): try container.encode(i, forKey: key)
            case .mac(let m): try container.encode(m, forKey: key)
            case .ipv4(let a): try container.encode(a, forKey: key)
            case .ipv6(let a): try container.encode(a, forKey: key)
            }
        }
        try put(basic.value, .value)
        if let mask = basic.mask { try put(mask, .mask) }
    }
}
