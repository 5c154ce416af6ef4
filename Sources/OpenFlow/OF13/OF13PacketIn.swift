import NIOCore

extension OF13 {
    /// `OFPT_PACKET_IN`, `struct ofp_packet_in` (spec 1.3.5 §7.4.1).
    public struct PacketIn: OF13MessageBody {
        public var bufferID: UInt32
        /// The length of the whole frame; `data` may be a prefix of it.
        public var totalLength: UInt16
        public var reason: Reason
        public var tableID: UInt8
        public var cookie: UInt64
        /// The packet's pipeline fields (at least `in_port`).
        public var match: Match
        /// The frame, or its first `miss_send_len`/`max_len` bytes.
        public var data: ByteBuffer

        public init(
            bufferID: UInt32 = OF13.noBuffer, totalLength: UInt16? = nil, reason: Reason = .noMatch,
            tableID: UInt8 = 0, cookie: UInt64 = 0, match: Match, data: ByteBuffer
        ) {
            self.bufferID = bufferID
            self.totalLength = totalLength ?? UInt16(truncatingIfNeeded: data.readableBytes)
            self.reason = reason
            self.tableID = tableID
            self.cookie = cookie
            self.match = match
            self.data = data
        }

        /// `enum ofp_packet_in_reason`.
        public struct Reason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let noMatch = Reason(rawValue: 0)
            public static let action = Reason(rawValue: 1)
            public static let invalidTTL = Reason(rawValue: 2)
            public var description: String {
                switch rawValue {
                case 0: "no_match"
                case 1: "action"
                case 2: "invalid_ttl"
                default: "reason(\(rawValue))"
                }
            }
        }

        /// The `in_port` field of the match, if present.
        public var inPort: UInt32? {
            for field in match.fields {
                if case .inPort(let port, _) = field { return port }
            }
            return nil
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PacketIn {
            if reader.remaining >= 16 {
                // The 16 fixed bytes in one pass over the raw bytes (the hot path).
                let f = reader.buffer.withUnsafeReadableBytes { raw in
                    (
                        bufferID: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)),
                        totalLength: UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self)),
                        reason: raw[6], tableID: raw[7],
                        cookie: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    )
                }
                try reader.skip(16, "buffer_id")
                let match = try Match.read(from: &reader)
                try reader.skip(2, "pad")
                return PacketIn(
                    bufferID: f.bufferID, totalLength: f.totalLength, reason: Reason(rawValue: f.reason),
                    tableID: f.tableID, cookie: f.cookie, match: match, data: reader.readRest())
            }
            let bufferID = try reader.readU32("buffer_id")
            let totalLength = try reader.readU16("total_len")
            let reason = Reason(rawValue: try reader.readU8("reason"))
            let tableID = try reader.readU8("table_id")
            let cookie = try reader.readU64("cookie")
            let match = try Match.read(from: &reader)
            try reader.skip(2, "pad")
            return PacketIn(
                bufferID: bufferID, totalLength: totalLength, reason: reason, tableID: tableID,
                cookie: cookie, match: match, data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(bufferID)
            buffer.writeInteger(totalLength)
            buffer.writeInteger(reason.rawValue)
            buffer.writeInteger(tableID)
            buffer.writeInteger(cookie)
            match.write(to: &buffer)
            buffer.writeZeros(2)
            buffer.writeImmutableBuffer(data)
        }
    }
}
