import NIOCore
import NetworkAddresses

/// An IPv4 packet (RFC 791 §3.1): every header field, the raw option bytes, and the payload
/// as a slice.
///
/// **Checksum policy.** The header checksum is not stored: it is a function of the other
/// fields, so storing it would let a value disagree with itself. `write(to:)` always computes
/// it, and `init(parsing:)` verifies it and throws `.badChecksum` when it is wrong, because a
/// corrupted header cannot be trusted for anything, least of all forwarding (RFC 1812
/// §5.2.2). Pass `verifyingChecksum: false` to inspect such packets anyway.
///
/// **Lengths.** The payload ends where Total Length says, so Ethernet padding after a short
/// packet is not part of it; a buffer shorter than Total Length is `.truncated`.
///
/// **Fragments** are parsed like any packet (`flags`, `fragmentOffset`); reassembly is the
/// caller's business. The payload of a fragment is a piece of the upper-layer message.
public struct IPv4Packet: Hashable, Sendable {
    /// The three flag bits of the word at offset 6.
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Bit 0, reserved, must be zero; kept so that a packet round-trips exactly.
        public static let reserved = Flags(rawValue: 0b100)
        /// DF
        public static let dontFragment = Flags(rawValue: 0b010)
        /// MF
        public static let moreFragments = Flags(rawValue: 0b001)
    }

    /// The whole second byte: DSCP (RFC 2474) in the high six bits, ECN (RFC 3168) in the low two.
    public var typeOfService: UInt8
    public var identification: UInt16
    public var flags: Flags
    /// Fragment Offset in units of 8 bytes (13 bits; higher bits are dropped on write).
    public var fragmentOffset: UInt16
    public var timeToLive: UInt8
    public var protocolNumber: IPProtocol
    public var source: IPv4Address
    public var destination: IPv4Address
    /// The option bytes exactly as on the wire, including any End-of-Options padding. On write
    /// they are padded with zero (End of Option List) to a multiple of 4, and cut at 40 bytes,
    /// the most the 4-bit IHL can describe.
    public var options: ByteBuffer
    public var payload: ByteBuffer

    /// The header length without options.
    public static let minimumHeaderLength = 20
    /// The most option bytes a header can hold: (15 - 5) words.
    public static let maximumOptionsLength = 40

    public init(
        typeOfService: UInt8 = 0, identification: UInt16 = 0, flags: Flags = [],
        fragmentOffset: UInt16 = 0, timeToLive: UInt8 = 64, protocolNumber: IPProtocol,
        source: IPv4Address, destination: IPv4Address, options: ByteBuffer = ByteBuffer(),
        payload: ByteBuffer
    ) {
        self.typeOfService = typeOfService
        self.identification = identification
        self.flags = flags
        self.fragmentOffset = fragmentOffset
        self.timeToLive = timeToLive
        self.protocolNumber = protocolNumber
        self.source = source
        self.destination = destination
        self.options = options
        self.payload = payload
    }

    /// Differentiated Services Code Point (RFC 2474 §3), the high six bits of `typeOfService`.
    public var dscp: UInt8 {
        get { typeOfService >> 2 }
        set { typeOfService = (typeOfService & 0b11) | (newValue & 0x3F) << 2 }
    }

    /// Explicit Congestion Notification (RFC 3168 §5), the low two bits of `typeOfService`.
    public var ecn: UInt8 {
        get { typeOfService & 0b11 }
        set { typeOfService = (typeOfService & ~0b11) | (newValue & 0b11) }
    }

    /// Whether this is a piece of a larger datagram (MF set or a nonzero offset).
    public var isFragment: Bool { flags.contains(.moreFragments) || fragmentOffset & 0x1FFF != 0 }

    /// Header length in bytes as written: 20 plus the options padded to a multiple of 4.
    public var headerLength: Int {
        let optionBytes = min(options.readableBytes, Self.maximumOptionsLength)
        return Self.minimumHeaderLength + (optionBytes + 3) / 4 * 4
    }

    /// Total Length as written: header plus payload.
    public var totalLength: Int { headerLength + payload.readableBytes }

    /// Parses a packet whose header starts at the buffer's reader index.
    /// - Parameter verifyingChecksum: when true (the default), a header whose checksum does not
    ///   verify throws `.badChecksum`.
    public init(parsing buffer: ByteBuffer, verifyingChecksum: Bool = true) throws(PacketError) {
        let reader = WireReader(buffer, layer: "IPv4")
        let versionAndIHL: UInt8 = try reader.integer(at: 0, "version")
        guard versionAndIHL >> 4 == 4 else { throw reader.error(.badVersion, "version", at: 0) }
        let headerLength = Int(versionAndIHL & 0x0F) * 4
        guard headerLength >= Self.minimumHeaderLength else {
            throw reader.error(.badLength, "IHL", at: 0)
        }
        let header = try reader.slice(at: 0, length: headerLength, "header")
        let totalLength = Int(try reader.integer(at: 2, as: UInt16.self, "total length"))
        guard totalLength >= headerLength else { throw reader.error(.badLength, "total length", at: 2) }
        guard totalLength <= reader.count else { throw reader.error(.truncated, "total length", at: 2) }

        if verifyingChecksum {
            var checksum = InternetChecksum()
            checksum.add(header)
            guard checksum.verifies else { throw reader.error(.badChecksum, "header checksum", at: 10) }
        }
        typeOfService = try reader.integer(at: 1, "type of service")
        identification = try reader.integer(at: 4, "identification")
        let flagsAndOffset: UInt16 = try reader.integer(at: 6, "flags")
        flags = Flags(rawValue: UInt8(truncatingIfNeeded: flagsAndOffset >> 13))
        fragmentOffset = flagsAndOffset & 0x1FFF
        timeToLive = try reader.integer(at: 8, "time to live")
        protocolNumber = IPProtocol(rawValue: try reader.integer(at: 9, "protocol"))
        source = try reader.ipv4(at: 12, "source address")
        destination = try reader.ipv4(at: 16, "destination address")
        options = try reader.slice(
            at: Self.minimumHeaderLength, length: headerLength - Self.minimumHeaderLength, "options")
        payload = try reader.slice(at: headerLength, length: totalLength - headerLength, "payload")
    }

    /// Writes header (with a freshly computed checksum) and payload; returns the bytes written.
    ///
    /// Total Length is written modulo 2^16: a payload over 65 515 bytes makes a broken packet,
    /// so fragment before that.
    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        let headerLength = self.headerLength
        var written = buffer.writeInteger(UInt8(0x40 | headerLength / 4))
        written += buffer.writeInteger(typeOfService)
        written += buffer.writeInteger(UInt16(truncatingIfNeeded: totalLength))
        written += buffer.writeInteger(identification)
        written += buffer.writeInteger(UInt16(flags.rawValue & 0b111) << 13 | fragmentOffset & 0x1FFF)
        written += buffer.writeInteger(timeToLive)
        written += buffer.writeInteger(protocolNumber.rawValue)
        written += buffer.writeInteger(UInt16(0))  // checksum, filled in below
        written += buffer.writeIPv4(source)
        written += buffer.writeIPv4(destination)
        let optionBytes = min(options.readableBytes, Self.maximumOptionsLength)
        if let kept = options.getSlice(at: options.readerIndex, length: optionBytes) {
            written += buffer.writeImmutableBuffer(kept)
        }
        written += buffer.writeRepeatingByte(0, count: headerLength - written)
        if let header = buffer.getSlice(at: start, length: headerLength) {
            buffer.setInteger(InternetChecksum.of(header), at: start + 10)
        }
        written += buffer.writeImmutableBuffer(payload)
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
