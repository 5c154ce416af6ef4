import NIOCore

extension OF10 {
    /// `struct ofp_queue_stats_request` (spec 1.0.0 §5.3.5): 8 bytes.
    public struct QueueStatsRequest: Hashable, Sendable, Codable {
        /// The port, or `OFPP_ALL` for all ports.
        public var portNumber: UInt16
        /// The queue, or `OFPQ_ALL` for all queues of the port.
        public var queueID: UInt32

        public init(portNumber: UInt16 = PortNumber.all, queueID: UInt32 = QueueNumber.all) {
            self.portNumber = portNumber
            self.queueID = queueID
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueStatsRequest {
            let portNumber = try reader.readU16("port_no")
            try reader.skip(2, "pad")
            return QueueStatsRequest(portNumber: portNumber, queueID: try reader.readU32("queue_id"))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(2)
            buffer.writeInteger(queueID)
        }
    }
}
