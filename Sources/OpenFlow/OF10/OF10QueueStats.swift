import NIOCore

extension OF10 {
    /// `struct ofp_queue_stats` (spec 1.0.0 §5.3.5): one 32-byte queue of an `OFPST_QUEUE` reply.
    public struct QueueStats: Hashable, Sendable, Codable, WireListElement {
        public var portNumber: UInt16
        public var queueID: UInt32
        public var txBytes: UInt64
        public var txPackets: UInt64
        public var txErrors: UInt64

        public static let size = 32

        public init(
            portNumber: UInt16, queueID: UInt32, txBytes: UInt64 = 0, txPackets: UInt64 = 0, txErrors: UInt64 = 0
        ) {
            self.portNumber = portNumber
            self.queueID = queueID
            self.txBytes = txBytes
            self.txPackets = txPackets
            self.txErrors = txErrors
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueStats {
            guard reader.remaining >= size else {
                throw reader.error(.truncated, "queue_stats", "needs \(size) bytes, \(reader.remaining) left")
            }
            let portNumber = try reader.readU16("queue_stats.port_no")
            try reader.skip(2, "queue_stats.pad")
            return QueueStats(
                portNumber: portNumber, queueID: try reader.readU32("queue_stats.queue_id"),
                txBytes: try reader.readU64("queue_stats.tx_bytes"),
                txPackets: try reader.readU64("queue_stats.tx_packets"),
                txErrors: try reader.readU64("queue_stats.tx_errors"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(2)
            buffer.writeInteger(queueID)
            buffer.writeInteger(txBytes)
            buffer.writeInteger(txPackets)
            buffer.writeInteger(txErrors)
            return Self.size
        }
    }
}
