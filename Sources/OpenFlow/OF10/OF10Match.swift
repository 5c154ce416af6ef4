import NIOCore
import NetworkAddresses

extension OF10 {
    /// `struct ofp_match` (spec 1.0.0 §5.2.3): 40 bytes, a fixed set of header fields and a
    /// `wildcards` bitfield saying which of them are ignored.
    ///
    /// The wildcards are kept raw and every field keeps the value that came on the wire, even
    /// when the field is wildcarded (Open vSwitch zeroes them, other switches may not), so that
    /// a decoded match re-encodes to the same bytes. Only the two padding fields are not kept:
    /// they are written as zeros. Use ``isWildcarded(_:)``, ``nwSrcPrefixLength`` and the
    /// optional-taking initializer rather than reading the bits by hand.
    public struct Match: Hashable, Sendable, Codable {
        public var wildcards: Wildcards
        public var inPort: UInt16
        public var dlSrc: MACAddress
        public var dlDst: MACAddress
        /// The VLAN id; `0xffff` (`OFP_VLAN_NONE`) matches frames without a VLAN tag.
        public var dlVLAN: UInt16
        public var dlVLANPCP: UInt8
        public var dlType: UInt16
        /// The IP ToS byte; only its upper 6 bits (the DSCP) are matched.
        public var nwTOS: UInt8
        /// The IP protocol, or the low 8 bits of the ARP opcode.
        public var nwProto: UInt8
        public var nwSrc: IPv4Address
        public var nwDst: IPv4Address
        /// The TCP/UDP source port, or the ICMP type.
        public var tpSrc: UInt16
        /// The TCP/UDP destination port, or the ICMP code.
        public var tpDst: UInt16

        /// The encoded size.
        public static let size = 40

        /// `OFP_VLAN_NONE`: the `dl_vlan` value matching untagged frames.
        public static let vlanNone: UInt16 = 0xFFFF

        /// Every field given raw, as on the wire.
        public init(
            wildcards: Wildcards, inPort: UInt16, dlSrc: MACAddress, dlDst: MACAddress, dlVLAN: UInt16,
            dlVLANPCP: UInt8, dlType: UInt16, nwTOS: UInt8, nwProto: UInt8, nwSrc: IPv4Address,
            nwDst: IPv4Address, tpSrc: UInt16, tpDst: UInt16
        ) {
            self.wildcards = wildcards
            self.inPort = inPort
            self.dlSrc = dlSrc
            self.dlDst = dlDst
            self.dlVLAN = dlVLAN
            self.dlVLANPCP = dlVLANPCP
            self.dlType = dlType
            self.nwTOS = nwTOS
            self.nwProto = nwProto
            self.nwSrc = nwSrc
            self.nwDst = nwDst
            self.tpSrc = tpSrc
            self.tpDst = tpDst
        }

        /// A match on the fields given; every field left out (nil) is wildcarded and written
        /// as zero, as Open vSwitch does. IPv4 addresses match on their first
        /// `nwSrcPrefixLength`/`nwDstPrefixLength` bits (clamped to 0...32), and the host bits
        /// are cleared.
        public init(
            inPort: UInt16? = nil, dlSrc: MACAddress? = nil, dlDst: MACAddress? = nil,
            dlVLAN: UInt16? = nil, dlVLANPCP: UInt8? = nil, dlType: UInt16? = nil, nwTOS: UInt8? = nil,
            nwProto: UInt8? = nil, nwSrc: IPv4Address? = nil, nwSrcPrefixLength: Int = 32,
            nwDst: IPv4Address? = nil, nwDstPrefixLength: Int = 32, tpSrc: UInt16? = nil,
            tpDst: UInt16? = nil
        ) {
            var wildcards: Wildcards = []
            func field<T>(_ value: T?, _ zero: T, _ bit: Wildcards) -> T {
                if let value { return value }
                wildcards.insert(bit)
                return zero
            }
            self.inPort = field(inPort, 0, .inPort)
            self.dlSrc = field(dlSrc, .zero, .dlSrc)
            self.dlDst = field(dlDst, .zero, .dlDst)
            self.dlVLAN = field(dlVLAN, 0, .dlVLAN)
            self.dlVLANPCP = field(dlVLANPCP, 0, .dlVLANPCP)
            self.dlType = field(dlType, 0, .dlType)
            self.nwTOS = field(nwTOS, 0, .nwTOS)
            self.nwProto = field(nwProto, 0, .nwProto)
            self.tpSrc = field(tpSrc, 0, .tpSrc)
            self.tpDst = field(tpDst, 0, .tpDst)
            let srcLength = nwSrc == nil ? 0 : Swift.min(Swift.max(nwSrcPrefixLength, 0), 32)
            let dstLength = nwDst == nil ? 0 : Swift.min(Swift.max(nwDstPrefixLength, 0), 32)
            wildcards.nwSrcBits = 32 - srcLength
            wildcards.nwDstBits = 32 - dstLength
            self.nwSrc = IPv4Address(rawValue: (nwSrc?.rawValue ?? 0) & IPv4Address.mask(prefixLength: srcLength).rawValue)
            self.nwDst = IPv4Address(rawValue: (nwDst?.rawValue ?? 0) & IPv4Address.mask(prefixLength: dstLength).rawValue)
            self.wildcards = wildcards
        }

        /// A match on every packet, encoded as Open vSwitch encodes it (wildcards `0x003820ff`:
        /// every flag set and both address wildcard counts at 32).
        public static let all = Match()

        /// Whether the one-bit wildcard `field` (e.g. `.inPort`) is set, i.e. the field is ignored.
        public func isWildcarded(_ field: Wildcards) -> Bool { wildcards.isSuperset(of: field) }

        /// How many leading bits of `nw_src` are matched (0 means nw_src is ignored).
        public var nwSrcPrefixLength: Int { 32 - Swift.min(wildcards.nwSrcBits, 32) }

        /// How many leading bits of `nw_dst` are matched (0 means nw_dst is ignored).
        public var nwDstPrefixLength: Int { 32 - Swift.min(wildcards.nwDstBits, 32) }

        /// `enum ofp_flow_wildcards`: one-bit flags plus two 6-bit counts of the low-order bits
        /// of `nw_src` and `nw_dst` to ignore (any count of 32 or more ignores the address).
        public struct Wildcards: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let inPort = Wildcards(rawValue: 1 << 0)
            public static let dlVLAN = Wildcards(rawValue: 1 << 1)
            public static let dlSrc = Wildcards(rawValue: 1 << 2)
            public static let dlDst = Wildcards(rawValue: 1 << 3)
            public static let dlType = Wildcards(rawValue: 1 << 4)
            public static let nwProto = Wildcards(rawValue: 1 << 5)
            public static let tpSrc = Wildcards(rawValue: 1 << 6)
            public static let tpDst = Wildcards(rawValue: 1 << 7)
            /// `OFPFW_NW_SRC_MASK`: the 6-bit count at `OFPFW_NW_SRC_SHIFT` (8).
            public static let nwSrcMask = Wildcards(rawValue: 0x3F << 8)
            /// `OFPFW_NW_SRC_ALL`: a count of 32.
            public static let nwSrcAll = Wildcards(rawValue: 32 << 8)
            /// `OFPFW_NW_DST_MASK`: the 6-bit count at `OFPFW_NW_DST_SHIFT` (14).
            public static let nwDstMask = Wildcards(rawValue: 0x3F << 14)
            /// `OFPFW_NW_DST_ALL`: a count of 32.
            public static let nwDstAll = Wildcards(rawValue: 32 << 14)
            public static let dlVLANPCP = Wildcards(rawValue: 1 << 20)
            public static let nwTOS = Wildcards(rawValue: 1 << 21)
            /// `OFPFW_ALL`: all 22 defined bits (address counts of 63).
            public static let all = Wildcards(rawValue: (1 << 22) - 1)

            /// The number of low-order bits of `nw_src` ignored (0...63; 32 or more: all).
            public var nwSrcBits: Int {
                get { Int((rawValue >> 8) & 0x3F) }
                set { rawValue = rawValue & ~(0x3F << 8) | UInt32(Swift.min(Swift.max(newValue, 0), 63)) << 8 }
            }

            /// The number of low-order bits of `nw_dst` ignored (0...63; 32 or more: all).
            public var nwDstBits: Int {
                get { Int((rawValue >> 14) & 0x3F) }
                set { rawValue = rawValue & ~(0x3F << 14) | UInt32(Swift.min(Swift.max(newValue, 0), 63)) << 14 }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> Match {
            let wildcards = Wildcards(rawValue: try reader.readU32("match.wildcards"))
            let inPort = try reader.readU16("match.in_port")
            let dlSrc = try reader.readMAC("match.dl_src")
            let dlDst = try reader.readMAC("match.dl_dst")
            let dlVLAN = try reader.readU16("match.dl_vlan")
            let dlVLANPCP = try reader.readU8("match.dl_vlan_pcp")
            try reader.skip(1, "match.pad1")
            let dlType = try reader.readU16("match.dl_type")
            let nwTOS = try reader.readU8("match.nw_tos")
            let nwProto = try reader.readU8("match.nw_proto")
            try reader.skip(2, "match.pad2")
            return Match(
                wildcards: wildcards, inPort: inPort, dlSrc: dlSrc, dlDst: dlDst, dlVLAN: dlVLAN,
                dlVLANPCP: dlVLANPCP, dlType: dlType, nwTOS: nwTOS, nwProto: nwProto,
                nwSrc: try reader.readIPv4("match.nw_src"), nwDst: try reader.readIPv4("match.nw_dst"),
                tpSrc: try reader.readU16("match.tp_src"), tpDst: try reader.readU16("match.tp_dst"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(wildcards.rawValue)
            buffer.writeInteger(inPort)
            buffer.writeMAC(dlSrc)
            buffer.writeMAC(dlDst)
            buffer.writeInteger(dlVLAN)
            buffer.writeInteger(dlVLANPCP)
            buffer.writeZeros(1)
            buffer.writeInteger(dlType)
            buffer.writeInteger(nwTOS)
            buffer.writeInteger(nwProto)
            buffer.writeZeros(2)
            buffer.writeInteger(nwSrc.rawValue)
            buffer.writeInteger(nwDst.rawValue)
            buffer.writeInteger(tpSrc)
            buffer.writeInteger(tpDst)
            return Self.size
        }
    }
}

extension OF10.Match: CustomStringConvertible {
    /// The matched fields in `ovs-ofctl` style (`in_port=1,dl_type=0x0800,nw_dst=10.0.0.0/8`),
    /// or `any`.
    public var description: String {
        var parts: [String] = []
        func hex(_ value: some BinaryInteger) -> String { "0x" + String(value, radix: 16) }
        if !isWildcarded(.inPort) { parts.append("in_port=\(OF10.PortNumber.name(inPort))") }
        if !isWildcarded(.dlSrc) { parts.append("dl_src=\(dlSrc)") }
        if !isWildcarded(.dlDst) { parts.append("dl_dst=\(dlDst)") }
        if !isWildcarded(.dlVLAN) { parts.append("dl_vlan=\(dlVLAN == Self.vlanNone ? "none" : String(dlVLAN))") }
        if !isWildcarded(.dlVLANPCP) { parts.append("dl_vlan_pcp=\(dlVLANPCP)") }
        if !isWildcarded(.dlType) { parts.append("dl_type=\(hex(dlType))") }
        if !isWildcarded(.nwTOS) { parts.append("nw_tos=\(nwTOS)") }
        if !isWildcarded(.nwProto) { parts.append("nw_proto=\(nwProto)") }
        let src = nwSrcPrefixLength
        if src > 0 { parts.append("nw_src=\(nwSrc)" + (src < 32 ? "/\(src)" : "")) }
        let dst = nwDstPrefixLength
        if dst > 0 { parts.append("nw_dst=\(nwDst)" + (dst < 32 ? "/\(dst)" : "")) }
        if !isWildcarded(.tpSrc) { parts.append("tp_src=\(tpSrc)") }
        if !isWildcarded(.tpDst) { parts.append("tp_dst=\(tpDst)") }
        return parts.isEmpty ? "any" : parts.joined(separator: ",")
    }
}
