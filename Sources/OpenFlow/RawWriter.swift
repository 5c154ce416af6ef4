import NIOCore

/// Stores big-endian integers and copies byte lists straight into memory that was reserved
/// beforehand, for the encoders of the hottest messages (FLOW_MOD, PACKET_IN).
///
/// `ByteBuffer.writeInteger` checks capacity and uniqueness on every call; writing a whole
/// message of known size through one `writeWithUnsafeMutableBytes` does that once.
struct RawWriter {
    let base: UnsafeMutableRawPointer
    private(set) var offset = 0

    init(_ base: UnsafeMutableRawPointer) { self.base = base }

    mutating func u8(_ value: UInt8) {
        base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
        offset &+= 1
    }

    mutating func u16(_ value: UInt16) {
        base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
        offset &+= 2
    }

    mutating func u32(_ value: UInt32) {
        base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
        offset &+= 4
    }

    mutating func u64(_ value: UInt64) {
        base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
        offset &+= 8
    }

    mutating func zeros(_ count: Int) {
        guard count > 0 else { return }
        (base + offset).initializeMemory(as: UInt8.self, repeating: 0, count: count)
        offset &+= count
    }

    mutating func bytes(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { source in
            guard let from = source.baseAddress else { return }
            (base + offset).copyMemory(from: from, byteCount: source.count)
        }
        offset &+= buffer.readableBytes
    }

    /// Writes `length` bytes into `buffer` by calling `body` once on reserved memory.
    static func write(_ length: Int, into buffer: inout ByteBuffer, _ body: (inout RawWriter) -> Void) -> Int {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw in
            guard let base = raw.baseAddress else { return 0 }
            var writer = RawWriter(base)
            body(&writer)
            assert(writer.offset == length, "RawWriter wrote \(writer.offset) bytes, reserved \(length)")
            return length
        }
    }

    mutating func header(version: UInt8, type: UInt8, length: Int, xid: UInt32) {
        u8(version)
        u8(type)
        u16(UInt16(truncatingIfNeeded: length))
        u32(xid)
    }

    mutating func match(_ match: OF13.Match) {
        let length = 4 + match.fields.byteCount
        u16(OF13.Match.typeOXM)
        u16(UInt16(truncatingIfNeeded: length))
        bytes(match.fields.bytes)
        zeros((length + 7) / 8 * 8 - length)
    }
}

extension OF13.FlowMod {
    /// The whole message, header included, in one reserved write.
    func writeMessage(xid: UInt32, to buffer: inout ByteBuffer) -> Int {
        let length = OpenFlowHeader.size + 40 + match.paddedLength + instructions.byteCount
        return RawWriter.write(length, into: &buffer) { w in
            w.header(version: OF13.version, type: 14, length: length, xid: xid)
            w.u64(cookie)
            w.u64(cookieMask)
            w.u8(tableID)
            w.u8(command.rawValue)
            w.u16(idleTimeout)
            w.u16(hardTimeout)
            w.u16(priority)
            w.u32(bufferID)
            w.u32(outPort)
            w.u32(outGroup)
            w.u16(flags.rawValue)
            w.zeros(2)
            w.match(match)
            w.bytes(instructions.bytes)
        }
    }
}

extension OF13.PacketIn {
    /// The whole message, header included, in one reserved write.
    func writeMessage(xid: UInt32, to buffer: inout ByteBuffer) -> Int {
        let length = OpenFlowHeader.size + 16 + match.paddedLength + 2 + data.readableBytes
        return RawWriter.write(length, into: &buffer) { w in
            w.header(version: OF13.version, type: 10, length: length, xid: xid)
            w.u32(bufferID)
            w.u16(totalLength)
            w.u8(reason.rawValue)
            w.u8(tableID)
            w.u64(cookie)
            w.match(match)
            w.zeros(2)
            w.bytes(data)
        }
    }
}
