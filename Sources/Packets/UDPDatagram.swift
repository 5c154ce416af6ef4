import NIOCore
import NetworkAddresses

/// A UDP datagram (RFC 768) carried in IPv4.
///
/// The checksum covers the IPv4 pseudo-header (source, destination, protocol 17, UDP length)
/// as well as the datagram, so parsing and writing take the two addresses. It is not stored:
/// `checksummed` says whether there is one. A wire checksum of zero means the sender did not
/// compute one (RFC 768; Linux's `SO_NO_CHECK`), so it is not verified; any other checksum is
/// verified and a mismatch throws `.badChecksum`. A computed checksum that comes out as zero
/// is sent as 0xFFFF, its one's complement equivalent, as RFC 768 requires.
public struct UDPDatagram: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Whether the datagram carries a checksum (written computed) or zero (none).
    public var checksummed: Bool
    public var payload: ByteBuffer

    public static let headerLength = 8

    public init(sourcePort: UInt16, destinationPort: UInt16, checksummed: Bool = true, payload: ByteBuffer) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.checksummed = checksummed
        self.payload = payload
    }

    /// Length as written: header plus payload.
    public var length: Int { Self.headerLength + payload.readableBytes }

    /// Parses a datagram from `buffer`, verifying a nonzero checksum against the
    /// pseudo-header made of `source` and `destination`.
    ///
    /// The datagram ends where its Length field says; bytes after that are ignored.
    public init(
        parsing buffer: ByteBuffer, source: IPv4Address, destination: IPv4Address,
        verifyingChecksum: Bool = true
    ) throws(PacketError) {
        let reader = WireReader(buffer, layer: "UDP")
        sourcePort = try reader.integer(at: 0, "source port")
        destinationPort = try reader.integer(at: 2, "destination port")
        let length: UInt16 = try reader.integer(at: 4, "length")
        let wireChecksum: UInt16 = try reader.integer(at: 6, "checksum")
        guard Int(length) >= Self.headerLength else { throw reader.error(.badLength, "length", at: 4) }
        let datagram = try reader.slice(at: 0, length: Int(length), "length")
        payload = try reader.slice(at: Self.headerLength, length: Int(length) - Self.headerLength, "data")
        checksummed = wireChecksum != 0
        if checksummed, verifyingChecksum {
            var checksum = InternetChecksum()
            checksum.addPseudoHeader(source: source, destination: destination, protocolNumber: .udp, length: length)
            checksum.add(datagram)
            guard checksum.verifies else { throw reader.error(.badChecksum, "checksum", at: 6) }
        }
    }

    /// Parses the datagram in an IPv4 packet's payload, with the packet's addresses.
    ///
    /// Throws `.badValue` if the packet's protocol is not UDP, or if it is a fragment: a
    /// fragment holds only part of the datagram, so reassemble first.
    public init(parsing packet: IPv4Packet, verifyingChecksum: Bool = true) throws(PacketError) {
        guard packet.protocolNumber == .udp else {
            throw PacketError(.badValue, layer: "IPv4", field: "protocol", offset: 9)
        }
        guard !packet.isFragment else {
            throw PacketError(.badValue, layer: "IPv4", field: "flags (fragment)", offset: 6)
        }
        try self.init(
            parsing: packet.payload, source: packet.source, destination: packet.destination,
            verifyingChecksum: verifyingChecksum)
    }

    /// Writes the datagram with its checksum over the pseudo-header of `source` and
    /// `destination` (or zero when not `checksummed`); returns the bytes written.
    ///
    /// Length is written modulo 2^16; keep payloads within 65 507 bytes.
    @discardableResult
    public func write(to buffer: inout ByteBuffer, source: IPv4Address, destination: IPv4Address) -> Int {
        let length = UInt16(truncatingIfNeeded: self.length)
        var wireChecksum: UInt16 = 0
        if checksummed {
            var checksum = InternetChecksum()
            checksum.addPseudoHeader(source: source, destination: destination, protocolNumber: .udp, length: length)
            checksum.add(sourcePort)
            checksum.add(destinationPort)
            checksum.add(length)
            checksum.add(payload)
            wireChecksum = checksum.value == 0 ? 0xFFFF : checksum.value
        }
        var written = buffer.writeInteger(sourcePort)
        written += buffer.writeInteger(destinationPort)
        written += buffer.writeInteger(length)
        written += buffer.writeInteger(wireChecksum)
        written += buffer.writeImmutableBuffer(payload)
        return written
    }

    public func encoded(source: IPv4Address, destination: IPv4Address) -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer, source: source, destination: destination)
        return buffer
    }
}

extension IPv4Packet {
    /// An IPv4 packet carrying `udp`, with its checksum over this packet's addresses.
    public init(
        source: IPv4Address, destination: IPv4Address, udp: UDPDatagram, typeOfService: UInt8 = 0,
        identification: UInt16 = 0, flags: Flags = [], timeToLive: UInt8 = 64
    ) {
        self.init(
            typeOfService: typeOfService, identification: identification, flags: flags, timeToLive: timeToLive,
            protocolNumber: .udp, source: source, destination: destination,
            payload: udp.encoded(source: source, destination: destination))
    }
}
