import NIOCore

extension OF10 {
    /// `struct ofp_aggregate_stats_reply` (spec 1.0.0 §5.3.5): 24 bytes totalling the flows
    /// an `OFPST_AGGREGATE` request selected.
    public struct AggregateStats: Hashable, Sendable, Codable {
        public var packetCount: UInt64
        public var byteCount: UInt64
        public var flowCount: UInt32

        public static let size = 24

        public init(packetCount: UInt64 = 0, byteCount: UInt64 = 0, flowCount: UInt32 = 0) {
            self.packetCount = packetCount
            self.byteCount = byteCount
            self.flowCount = flowCount
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> AggregateStats {
            let packetCount = try reader.readU64("packet_count")
            let byteCount = try reader.readU64("byte_count")
            let flowCount = try reader.readU32("flow_count")
            try reader.skip(4, "pad")
            return AggregateStats(packetCount: packetCount, byteCount: byteCount, flowCount: flowCount)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(packetCount)
            buffer.writeInteger(byteCount)
            buffer.writeInteger(flowCount)
            buffer.writeZeros(4)
        }
    }
}
