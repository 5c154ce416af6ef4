import NIOCore
import NetworkAddresses

/// A cursor over the bytes of one OpenFlow message (or a part of it) that throws
/// ``OpenFlowError`` values naming the message, the field and the offset.
///
/// `base` is the offset, from the start of the OpenFlow header, of the reader's first byte,
/// so that a nested structure read from a slice still reports offsets in the whole message.
/// Names are `StaticString`s so that reading allocates nothing; a `String` is made only when
/// an error is thrown.
public struct WireReader: Sendable {
    /// The bytes still to read are `buffer.readableBytesView`.
    public var buffer: ByteBuffer
    /// Offset of `buffer`'s index 0 from the start of the OpenFlow message.
    public let base: Int
    /// The spec's name of the message being read, for errors.
    public let message: StaticString

    public init(_ buffer: ByteBuffer, base: Int = 0, message: StaticString) {
        // A slice starts at index 0, so `base + readerIndex` is the offset in the message.
        if buffer.readerIndex == 0 {
            self.buffer = buffer
        } else {
            self.buffer = buffer.getSlice(at: buffer.readerIndex, length: buffer.readableBytes) ?? buffer
        }
        self.base = base
        self.message = message
    }

    /// Offset of the next byte from the start of the OpenFlow message.
    public var offset: Int { base + buffer.readerIndex }
    public var remaining: Int { buffer.readableBytes }
    public var isEmpty: Bool { buffer.readableBytes == 0 }

    public func error(_ kind: OpenFlowError.Kind, _ field: StaticString, _ detail: String = "")
        -> OpenFlowError
    {
        OpenFlowError(kind, message: "\(message)", field: "\(field)", offset: offset, detail: detail)
    }

    private func truncated(_ field: StaticString, needs: Int) -> OpenFlowError {
        error(.truncated, field, "needs \(needs) bytes, \(remaining) left")
    }

    public mutating func readU8(_ field: StaticString) throws(OpenFlowError) -> UInt8 {
        guard let value = buffer.readInteger(as: UInt8.self) else { throw truncated(field, needs: 1) }
        return value
    }

    public mutating func readU16(_ field: StaticString) throws(OpenFlowError) -> UInt16 {
        guard let value = buffer.readInteger(as: UInt16.self) else { throw truncated(field, needs: 2) }
        return value
    }

    public mutating func readU32(_ field: StaticString) throws(OpenFlowError) -> UInt32 {
        guard let value = buffer.readInteger(as: UInt32.self) else { throw truncated(field, needs: 4) }
        return value
    }

    public mutating func readU64(_ field: StaticString) throws(OpenFlowError) -> UInt64 {
        guard let value = buffer.readInteger(as: UInt64.self) else { throw truncated(field, needs: 8) }
        return value
    }

    public mutating func readMAC(_ field: StaticString) throws(OpenFlowError) -> MACAddress {
        guard let high = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            let low = buffer.getInteger(at: buffer.readerIndex &+ 2, as: UInt32.self)
        else { throw truncated(field, needs: 6) }
        buffer.moveReaderIndex(forwardBy: 6)
        return MACAddress(rawValue: UInt64(high) << 32 | UInt64(low))
    }

    public mutating func readIPv4(_ field: StaticString) throws(OpenFlowError) -> IPv4Address {
        IPv4Address(rawValue: try readU32(field))
    }

    public mutating func readIPv6(_ field: StaticString) throws(OpenFlowError) -> IPv6Address {
        guard remaining >= 16 else { throw truncated(field, needs: 16) }
        let high = try readU64(field)
        let low = try readU64(field)
        return IPv6Address(high: high, low: low)
    }

    /// Skips `count` bytes of padding (their value is not checked: senders leave garbage).
    public mutating func skip(_ count: Int, _ field: StaticString) throws(OpenFlowError) {
        guard count >= 0, remaining >= count else { throw truncated(field, needs: count) }
        buffer.moveReaderIndex(forwardBy: count)
    }

    /// The next `count` bytes as a slice sharing storage with the message (no copy).
    public mutating func readSlice(_ count: Int, _ field: StaticString) throws(OpenFlowError) -> ByteBuffer {
        guard count >= 0, let slice = buffer.readSlice(length: count) else {
            throw truncated(field, needs: count)
        }
        return slice
    }

    /// All remaining bytes as a slice.
    public mutating func readRest() -> ByteBuffer {
        buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
    }

    /// A reader over the next `count` bytes, reporting offsets in the whole message.
    public mutating func subReader(_ count: Int, _ field: StaticString) throws(OpenFlowError) -> WireReader {
        let start = offset
        let slice = try readSlice(count, field)
        return WireReader(slice, base: start, message: message)
    }

    /// The 16-bit value `at` bytes ahead of the reader index, without moving it.
    public func peekU16(at distance: Int) -> UInt16? {
        buffer.getInteger(at: buffer.readerIndex &+ distance, as: UInt16.self)
    }

    /// The 32-bit value `at` bytes ahead of the reader index, without moving it.
    public func peekU32(at distance: Int) -> UInt32? {
        buffer.getInteger(at: buffer.readerIndex &+ distance, as: UInt32.self)
    }

    /// A fixed-size, NUL-terminated character array (`char name[OFP_MAX_PORT_NAME_LEN]`).
    ///
    /// The spec requires the terminating NUL; the text must be UTF-8 (in practice ASCII).
    /// Both are checked, so that a decoded name always re-encodes to the same bytes.
    public mutating func readFixedString(_ count: Int, _ field: StaticString) throws(OpenFlowError) -> String {
        let start = offset
        let slice = try readSlice(count, field)
        let view = slice.readableBytesView
        guard let end = view.firstIndex(of: 0) else {
            throw OpenFlowError(
                .badValue, message: "\(message)", field: "\(field)", offset: start,
                detail: "no terminating NUL in \(count) bytes")
        }
        guard let text = String(validating: view[view.startIndex..<end], as: UTF8.self) else {
            throw OpenFlowError(
                .badValue, message: "\(message)", field: "\(field)", offset: start, detail: "not UTF-8 text")
        }
        return text
    }
}

extension ByteBuffer {
    /// Writes `text` into a fixed-size NUL-padded field of `count` bytes, truncating it so that
    /// at least one NUL remains, as the spec's `char[]` fields require.
    @discardableResult
    public mutating func writeFixedString(_ text: String, count: Int) -> Int {
        var utf8 = Array(text.utf8.prefix(Swift.max(0, count - 1)))
        utf8.append(contentsOf: repeatElement(0, count: count - utf8.count))
        return writeBytes(utf8)
    }

    /// Writes `count` zero bytes of padding.
    @discardableResult
    public mutating func writeZeros(_ count: Int) -> Int {
        guard count > 0 else { return 0 }
        return writeRepeatingByte(0, count: count)
    }

    @discardableResult
    public mutating func writeMAC(_ mac: MACAddress) -> Int {
        writeInteger(UInt16(truncatingIfNeeded: mac.rawValue >> 32))
            + writeInteger(UInt32(truncatingIfNeeded: mac.rawValue))
    }

    @discardableResult
    public mutating func writeIPv6(_ address: IPv6Address) -> Int {
        writeInteger(address.high) + writeInteger(address.low)
    }
}
