import NIOCore

/// What every probe packet carries in its UDP payload, so that the receiver can tell which
/// packets of a flow it saw, in what order, and how long each took.
///
/// Layout (network byte order, 24 bytes, the rest of the payload is zero padding):
/// `magic` "VNMP" (4) · `flow` (4) · `sequence` (8) · `sentAt` nanoseconds on the sender's
/// clock (8). Sender and receiver of one flow share a clock (one process, or one machine's
/// monotonic clock across network namespaces), so latency is `receivedAt - sentAt`.
///
/// Packet sizes in vnm are **IP datagram sizes** (IPv4 header + UDP header + payload), as in
/// the paper's 64- and 1500-byte packets: a 64-byte probe has 36 bytes of payload and travels
/// in a 78-byte Ethernet frame; a 1500-byte probe fills a 1500-byte MTU.
public struct ProbePayload: Sendable, Hashable {
    public static let magic: UInt32 = 0x564E_4D50  // "VNMP"
    /// Bytes of the payload that carry information; the smallest payload a probe can have.
    public static let encodedSize = 24
    /// IPv4 header (20, no options) plus UDP header (8).
    public static let ipAndUDPHeaderSize = 28
    /// The smallest IP datagram that holds a probe.
    public static let minimumDatagramSize = encodedSize + ipAndUDPHeaderSize

    public var flow: UInt32
    public var sequence: UInt64
    /// Nanoseconds on the sender's clock when the packet was handed to the network.
    public var sentAt: UInt64

    public init(flow: UInt32, sequence: UInt64, sentAt: UInt64) {
        self.flow = flow
        self.sequence = sequence
        self.sentAt = sentAt
    }

    /// UDP payload length for an IP datagram of `datagramSize` bytes.
    public static func payloadSize(forDatagramSize datagramSize: Int) throws(ProbeError) -> Int {
        guard datagramSize >= minimumDatagramSize else {
            throw .datagramTooSmall(datagramSize, minimum: minimumDatagramSize)
        }
        guard datagramSize <= 65_535 else { throw .datagramTooLarge(datagramSize) }
        return datagramSize - ipAndUDPHeaderSize
    }

    /// Writes the payload, zero-padded to `payloadSize` bytes (at least `encodedSize`).
    public func write(to buffer: inout ByteBuffer, payloadSize: Int = ProbePayload.encodedSize) {
        buffer.writeInteger(Self.magic)
        buffer.writeInteger(flow)
        buffer.writeInteger(sequence)
        buffer.writeInteger(sentAt)
        let padding = payloadSize - Self.encodedSize
        if padding > 0 { buffer.writeRepeatingByte(0, count: padding) }
    }

    /// Writes the payload into raw memory (for senders that reuse one datagram buffer).
    /// `bytes` must hold at least `encodedSize` bytes; the padding is left as it is.
    public func write(into bytes: UnsafeMutableRawBufferPointer) {
        precondition(bytes.count >= Self.encodedSize, "a probe payload needs \(Self.encodedSize) bytes")
        bytes.storeBytes(of: Self.magic.bigEndian, toByteOffset: 0, as: UInt32.self)
        bytes.storeBytes(of: flow.bigEndian, toByteOffset: 4, as: UInt32.self)
        bytes.storeBytes(of: sequence.bigEndian, toByteOffset: 8, as: UInt64.self)
        bytes.storeBytes(of: sentAt.bigEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// Reads a probe from the start of a UDP payload; nil if it is not a probe (too short or
    /// another magic), so that stray datagrams on the port are counted apart, never as probes.
    public init?(payload: ByteBuffer) {
        guard payload.readableBytes >= Self.encodedSize,
            payload.getInteger(at: payload.readerIndex, as: UInt32.self) == Self.magic,
            let flow = payload.getInteger(at: payload.readerIndex + 4, as: UInt32.self),
            let sequence = payload.getInteger(at: payload.readerIndex + 8, as: UInt64.self),
            let sentAt = payload.getInteger(at: payload.readerIndex + 16, as: UInt64.self)
        else { return nil }
        self.init(flow: flow, sequence: sequence, sentAt: sentAt)
    }

    /// Reads a probe from raw bytes; nil if it is not a probe.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.encodedSize,
            UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) == Self.magic
        else { return nil }
        self.init(
            flow: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
            sequence: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            sentAt: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
    }
}
