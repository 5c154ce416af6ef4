import NIOCore

extension OF10 {
    /// `struct ofp_packet_queue` (spec 1.0.0 §5.2.2): a queue id, a `len` counting the 8-byte
    /// header and the properties, and the properties.
    public struct PacketQueue: Hashable, Sendable, Codable, WireListElement {
        public var queueID: UInt32
        public var properties: WireList<QueueProperty>

        public static let headerSize = 8

        public init(queueID: UInt32, properties: WireList<QueueProperty> = []) {
            self.queueID = queueID
            self.properties = properties
        }

        /// The minimum rate of the first `OFPQT_MIN_RATE` property, in tenths of a percent.
        public var minRate: UInt16? {
            for property in properties {
                if case .minRate(let rate) = property { return rate }
            }
            return nil
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PacketQueue {
            let queueID = try reader.readU32("queue.queue_id")
            let length = Int(try reader.readU16("queue.len"))
            guard length >= headerSize, length - 6 <= reader.remaining else {
                throw reader.error(
                    .badLength, "queue.len",
                    "\(length), must be at least \(headerSize) and at most the \(reader.remaining + 6) bytes left")
            }
            try reader.skip(2, "queue.pad")
            let properties = try WireList<QueueProperty>(validating: reader.subReader(length - headerSize, "queue.properties"))
            return PacketQueue(queueID: queueID, properties: properties)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let length = Self.headerSize + properties.byteCount
            buffer.writeInteger(queueID)
            buffer.writeInteger(UInt16(truncatingIfNeeded: length))
            buffer.writeZeros(2)
            properties.write(to: &buffer)
            return length
        }
    }
}
