import NIOCore
import NetworkAddresses

extension OF10 {
    /// An OpenFlow 1.0 action (spec 1.0.0 §5.2.4, `struct ofp_action_*`). Every action is a
    /// multiple of 8 bytes long and its `len` counts its padding.
    ///
    /// Padding inside the fixed-size actions is written as zeros and not kept; vendor and
    /// unknown actions keep their bodies byte for byte.
    public enum Action: Hashable, Sendable, Codable {
        /// `OFPAT_OUTPUT`, `struct ofp_action_output`: `maxLength` is how many bytes of the
        /// packet to send when the port is `OFPP_CONTROLLER` (Open vSwitch writes 0 for other
        /// ports).
        case output(port: UInt16, maxLength: UInt16 = 0)
        /// `OFPAT_SET_VLAN_VID`, `struct ofp_action_vlan_vid`: sets (or adds) the 12-bit VLAN id.
        case setVLANVID(UInt16)
        /// `OFPAT_SET_VLAN_PCP`, `struct ofp_action_vlan_pcp`: sets (or adds) the 3-bit priority.
        case setVLANPCP(UInt8)
        /// `OFPAT_STRIP_VLAN`: removes the 802.1Q header.
        case stripVLAN
        /// `OFPAT_SET_DL_SRC`, `struct ofp_action_dl_addr`.
        case setDLSrc(MACAddress)
        /// `OFPAT_SET_DL_DST`, `struct ofp_action_dl_addr`.
        case setDLDst(MACAddress)
        /// `OFPAT_SET_NW_SRC`, `struct ofp_action_nw_addr`.
        case setNwSrc(IPv4Address)
        /// `OFPAT_SET_NW_DST`, `struct ofp_action_nw_addr`.
        case setNwDst(IPv4Address)
        /// `OFPAT_SET_NW_TOS`, `struct ofp_action_nw_tos`: the DSCP in the upper 6 bits.
        case setNwTOS(UInt8)
        /// `OFPAT_SET_TP_SRC`, `struct ofp_action_tp_port`.
        case setTpSrc(UInt16)
        /// `OFPAT_SET_TP_DST`, `struct ofp_action_tp_port`.
        case setTpDst(UInt16)
        /// `OFPAT_ENQUEUE`, `struct ofp_action_enqueue`: output through a queue of a port.
        case enqueue(port: UInt16, queueID: UInt32)
        /// `OFPAT_VENDOR`, `struct ofp_action_vendor_header`: the bytes after the vendor id,
        /// padding included (Open vSwitch's Nicira actions arrive this way).
        case vendor(id: UInt32, body: ByteBuffer)
        /// An action type this codec does not know: its type and the bytes after `len`.
        case unknown(type: UInt16, body: ByteBuffer)

        /// `enum ofp_action_type`.
        public enum Kind: UInt16, Sendable, CaseIterable {
            case output = 0, setVLANVID = 1, setVLANPCP = 2, stripVLAN = 3, setDLSrc = 4, setDLDst = 5
            case setNwSrc = 6, setNwDst = 7, setNwTOS = 8, setTpSrc = 9, setTpDst = 10, enqueue = 11
            case vendor = 0xFFFF
        }

        /// `enum ofp_action_type` of this action.
        public var type: UInt16 {
            switch self {
            case .output: 0
            case .setVLANVID: 1
            case .setVLANPCP: 2
            case .stripVLAN: 3
            case .setDLSrc: 4
            case .setDLDst: 5
            case .setNwSrc: 6
            case .setNwDst: 7
            case .setNwTOS: 8
            case .setTpSrc: 9
            case .setTpDst: 10
            case .enqueue: 11
            case .vendor: 0xFFFF
            case .unknown(let type, _): type
            }
        }
    }
}

extension OF10.Action: WireListElement {
    public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OF10.Action {
        let tlv = try AlignedTLV(&reader, type: "action.type", length: "action.len", body: "action")
        let type = tlv.type
        var body = tlv.body
        func expect(_ size: Int) throws(OpenFlowError) { try tlv.expect(size) }
        switch type {
        case 0:
            try expect(8)
            let port = try body.readU16("action.port")
            return .output(port: port, maxLength: try body.readU16("action.max_len"))
        case 1: try expect(8); return .setVLANVID(try body.readU16("action.vlan_vid"))
        case 2: try expect(8); return .setVLANPCP(try body.readU8("action.vlan_pcp"))
        case 3: try expect(8); return .stripVLAN
        case 4: try expect(16); return .setDLSrc(try body.readMAC("action.dl_addr"))
        case 5: try expect(16); return .setDLDst(try body.readMAC("action.dl_addr"))
        case 6: try expect(8); return .setNwSrc(try body.readIPv4("action.nw_addr"))
        case 7: try expect(8); return .setNwDst(try body.readIPv4("action.nw_addr"))
        case 8: try expect(8); return .setNwTOS(try body.readU8("action.nw_tos"))
        case 9: try expect(8); return .setTpSrc(try body.readU16("action.tp_port"))
        case 10: try expect(8); return .setTpDst(try body.readU16("action.tp_port"))
        case 11:
            try expect(16)
            let port = try body.readU16("action.port")
            try body.skip(6, "action.pad")
            return .enqueue(port: port, queueID: try body.readU32("action.queue_id"))
        case 0xFFFF:
            let id = try body.readU32("action.vendor")
            return .vendor(id: id, body: body.readRest())
        default:
            return .unknown(type: type, body: body.readRest())
        }
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        buffer.writeInteger(type)
        buffer.writeInteger(UInt16(0))  // len, set below
        switch self {
        case .output(let port, let maxLength):
            buffer.writeInteger(port)
            buffer.writeInteger(maxLength)
        case .setVLANVID(let value), .setTpSrc(let value), .setTpDst(let value):
            buffer.writeInteger(value)
            buffer.writeZeros(2)
        case .setVLANPCP(let value), .setNwTOS(let value):
            buffer.writeInteger(value)
            buffer.writeZeros(3)
        case .stripVLAN:
            buffer.writeZeros(4)
        case .setDLSrc(let mac), .setDLDst(let mac):
            buffer.writeMAC(mac)
            buffer.writeZeros(6)
        case .setNwSrc(let address), .setNwDst(let address):
            buffer.writeInteger(address.rawValue)
        case .enqueue(let port, let queueID):
            buffer.writeInteger(port)
            buffer.writeZeros(6)
            buffer.writeInteger(queueID)
        case .vendor(let id, let body):
            buffer.writeInteger(id)
            buffer.writeImmutableBuffer(body)
        case .unknown(_, let body):
            buffer.writeImmutableBuffer(body)
        }
        let length = buffer.writerIndex - start
        buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 2)
        return length
    }
}

extension OF10.Action: CustomStringConvertible {
    /// The action in `ovs-ofctl` style (`output:2`, `mod_vlan_vid:10`, `CONTROLLER:128`).
    public var description: String {
        switch self {
        case .output(let port, let maxLength):
            let name = OF10.PortNumber.name(port)
            if port == OF10.PortNumber.controller { return "\(name):\(maxLength)" }
            // Reserved ports print by name alone (`FLOOD`, `NORMAL`), as ovs-ofctl does.
            return port > OF10.PortNumber.max && name != String(port) ? name : "output:\(name)"
        case .setVLANVID(let vid): return "mod_vlan_vid:\(vid)"
        case .setVLANPCP(let pcp): return "mod_vlan_pcp:\(pcp)"
        case .stripVLAN: return "strip_vlan"
        case .setDLSrc(let mac): return "mod_dl_src:\(mac)"
        case .setDLDst(let mac): return "mod_dl_dst:\(mac)"
        case .setNwSrc(let address): return "mod_nw_src:\(address)"
        case .setNwDst(let address): return "mod_nw_dst:\(address)"
        case .setNwTOS(let tos): return "mod_nw_tos:\(tos)"
        case .setTpSrc(let port): return "mod_tp_src:\(port)"
        case .setTpDst(let port): return "mod_tp_dst:\(port)"
        case .enqueue(let port, let queueID): return "enqueue:\(OF10.PortNumber.name(port)):\(queueID)"
        case .vendor(let id, let body):
            return "vendor(0x\(String(id, radix: 16)),\(HexBytes.format(body.readableBytesView)))"
        case .unknown(let type, let body):
            return "action(type=\(type),\(HexBytes.format(body.readableBytesView)))"
        }
    }
}
