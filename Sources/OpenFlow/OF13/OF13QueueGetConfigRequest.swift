import NIOCore

extension OF13 {
    /// `OFPT_QUEUE_GET_CONFIG_REQUEST`, `struct ofp_queue_get_config_request` (spec 1.3.5
    /// §7.3.6): asks for the queues of one port (`OFPP_ANY`: every port).
    public struct QueueGetConfigRequest: OF13MessageBody {
        public var port: UInt32

        public init(port: UInt32 = PortNumber.any) { self.port = port }

        /// The body's size: the message is 16 bytes with its header.
        public static let size = 8

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueGetConfigRequest {
            let port = try reader.readU32("port")
            try reader.skip(4, "pad")
            return QueueGetConfigRequest(port: port)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(port)
            buffer.writeZeros(4)
        }
    }

    /// Reserved queue numbers.
    public enum QueueNumber {
        /// `OFPQ_ALL`: every queue of the port.
        public static let all: UInt32 = 0xFFFF_FFFF
    }
}

extension OF13.QueueGetConfigRequest: CustomStringConvertible {
    public var description: String { "queue_get_config_request(port=\(OF13.PortNumber.name(port)))" }
}
