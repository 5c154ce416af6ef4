import NIOCore

extension OF10 {
    /// `struct ofp_port_stats_request` (spec 1.0.0 §5.3.5): 8 bytes.
    public struct PortStatsRequest: Hashable, Sendable, Codable {
        /// The port to report, or `OFPP_NONE` for all ports.
        public var portNumber: UInt16

        public init(portNumber: UInt16 = PortNumber.none) { self.portNumber = portNumber }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PortStatsRequest {
            let portNumber = try reader.readU16("port_no")
            try reader.skip(6, "pad")
            return PortStatsRequest(portNumber: portNumber)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(6)
        }
    }
}
