import NIOCore
import NetworkAddresses

/// An OSPFv2 packet: the common 24-byte header of RFC 2328 §A.3.1 and the type-specific
/// body as a slice.
///
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |   Version #   |     Type      |         Packet length         |
///    |                          Router ID                            |
///    |                           Area ID                             |
///    |           Checksum            |             AuType            |
///    |                       Authentication                          |
///    |                       Authentication                          |
///
/// OSPF runs directly over IPv4 (protocol 89, §A.1); pass `IPv4Packet.payload` to
/// `init(parsing:)`.
///
/// **Checksum.** Not stored, like the other checksums in this module. With null or simple
/// password authentication it is the Internet checksum of the whole packet except the 64-bit
/// Authentication field (§A.3.1, §D.4.1, §D.4.2): computed on write, verified on parse
/// (`.badChecksum`). With cryptographic authentication the checksum is not calculated
/// (§D.4.3) and is written as zero, and not verified; the message digest is not checked here.
///
/// **Trailer.** Packet Length covers header and body only. Bytes after it in the buffer
/// (the message digest of cryptographic authentication, §D.4.3, or an RFC 5613 LLS block)
/// are kept in `trailer` and written back after the body.
public struct OSPFv2Packet: Hashable, Sendable {
    /// The Type field (§A.3.1).
    public enum PacketType: UInt8, Hashable, Sendable {
        case hello = 1
        case databaseDescription = 2
        case linkStateRequest = 3
        case linkStateUpdate = 4
        case linkStateAcknowledgment = 5
    }

    /// AuType (§D.3). A struct so that unknown types survive a parse and re-build.
    public struct AuthenticationType: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// §D.4.1: the Authentication field is not examined.
        public static let null = AuthenticationType(rawValue: 0)
        /// §D.4.2: a clear 64-bit password.
        public static let simplePassword = AuthenticationType(rawValue: 1)
        /// §D.4.3: a keyed message digest after the packet.
        public static let cryptographic = AuthenticationType(rawValue: 2)
    }

    /// The Authentication field as it is used with cryptographic authentication (§D.4.3):
    /// zero (16 bits), Key ID, Auth Data Len, Cryptographic sequence number.
    public struct CryptographicAuthentication: Hashable, Sendable {
        public var keyID: UInt8
        /// Length of the message digest in the trailer.
        public var authDataLength: UInt8
        public var sequenceNumber: UInt32

        public init(keyID: UInt8, authDataLength: UInt8, sequenceNumber: UInt32) {
            self.keyID = keyID
            self.authDataLength = authDataLength
            self.sequenceNumber = sequenceNumber
        }

        /// The 64-bit Authentication field holding these values.
        public var field: UInt64 {
            UInt64(keyID) << 40 | UInt64(authDataLength) << 32 | UInt64(sequenceNumber)
        }
    }

    public var type: PacketType
    /// The originating router's Router ID.
    public var routerID: IPv4Address
    /// The area of the interface the packet is sent on (0.0.0.0 is the backbone).
    public var areaID: IPv4Address
    public var authenticationType: AuthenticationType
    /// The 64-bit Authentication field exactly as on the wire (big-endian).
    public var authentication: UInt64
    /// The packet after the 24-byte header, up to Packet Length.
    public var body: ByteBuffer
    /// Bytes after Packet Length (see the type's documentation); usually empty.
    public var trailer: ByteBuffer

    public static let version: UInt8 = 2
    public static let headerLength = 24
    /// AllSPFRouters (§A.1): every OSPF router on the link.
    public static let allSPFRouters = IPv4Address(224, 0, 0, 5)
    /// AllDRouters (§A.1): the Designated Router and Backup Designated Router.
    public static let allDRouters = IPv4Address(224, 0, 0, 6)

    public init(
        type: PacketType, routerID: IPv4Address, areaID: IPv4Address,
        authenticationType: AuthenticationType = .null, authentication: UInt64 = 0,
        body: ByteBuffer, trailer: ByteBuffer = ByteBuffer()
    ) {
        self.type = type
        self.routerID = routerID
        self.areaID = areaID
        self.authenticationType = authenticationType
        self.authentication = authentication
        self.body = body
        self.trailer = trailer
    }

    /// A Hello packet carrying `hello` as its body.
    public init(
        hello: OSPFv2Hello, routerID: IPv4Address, areaID: IPv4Address,
        authenticationType: AuthenticationType = .null, authentication: UInt64 = 0
    ) {
        self.init(
            type: .hello, routerID: routerID, areaID: areaID, authenticationType: authenticationType,
            authentication: authentication, body: hello.encoded())
    }

    /// The Authentication field for a simple password (§D.4.2): its first 8 UTF-8 bytes,
    /// zero-padded.
    public static func simplePassword(_ password: String) -> UInt64 {
        var field: UInt64 = 0
        var count = 0
        for byte in password.utf8.prefix(8) {
            field = field << 8 | UInt64(byte)
            count += 1
        }
        return field << (8 * UInt64(8 - count))
    }

    /// The Authentication field read as cryptographic authentication data, when AuType says so.
    public var cryptographicAuthentication: CryptographicAuthentication? {
        guard authenticationType == .cryptographic else { return nil }
        return CryptographicAuthentication(
            keyID: UInt8(truncatingIfNeeded: authentication >> 40),
            authDataLength: UInt8(truncatingIfNeeded: authentication >> 32),
            sequenceNumber: UInt32(truncatingIfNeeded: authentication))
    }

    /// Packet Length as written: header plus body.
    public var packetLength: Int { Self.headerLength + body.readableBytes }

    /// Parses a packet at the start of `buffer` (an IPv4 payload with protocol 89).
    /// - Parameter verifyingChecksum: verify the checksum (unless AuType is cryptographic).
    public init(parsing buffer: ByteBuffer, verifyingChecksum: Bool = true) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2")
        guard try reader.integer(at: 0, as: UInt8.self, "version") == Self.version else {
            throw reader.error(.badVersion, "version", at: 0)
        }
        guard let type = PacketType(rawValue: try reader.integer(at: 1, "type")) else {
            throw reader.error(.badValue, "type", at: 1)
        }
        self.type = type
        let length = Int(try reader.integer(at: 2, as: UInt16.self, "packet length"))
        routerID = try reader.ipv4(at: 4, "router ID")
        areaID = try reader.ipv4(at: 8, "area ID")
        authenticationType = AuthenticationType(rawValue: try reader.integer(at: 14, "AuType"))
        authentication = try reader.integer(at: 16, "authentication")
        guard length >= Self.headerLength else { throw reader.error(.badLength, "packet length", at: 2) }
        guard length <= reader.count else { throw reader.error(.truncated, "packet length", at: 2) }
        body = try reader.slice(at: Self.headerLength, length: length - Self.headerLength, "body")
        trailer = try reader.rest(from: length, "trailer")
        if verifyingChecksum, authenticationType != .cryptographic {
            var checksum = InternetChecksum()
            checksum.add(try reader.slice(at: 0, length: 16, "header"))
            checksum.add(body)
            guard checksum.verifies else { throw reader.error(.badChecksum, "checksum", at: 12) }
        }
    }

    /// Writes header, body and trailer; returns the bytes written.
    ///
    /// Packet Length is written modulo 2^16; OSPF packets are far smaller (§A.1 keeps them
    /// within the IP MTU).
    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let length = UInt16(truncatingIfNeeded: packetLength)
        var checksum: UInt16 = 0
        if authenticationType != .cryptographic {
            var sum = InternetChecksum()
            sum.add(UInt16(Self.version) << 8 | UInt16(type.rawValue))
            sum.add(length)
            sum.add(routerID.rawValue)
            sum.add(areaID.rawValue)
            sum.add(authenticationType.rawValue)  // the checksum field itself counts as zero
            sum.add(body)
            checksum = sum.value
        }
        var written = buffer.writeInteger(Self.version)
        written += buffer.writeInteger(type.rawValue)
        written += buffer.writeInteger(length)
        written += buffer.writeIPv4(routerID)
        written += buffer.writeIPv4(areaID)
        written += buffer.writeInteger(checksum)
        written += buffer.writeInteger(authenticationType.rawValue)
        written += buffer.writeInteger(authentication)
        written += buffer.writeImmutableBuffer(body)
        written += buffer.writeImmutableBuffer(trailer)
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
