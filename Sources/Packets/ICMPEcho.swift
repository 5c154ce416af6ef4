import NIOCore

/// An ICMP Echo or Echo Reply message (RFC 792, "Echo or Echo Reply Message").
///
/// Like `IPv4Packet`, the checksum is not stored: `write(to:)` computes it over the whole
/// message and `init(parsing:)` verifies it (`.badChecksum`), unless `verifyingChecksum` is
/// false, which is needed for the first fragment of a fragmented echo: its checksum covers
/// bytes that are in later fragments.
///
/// Other ICMP types are rejected with `.badValue` at offset 0.
public struct ICMPEcho: Hashable, Sendable {
    /// The ICMP Type, which for echo says which direction.
    public enum Kind: UInt8, Hashable, Sendable {
        case reply = 0
        case request = 8
    }

    public var kind: Kind
    /// Code: always 0 in RFC 792, kept so that parse-then-write is exact.
    public var code: UInt8
    /// Identifier: Linux ping sockets put the socket's "port" here.
    public var identifier: UInt16
    public var sequenceNumber: UInt16
    /// The data, echoed back unchanged by the replier.
    public var payload: ByteBuffer

    public static let headerLength = 8

    public init(
        kind: Kind, code: UInt8 = 0, identifier: UInt16, sequenceNumber: UInt16,
        payload: ByteBuffer = ByteBuffer()
    ) {
        self.kind = kind
        self.code = code
        self.identifier = identifier
        self.sequenceNumber = sequenceNumber
        self.payload = payload
    }

    /// Parses an echo message that fills the buffer (pass `IPv4Packet.payload`).
    public init(parsing buffer: ByteBuffer, verifyingChecksum: Bool = true) throws(PacketError) {
        let reader = WireReader(buffer, layer: "ICMP")
        let type: UInt8 = try reader.integer(at: 0, "type")
        guard let kind = Kind(rawValue: type) else { throw reader.error(.badValue, "type", at: 0) }
        self.kind = kind
        code = try reader.integer(at: 1, "code")
        identifier = try reader.integer(at: 4, "identifier")
        sequenceNumber = try reader.integer(at: 6, "sequence number")
        payload = try reader.rest(from: Self.headerLength, "data")
        if verifyingChecksum {
            var checksum = InternetChecksum()
            checksum.add(buffer)
            guard checksum.verifies else { throw reader.error(.badChecksum, "checksum", at: 2) }
        }
    }

    /// A reply to this request: same identifier, sequence number and data (RFC 792).
    public func reply() -> ICMPEcho {
        ICMPEcho(kind: .reply, identifier: identifier, sequenceNumber: sequenceNumber, payload: payload)
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var checksum = InternetChecksum()
        checksum.add(UInt16(kind.rawValue) << 8 | UInt16(code))
        checksum.add(identifier)
        checksum.add(sequenceNumber)
        checksum.add(payload)
        var written = buffer.writeInteger(kind.rawValue)
        written += buffer.writeInteger(code)
        written += buffer.writeInteger(checksum.value)
        written += buffer.writeInteger(identifier)
        written += buffer.writeInteger(sequenceNumber)
        written += buffer.writeImmutableBuffer(payload)
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
