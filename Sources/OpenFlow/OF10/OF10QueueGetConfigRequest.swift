import NIOCore

extension OF10 {
    /// `OFPT_QUEUE_GET_CONFIG_REQUEST`, `struct ofp_queue_get_config_request`
    /// (spec 1.0.0 §5.3.4): 4 bytes of body.
    public struct QueueGetConfigRequest: OF10MessageBody {
        /// The port whose queues to describe (below `OFPP_MAX`).
        public var portNumber: UInt16

        public init(portNumber: UInt16) { self.portNumber = portNumber }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueGetConfigRequest {
            let portNumber = try reader.readU16("port")
            try reader.skip(2, "pad")
            return QueueGetConfigRequest(portNumber: portNumber)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(2)
        }
    }
}
