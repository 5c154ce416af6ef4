import NIOCore
import NetworkAddresses

/// An LLDP data unit (IEEE 802.1AB-2016 §8): the mandatory Chassis ID, Port ID and Time To
/// Live TLVs, then any optional TLVs, then End of LLDPDU.
///
/// vnm's topology discovery needs the three mandatory TLVs; every other TLV (port
/// description, system name, organizationally specific, ...) is kept in `optionalTLVs` as
/// type and value bytes, in order, and written back byte for byte, so a relayed LLDPDU is
/// unchanged.
///
/// Parsing follows §9.2.7.7.1: the first three TLVs must be Chassis ID, Port ID and TTL, in
/// that order and once each (a second one is `.badValue`). Parsing stops at the End TLV;
/// bytes after it (Ethernet padding) are ignored. A buffer that ends on a TLV boundary
/// without an End TLV is accepted, as it is by Wireshark; `write(to:)` always writes one.
public struct LLDPDU: Hashable, Sendable {
    public var chassisID: ChassisID
    public var portID: PortID
    /// Seconds the receiver may keep this information; 0 means "delete it now" (§8.5.4).
    public var timeToLive: UInt16
    /// The TLVs between Time To Live and End of LLDPDU, in wire order.
    public var optionalTLVs: [TLV]

    /// LLDP's EtherType (§8.2).
    public static let etherType = EtherType.lldp
    /// The Nearest Bridge group address 01-80-C2-00-00-0E (§7.1, Table 7-1), which no
    /// 802.1D bridge forwards, so an LLDPDU only ever crosses one link.
    public static let nearestBridgeAddress = MACAddress(0x01, 0x80, 0xC2, 0x00, 0x00, 0x0E)

    public init(chassisID: ChassisID, portID: PortID, timeToLive: UInt16, optionalTLVs: [TLV] = []) {
        self.chassisID = chassisID
        self.portID = portID
        self.timeToLive = timeToLive
        self.optionalTLVs = optionalTLVs
    }

    /// Parses an LLDPDU at the start of `buffer` (an Ethernet payload with EtherType 0x88CC).
    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "LLDP")
        var offset = 0
        var mandatory: [(type: TLVType, value: ByteBuffer)] = []
        var optional: [TLV] = []
        while offset < reader.count {
            let header: UInt16 = try reader.integer(at: offset, "TLV header")
            let type = TLVType(rawValue: UInt8(truncatingIfNeeded: header >> 9))
            let length = Int(header & 0x1FF)
            let value = try reader.slice(at: offset + 2, length: length, "TLV \(type.rawValue) value")
            let expected: [TLVType] = [.chassisID, .portID, .timeToLive]
            if mandatory.count < expected.count {
                guard type == expected[mandatory.count] else {
                    throw reader.error(.badValue, "TLV type (expected \(expected[mandatory.count]))", at: offset)
                }
                let lengthOK =
                    type == .timeToLive ? length == 2 : (2...256).contains(length)
                guard lengthOK else { throw reader.error(.badLength, "\(type) TLV length", at: offset) }
                mandatory.append((type, value))
            } else if type == .end {
                guard length == 0 else { throw reader.error(.badLength, "End of LLDPDU TLV length", at: offset) }
                break
            } else if expected.contains(type) {
                throw reader.error(.badValue, "TLV type (duplicate \(type))", at: offset)
            } else {
                optional.append(TLV(type: type, value: value))
            }
            offset += 2 + length
        }
        guard mandatory.count == 3 else {
            throw reader.error(.truncated, "\([TLVType.chassisID, .portID, .timeToLive][mandatory.count]) TLV", at: offset)
        }
        let chassis = mandatory[0].value
        let port = mandatory[1].value
        chassisID = ChassisID(
            subtype: ChassisID.Subtype(rawValue: try WireReader(chassis, layer: "LLDP").integer(at: 0, "Chassis ID subtype")),
            id: try WireReader(chassis, layer: "LLDP").rest(from: 1, "Chassis ID"))
        portID = PortID(
            subtype: PortID.Subtype(rawValue: try WireReader(port, layer: "LLDP").integer(at: 0, "Port ID subtype")),
            id: try WireReader(port, layer: "LLDP").rest(from: 1, "Port ID"))
        timeToLive = try WireReader(mandatory[2].value, layer: "LLDP").integer(at: 0, "Time To Live")
        optionalTLVs = optional
    }

    /// Writes all TLVs and an End TLV; returns the bytes written.
    ///
    /// A TLV's length field has 9 bits, so values longer than 511 bytes are cut there (and
    /// IDs longer than 255 bytes break §8.5.2.3); keep values within the standard's limits.
    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = Self.writeTLV(.chassisID, subtype: chassisID.subtype.rawValue, value: chassisID.id, to: &buffer)
        written += Self.writeTLV(.portID, subtype: portID.subtype.rawValue, value: portID.id, to: &buffer)
        var ttl = ByteBuffer()
        ttl.writeInteger(timeToLive)
        written += Self.writeTLV(.timeToLive, subtype: nil, value: ttl, to: &buffer)
        for tlv in optionalTLVs {
            written += Self.writeTLV(tlv.type, subtype: nil, value: tlv.value, to: &buffer)
        }
        written += Self.writeTLV(.end, subtype: nil, value: ByteBuffer(), to: &buffer)
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }

    /// This LLDPDU in an Ethernet frame to the Nearest Bridge address.
    public func frame(source: MACAddress) -> EthernetFrame {
        EthernetFrame(destination: Self.nearestBridgeAddress, source: source, etherType: .lldp, payload: encoded())
    }

    /// TLV header (§8.4.1): 7-bit type, 9-bit length of what follows.
    private static func writeTLV(_ type: TLVType, subtype: UInt8?, value: ByteBuffer, to buffer: inout ByteBuffer) -> Int {
        let prefix = subtype == nil ? 0 : 1
        let valueLength = min(value.readableBytes, 0x1FF - prefix)
        let header = UInt16(type.rawValue & 0x7F) << 9 | UInt16(prefix + valueLength)
        var written = buffer.writeInteger(header)
        if let subtype { written += buffer.writeInteger(subtype) }
        if let kept = value.getSlice(at: value.readerIndex, length: valueLength) {
            written += buffer.writeImmutableBuffer(kept)
        }
        return written
    }
}
