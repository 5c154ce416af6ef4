import NIOCore
import NetworkAddresses

/// An Ethernet II frame (IEEE 802.3 clause 3.2), optionally carrying one IEEE 802.1Q tag.
///
/// As frames arrive from a socket, tap or OpenFlow packet-in: no preamble and no frame check
/// sequence. The payload is a slice of the parsed buffer, and it includes any padding a
/// sender added to reach the 60-byte minimum, because Ethernet itself does not say where the
/// payload ends; the next layer does (IPv4's total length, ARP's fixed size, LLDP's End TLV).
///
/// Only one tag is decoded; a frame whose EtherType after the tag is another TPID (QinQ,
/// 0x88A8 or 0x8100) keeps that inner tag in its payload.
public struct EthernetFrame: Hashable, Sendable {
    public var destination: MACAddress
    public var source: MACAddress
    /// The 802.1Q tag, when the frame has one (TPID 0x8100 after the source address).
    public var vlan: VLANTag?
    /// What the payload is: the EtherType after the tag, if any.
    public var etherType: EtherType
    public var payload: ByteBuffer

    /// The shortest frame 802.3 allows, without the 4-byte FCS (802.3 clause 4.4.2: 64 bytes).
    public static let minimumLength = 60

    public init(
        destination: MACAddress, source: MACAddress, vlan: VLANTag? = nil, etherType: EtherType,
        payload: ByteBuffer
    ) {
        self.destination = destination
        self.source = source
        self.vlan = vlan
        self.etherType = etherType
        self.payload = payload
    }

    /// Parses a frame; the payload is everything after the EtherType, padding included.
    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "Ethernet")
        destination = try reader.mac(at: 0, "destination")
        source = try reader.mac(at: 6, "source")
        let typeOrTPID: UInt16 = try reader.integer(at: 12, "EtherType")
        var headerLength = 14
        if typeOrTPID == EtherType.vlan.rawValue {
            let tagReader = WireReader(buffer, layer: "802.1Q")
            vlan = VLANTag(tci: try tagReader.integer(at: 14, "TCI"))
            etherType = EtherType(rawValue: try tagReader.integer(at: 16, "EtherType"))
            headerLength = 18
        } else {
            vlan = nil
            etherType = EtherType(rawValue: typeOrTPID)
        }
        payload = try reader.rest(from: headerLength, "payload")
    }

    /// How `write(to:padding:)` treats frames shorter than `minimumLength`.
    public enum Padding: Hashable, Sendable {
        /// Write exactly the header and payload. The default: frames handed to a kernel
        /// socket, a tap or an OpenFlow packet-out are padded by whoever transmits them, and
        /// unpadded bytes keep parse-then-write identical.
        case none
        /// Append zero bytes up to `minimumLength` (60), as a NIC would on the wire.
        case minimumLength
    }

    /// Writes the frame; returns the number of bytes written.
    @discardableResult
    public func write(to buffer: inout ByteBuffer, padding: Padding = .none) -> Int {
        var written = buffer.writeMAC(destination)
        written += buffer.writeMAC(source)
        if let vlan {
            written += buffer.writeInteger(EtherType.vlan.rawValue)
            written += buffer.writeInteger(vlan.tci)
        }
        written += buffer.writeInteger(etherType.rawValue)
        written += buffer.writeImmutableBuffer(payload)
        if padding == .minimumLength, written < Self.minimumLength {
            written += buffer.writeRepeatingByte(0, count: Self.minimumLength - written)
        }
        return written
    }

    /// The frame as a new buffer.
    public func encoded(padding: Padding = .none) -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer, padding: padding)
        return buffer
    }
}
