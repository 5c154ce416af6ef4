import NIOCore

extension OF10 {
    /// `OFPT_QUEUE_GET_CONFIG_REPLY`, `struct ofp_queue_get_config_reply` (spec 1.0.0 §5.3.4):
    /// 8 bytes and the port's queues.
    public struct QueueGetConfigReply: OF10MessageBody {
        public var portNumber: UInt16
        public var queues: WireList<PacketQueue>

        public init(portNumber: UInt16, queues: WireList<PacketQueue> = []) {
            self.portNumber = portNumber
            self.queues = queues
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueGetConfigReply {
            let portNumber = try reader.readU16("port")
            try reader.skip(6, "pad")
            return QueueGetConfigReply(
                portNumber: portNumber, queues: try WireList(validating: reader.subReader(reader.remaining, "queues")))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(6)
            queues.write(to: &buffer)
        }
    }
}
