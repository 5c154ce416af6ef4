import NIOCore
import NetworkAddresses

/// The body of an OSPFv2 Hello packet (RFC 2328 §A.3.2).
///
///    |                        Network Mask                           |
///    |         HelloInterval         |    Options    |    Rtr Pri    |
///    |                     RouterDeadInterval                        |
///    |                      Designated Router                        |
///    |                   Backup Designated Router                    |
///    |                          Neighbor                             |
///    |                              ...                              |
///
/// Hellos establish and keep neighbour adjacencies (§10.5): a receiver checks Network Mask
/// (except on point-to-point links), HelloInterval, RouterDeadInterval and the E bit against
/// its interface, and looks for its own Router ID among the Neighbors to reach 2-Way.
public struct OSPFv2Hello: Hashable, Sendable {
    /// The sending interface's mask; ignored on point-to-point networks.
    public var networkMask: IPv4Address
    /// Seconds between this router's Hellos.
    public var helloInterval: UInt16
    public var options: OSPFv2Options
    /// Rtr Pri; 0 means never become (Backup) Designated Router.
    public var routerPriority: UInt8
    /// Seconds of silence before a neighbour is declared down.
    public var routerDeadInterval: UInt32
    /// The Designated Router's interface address, 0.0.0.0 when there is none.
    public var designatedRouter: IPv4Address
    /// The Backup Designated Router's interface address, 0.0.0.0 when there is none.
    public var backupDesignatedRouter: IPv4Address
    /// Router IDs of the routers whose Hellos were seen within RouterDeadInterval.
    public var neighbors: [IPv4Address]

    /// The body length without neighbours.
    public static let fixedLength = 20

    public init(
        networkMask: IPv4Address, helloInterval: UInt16 = 10, options: OSPFv2Options = .externalRouting,
        routerPriority: UInt8 = 1, routerDeadInterval: UInt32 = 40,
        designatedRouter: IPv4Address = .any, backupDesignatedRouter: IPv4Address = .any,
        neighbors: [IPv4Address] = []
    ) {
        self.networkMask = networkMask
        self.helloInterval = helloInterval
        self.options = options
        self.routerPriority = routerPriority
        self.routerDeadInterval = routerDeadInterval
        self.designatedRouter = designatedRouter
        self.backupDesignatedRouter = backupDesignatedRouter
        self.neighbors = neighbors
    }

    /// Parses a Hello body (`OSPFv2Packet.body`). Its length must be 20 plus a whole number
    /// of 4-byte neighbours.
    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 Hello")
        networkMask = try reader.ipv4(at: 0, "network mask")
        helloInterval = try reader.integer(at: 4, "HelloInterval")
        options = OSPFv2Options(rawValue: try reader.integer(at: 6, "options"))
        routerPriority = try reader.integer(at: 7, "Rtr Pri")
        routerDeadInterval = try reader.integer(at: 8, "RouterDeadInterval")
        designatedRouter = try reader.ipv4(at: 12, "Designated Router")
        backupDesignatedRouter = try reader.ipv4(at: 16, "Backup Designated Router")
        let neighborBytes = reader.count - Self.fixedLength
        guard neighborBytes % 4 == 0 else {
            throw reader.error(.badLength, "neighbor list", at: Self.fixedLength)
        }
        var neighbors: [IPv4Address] = []
        neighbors.reserveCapacity(neighborBytes / 4)
        var offset = Self.fixedLength
        while offset < reader.count {
            neighbors.append(try reader.ipv4(at: offset, "neighbor"))
            offset += 4
        }
        self.neighbors = neighbors
    }

    /// Parses the body of `packet`; `.badValue` if it is not a Hello.
    public init(parsing packet: OSPFv2Packet) throws(PacketError) {
        guard packet.type == .hello else {
            throw PacketError(.badValue, layer: "OSPFv2", field: "type", offset: 1)
        }
        try self.init(parsing: packet.body)
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeIPv4(networkMask)
        written += buffer.writeInteger(helloInterval)
        written += buffer.writeInteger(options.rawValue)
        written += buffer.writeInteger(routerPriority)
        written += buffer.writeInteger(routerDeadInterval)
        written += buffer.writeIPv4(designatedRouter)
        written += buffer.writeIPv4(backupDesignatedRouter)
        for neighbor in neighbors {
            written += buffer.writeIPv4(neighbor)
        }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
