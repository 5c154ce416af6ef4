import NIOCore
import NetworkAddresses

/// Bounds-checked reads at offsets from a buffer's reader index.
///
/// Every parser goes through this so that a short or lying input becomes a `PacketError`
/// naming the field, never an out-of-bounds trap: NIO's `get*` methods return `nil` outside
/// the readable bytes, and this turns that `nil` into `.truncated`.
struct WireReader {
    let buffer: ByteBuffer
    let layer: String

    init(_ buffer: ByteBuffer, layer: String) {
        self.buffer = buffer
        self.layer = layer
    }

    var count: Int { buffer.readableBytes }

    func error(_ kind: PacketError.Kind, _ field: String, at offset: Int) -> PacketError {
        PacketError(kind, layer: layer, field: field, offset: offset)
    }

    func integer<T: FixedWidthInteger>(
        at offset: Int, as type: T.Type = T.self, _ field: String
    ) throws(PacketError) -> T {
        guard offset >= 0, offset <= count,
            let value = buffer.getInteger(at: buffer.readerIndex &+ offset, as: T.self)
        else { throw error(.truncated, field, at: offset) }
        return value
    }

    func mac(at offset: Int, _ field: String) throws(PacketError) -> MACAddress {
        let high: UInt16 = try integer(at: offset, field)
        let low: UInt32 = try integer(at: offset &+ 2, field)
        return MACAddress(rawValue: UInt64(high) << 32 | UInt64(low))
    }

    func ipv4(at offset: Int, _ field: String) throws(PacketError) -> IPv4Address {
        IPv4Address(rawValue: try integer(at: offset, field))
    }

    func slice(at offset: Int, length: Int, _ field: String) throws(PacketError) -> ByteBuffer {
        guard offset >= 0, offset <= count, length >= 0,
            let slice = buffer.getSlice(at: buffer.readerIndex &+ offset, length: length)
        else { throw error(.truncated, field, at: offset) }
        return slice
    }

    /// Everything from `offset` to the end of the buffer (empty when `offset == count`).
    func rest(from offset: Int, _ field: String) throws(PacketError) -> ByteBuffer {
        try slice(at: offset, length: count &- offset, field)
    }
}

extension ByteBuffer {
    /// Writes the six bytes of `address` in network order; returns 6.
    @discardableResult
    mutating func writeMAC(_ address: MACAddress) -> Int {
        writeInteger(UInt16(truncatingIfNeeded: address.rawValue >> 32))
            + writeInteger(UInt32(truncatingIfNeeded: address.rawValue))
    }

    /// Writes the four bytes of `address` in network order; returns 4.
    @discardableResult
    mutating func writeIPv4(_ address: IPv4Address) -> Int {
        writeInteger(address.rawValue)
    }
}
