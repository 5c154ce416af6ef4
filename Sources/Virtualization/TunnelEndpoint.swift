import NIOCore
import NetworkAddresses
import Packets

/// One end of a tunnel between two nodes' data planes, carrying a virtual router's frames
/// (the control packets buffered for a migrating VM, and those that keep arriving at its old
/// node) to the other end, in order.
///
/// A frame is carried in UDP over IPv4 (destination port ``udpPort``) with a header naming the
/// router and virtual interface and a sequence number:
///
/// ```
/// 0      4          8            10              12
/// | "VNMT" | sequence | interface | name length | router name ... | inner Ethernet frame ...
/// ```
///
/// The receiving end hands frames on in sequence order: a frame that arrives early waits for
/// the ones before it; a duplicate or old frame is dropped.
public struct TunnelEndpoint: Sendable {
    /// vnm's tunnel port (unassigned by IANA).
    public static let udpPort: UInt16 = 7892
    static let magic: UInt32 = 0x564E_4D54  // "VNMT"

    public struct Configuration: Hashable, Sendable {
        public var id: TunnelID
        public var localAddress: IPv4Address
        public var localMAC: MACAddress
        public var remoteAddress: IPv4Address
        /// The MAC of the next hop towards the remote end (the remote node itself on a direct link).
        public var remoteMAC: MACAddress
        /// The physical interface the encapsulated frames leave by.
        public var port: UInt32

        public init(
            id: TunnelID, localAddress: IPv4Address, localMAC: MACAddress, remoteAddress: IPv4Address,
            remoteMAC: MACAddress, port: UInt32
        ) {
            self.id = id
            self.localAddress = localAddress
            self.localMAC = localMAC
            self.remoteAddress = remoteAddress
            self.remoteMAC = remoteMAC
            self.port = port
        }
    }

    /// A frame taken out of the tunnel.
    public struct Inner: Hashable, Sendable {
        public var router: VirtualRouterID
        public var interface: Int
        public var sequence: UInt32
        public var frame: ByteBuffer
    }

    public let configuration: Configuration
    public private(set) var nextSendSequence: UInt32 = 0
    public private(set) var nextExpectedSequence: UInt32 = 0
    private var early: [UInt32: Inner] = [:]
    public private(set) var sent = 0
    public private(set) var received = 0
    public private(set) var duplicates = 0

    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Frames that arrived ahead of a missing one.
    public var waiting: Int { early.count }

    /// Wraps `frame` for `router`'s interface `interface`: a frame to send out of the tunnel's port.
    public mutating func encapsulate(_ frame: ByteBuffer, router: VirtualRouterID, interface: Int) -> ByteBuffer {
        var header = ByteBuffer()
        let name = Array(router.name.utf8)
        header.writeInteger(Self.magic)
        header.writeInteger(nextSendSequence)
        header.writeInteger(UInt16(truncatingIfNeeded: interface))
        header.writeInteger(UInt16(name.count))
        header.writeBytes(name)
        header.writeImmutableBuffer(frame)
        nextSendSequence &+= 1
        sent += 1
        let c = configuration
        let udp = UDPDatagram(sourcePort: Self.udpPort, destinationPort: Self.udpPort, payload: header)
        let ip = IPv4Packet(source: c.localAddress, destination: c.remoteAddress, udp: udp)
        return EthernetFrame(destination: c.remoteMAC, source: c.localMAC, etherType: .ipv4, payload: ip.encoded())
            .encoded()
    }

    /// Whether `packet` is this tunnel's traffic from the other end.
    public func claims(_ packet: IPv4Packet) -> Bool {
        packet.protocolNumber == .udp && packet.source == configuration.remoteAddress
            && packet.destination == configuration.localAddress
    }

    /// Unwraps a packet this tunnel ``claims(_:)``: the frames now deliverable, in sequence order.
    public mutating func decapsulate(_ packet: IPv4Packet) throws(PacketError) -> [Inner] {
        let udp = try UDPDatagram(parsing: packet)
        guard udp.destinationPort == Self.udpPort else {
            throw PacketError(.badValue, layer: "vnm tunnel", field: "UDP destination port", offset: 2)
        }
        let inner = try Self.parse(udp.payload)
        received += 1
        if inner.sequence &- nextExpectedSequence >= 0x8000_0000 || early[inner.sequence] != nil {
            duplicates += 1
            return []
        }
        early[inner.sequence] = inner
        var ready: [Inner] = []
        while let next = early.removeValue(forKey: nextExpectedSequence) {
            ready.append(next)
            nextExpectedSequence &+= 1
        }
        return ready
    }

    static func parse(_ payload: ByteBuffer) throws(PacketError) -> Inner {
        func fail(_ kind: PacketError.Kind, _ field: String, _ offset: Int) -> PacketError {
            PacketError(kind, layer: "vnm tunnel", field: field, offset: offset)
        }
        let start = payload.readerIndex
        guard let magic = payload.getInteger(at: start, as: UInt32.self) else { throw fail(.truncated, "magic", 0) }
        guard magic == Self.magic else { throw fail(.badValue, "magic", 0) }
        guard let sequence = payload.getInteger(at: start + 4, as: UInt32.self),
            let interface = payload.getInteger(at: start + 8, as: UInt16.self),
            let nameLength = payload.getInteger(at: start + 10, as: UInt16.self)
        else { throw fail(.truncated, "header", 4) }
        guard let name = payload.getString(at: start + 12, length: Int(nameLength)) else {
            throw fail(.truncated, "router name", 12)
        }
        let innerStart = 12 + Int(nameLength)
        guard let frame = payload.getSlice(at: start + innerStart, length: payload.readableBytes - innerStart) else {
            throw fail(.truncated, "inner frame", innerStart)
        }
        return Inner(router: VirtualRouterID(name), interface: Int(interface), sequence: sequence, frame: frame)
    }
}
