import NIOCore
import NetworkAddresses

/// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum
/// of the data taken as big-endian 16-bit words.
///
/// IPv4 (RFC 791 §3.1), ICMP (RFC 792), UDP (RFC 768) and OSPFv2 (RFC 2328 §A.3.1) all use it,
/// each over different bytes, so this is an accumulator: feed it the covered pieces in order
/// (an odd-length piece carries its last byte into the next), then read `value`.
///
/// Writers put `value` into a zeroed checksum field; readers sum the covered bytes *including*
/// the checksum field and call `verifies`, which holds when the sum is 0xFFFF (RFC 1071 §1).
public struct InternetChecksum: Hashable, Sendable {
    /// Running sum of 16-bit words, folded lazily; 64 bits cannot overflow for any packet.
    private var sum: UInt64 = 0
    /// The first byte of a word whose second byte has not arrived yet.
    private var pendingHighByte: UInt8?

    public init() {}

    /// Adds the readable bytes of `buffer`.
    public mutating func add(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            var index = 0
            if let high = pendingHighByte, bytes.count > 0 {
                sum &+= UInt64(high) << 8 | UInt64(bytes[0])
                pendingHighByte = nil
                index = 1
            }
            while index &+ 1 < bytes.count {
                sum &+= UInt64(bytes[index]) << 8 | UInt64(bytes[index &+ 1])
                index &+= 2
            }
            if index < bytes.count {
                pendingHighByte = bytes[index]
            }
        }
    }

    /// Adds a big-endian 16-bit word. Must not follow an odd-length piece.
    public mutating func add(_ word: UInt16) {
        sum &+= UInt64(word)
    }

    /// Adds a 32-bit value as two 16-bit words. Must not follow an odd-length piece.
    public mutating func add(_ value: UInt32) {
        sum &+= UInt64(value >> 16) &+ UInt64(value & 0xFFFF)
    }

    /// Adds the IPv4 pseudo-header that UDP and TCP checksums cover (RFC 768): source,
    /// destination, zero, protocol, and the transport length.
    public mutating func addPseudoHeader(
        source: IPv4Address, destination: IPv4Address, protocolNumber: IPProtocol, length: UInt16
    ) {
        add(source.rawValue)
        add(destination.rawValue)
        add(UInt16(protocolNumber.rawValue))
        add(length)
    }

    /// The one's complement sum folded to 16 bits, with any odd trailing byte padded with zero.
    public var foldedSum: UInt16 {
        var total = sum
        if let high = pendingHighByte { total &+= UInt64(high) << 8 }
        while total > 0xFFFF {
            total = (total & 0xFFFF) &+ (total >> 16)
        }
        return UInt16(truncatingIfNeeded: total)
    }

    /// The checksum to write into the (zeroed) checksum field.
    public var value: UInt16 { ~foldedSum }

    /// Whether bytes that include their checksum field sum to all ones.
    public var verifies: Bool { foldedSum == 0xFFFF }

    /// The checksum of one buffer.
    public static func of(_ buffer: ByteBuffer) -> UInt16 {
        var checksum = InternetChecksum()
        checksum.add(buffer)
        return checksum.value
    }
}
