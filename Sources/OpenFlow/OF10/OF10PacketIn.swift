import NIOCore

extension OF10 {
    /// `OFPT_PACKET_IN`, `struct ofp_packet_in` (spec 1.0.0 §5.4.1): 10 bytes and the frame.
    public struct PacketIn: OF10MessageBody {
        public var bufferID: UInt32
        /// The length of the whole frame; `data` may be a prefix of it.
        public var totalLength: UInt16
        public var inPort: UInt16
        public var reason: Reason
        /// The frame, or its first `miss_send_len`/`max_len` bytes.
        public var data: ByteBuffer

        public init(
            bufferID: UInt32 = OF10.noBuffer, totalLength: UInt16? = nil, inPort: UInt16,
            reason: Reason = .noMatch, data: ByteBuffer
        ) {
            self.bufferID = bufferID
            self.totalLength = totalLength ?? UInt16(truncatingIfNeeded: data.readableBytes)
            self.inPort = inPort
            self.reason = reason
            self.data = data
        }

        /// `enum ofp_packet_in_reason`.
        public struct Reason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let noMatch = Reason(rawValue: 0)
            public static let action = Reason(rawValue: 1)
            public var description: String {
                switch rawValue {
                case 0: "no_match"
                case 1: "action"
                default: "reason(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PacketIn {
            let bufferID = try reader.readU32("buffer_id")
            let totalLength = try reader.readU16("total_len")
            let inPort = try reader.readU16("in_port")
            let reason = Reason(rawValue: try reader.readU8("reason"))
            try reader.skip(1, "pad")
            return PacketIn(
                bufferID: bufferID, totalLength: totalLength, inPort: inPort, reason: reason,
                data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(bufferID)
            buffer.writeInteger(totalLength)
            buffer.writeInteger(inPort)
            buffer.writeInteger(reason.rawValue)
            buffer.writeZeros(1)
            buffer.writeImmutableBuffer(data)
        }
    }
}
