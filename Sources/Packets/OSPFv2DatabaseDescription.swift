import NIOCore
import NetworkAddresses

/// The body of a Database Description packet (RFC 2328 §A.3.3).
///
///    |         Interface MTU         |    Options    |0|0|0|0|0|I|M|MS
///    |                     DD sequence number                        |
///    |                         LSA headers ...                       |
public struct OSPFv2DatabaseDescription: Hashable, Sendable {
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// MS: the sender is the master.
        public static let master = Flags(rawValue: 0x01)
        /// M: more Database Description packets follow.
        public static let more = Flags(rawValue: 0x02)
        /// I: the first packet of the sequence.
        public static let initial = Flags(rawValue: 0x04)
    }

    /// The largest IP datagram the sending interface can send unfragmented.
    public var interfaceMTU: UInt16
    public var options: OSPFv2Options
    public var flags: Flags
    public var sequenceNumber: UInt32
    public var lsaHeaders: [OSPFv2LSAHeader]

    public static let fixedLength = 8

    public init(
        interfaceMTU: UInt16, options: OSPFv2Options = .externalRouting, flags: Flags, sequenceNumber: UInt32,
        lsaHeaders: [OSPFv2LSAHeader] = []
    ) {
        self.interfaceMTU = interfaceMTU
        self.options = options
        self.flags = flags
        self.sequenceNumber = sequenceNumber
        self.lsaHeaders = lsaHeaders
    }

    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 Database Description")
        interfaceMTU = try reader.integer(at: 0, "Interface MTU")
        options = OSPFv2Options(rawValue: try reader.integer(at: 2, "options"))
        flags = Flags(rawValue: try reader.integer(at: 3, "flags"))
        sequenceNumber = try reader.integer(at: 4, "DD sequence number")
        lsaHeaders = try OSPFv2LSAHeader.parseList(buffer, layer: "OSPFv2 Database Description", from: Self.fixedLength)
    }

    /// Parses the body of `packet`; `.badValue` if it is not a Database Description packet.
    public init(parsing packet: OSPFv2Packet) throws(PacketError) {
        guard packet.type == .databaseDescription else {
            throw PacketError(.badValue, layer: "OSPFv2", field: "type", offset: 1)
        }
        try self.init(parsing: packet.body)
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeInteger(interfaceMTU)
        written += buffer.writeInteger(options.rawValue)
        written += buffer.writeInteger(flags.rawValue)
        written += buffer.writeInteger(sequenceNumber)
        for header in lsaHeaders { written += header.write(to: &buffer) }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
