import NIOCore

/// The header fields of one Ethernet frame that flowspaces are defined over, read straight
/// from its bytes (spec 1.3.5 §7.2.3.7 for what each OXM field means of a packet).
///
/// `vlan_vid` follows OXM: `OFPVID_PRESENT | id` for a tagged frame, `OFPVID_NONE` (0) for an
/// untagged one. Fields of a protocol the frame does not carry are nil, so no region that
/// constrains them admits the frame.
public struct PacketFields: Hashable, Sendable {
    public var ethType: UInt16?
    public var vlanVid: UInt16
    public var ipv4Source: UInt32?
    public var ipv4Destination: UInt32?
    public var arpSender: UInt32?
    public var arpTarget: UInt32?

    public init(
        ethType: UInt16?, vlanVid: UInt16 = 0, ipv4Source: UInt32? = nil, ipv4Destination: UInt32? = nil,
        arpSender: UInt32? = nil, arpTarget: UInt32? = nil
    ) {
        self.ethType = ethType
        self.vlanVid = vlanVid
        self.ipv4Source = ipv4Source
        self.ipv4Destination = ipv4Destination
        self.arpSender = arpSender
        self.arpTarget = arpTarget
    }

    /// Reads `frame` (a PACKET_IN's or PACKET_OUT's data); nil if it is shorter than an
    /// Ethernet header. A truncated IPv4 or ARP header leaves those fields nil.
    public init?(frame: ByteBuffer) {
        let start = frame.readerIndex
        guard let outer = frame.getInteger(at: start + 12, as: UInt16.self) else { return nil }
        var typeOffset = 12
        var vlanVid: UInt16 = 0
        var type = outer
        if outer == 0x8100 || outer == 0x88A8 {
            guard let tci = frame.getInteger(at: start + 14, as: UInt16.self),
                let inner = frame.getInteger(at: start + 16, as: UInt16.self)
            else { return nil }
            vlanVid = 0x1000 | (tci & 0x0FFF)
            typeOffset = 16
            type = inner
        }
        let l3 = start + typeOffset + 2
        self.init(ethType: type, vlanVid: vlanVid)
        switch type {
        case 0x0800:
            ipv4Source = frame.getInteger(at: l3 + 12, as: UInt32.self)
            ipv4Destination = frame.getInteger(at: l3 + 16, as: UInt32.self)
        case 0x0806:
            arpSender = frame.getInteger(at: l3 + 14, as: UInt32.self)
            arpTarget = frame.getInteger(at: l3 + 24, as: UInt32.self)
        default:
            break
        }
    }

    public func value(of field: FlowspaceRegion.Field) -> UInt32? {
        switch field {
        case .ethType: ethType.map(UInt32.init)
        case .vlanVid: UInt32(vlanVid)
        case .ipv4Src: ipv4Source
        case .ipv4Dst: ipv4Destination
        case .arpSpa: arpSender
        case .arpTpa: arpTarget
        }
    }
}
