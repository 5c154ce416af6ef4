import NIOCore

extension OF10 {
    /// `OFPT_PORT_STATUS`, `struct ofp_port_status` (spec 1.0.0 §5.4.3): 56 bytes of body.
    public struct PortStatus: OF10MessageBody {
        public var reason: Reason
        public var port: PhysicalPort

        public init(reason: Reason, port: PhysicalPort) {
            self.reason = reason
            self.port = port
        }

        /// `enum ofp_port_reason`.
        public struct Reason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let add = Reason(rawValue: 0)
            public static let delete = Reason(rawValue: 1)
            public static let modify = Reason(rawValue: 2)
            public var description: String {
                switch rawValue {
                case 0: "ADD"
                case 1: "DELETE"
                case 2: "MODIFY"
                default: "reason(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PortStatus {
            let reason = Reason(rawValue: try reader.readU8("reason"))
            try reader.skip(7, "pad")
            return PortStatus(reason: reason, port: try PhysicalPort.read(from: &reader))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(reason.rawValue)
            buffer.writeZeros(7)
            port.write(to: &buffer)
        }
    }
}
