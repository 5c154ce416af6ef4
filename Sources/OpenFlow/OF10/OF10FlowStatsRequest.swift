import NIOCore

extension OF10 {
    /// `struct ofp_flow_stats_request`, also `struct ofp_aggregate_stats_request`
    /// (spec 1.0.0 §5.3.5): 44 bytes selecting the flows to report.
    public struct FlowStatsRequest: Hashable, Sendable, Codable {
        public var match: Match
        /// The table to read, or `0xff` (``OF10/TableNumber/all``) for all tables.
        public var tableID: UInt8
        /// Only flows that output to this port (`OFPP_NONE`: no filter).
        public var outPort: UInt16

        public static let size = 44

        public init(match: Match = .all, tableID: UInt8 = TableNumber.all, outPort: UInt16 = PortNumber.none) {
            self.match = match
            self.tableID = tableID
            self.outPort = outPort
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowStatsRequest {
            let match = try Match.read(from: &reader)
            let tableID = try reader.readU8("table_id")
            try reader.skip(1, "pad")
            return FlowStatsRequest(match: match, tableID: tableID, outPort: try reader.readU16("out_port"))
        }

        public func write(to buffer: inout ByteBuffer) {
            match.write(to: &buffer)
            buffer.writeInteger(tableID)
            buffer.writeZeros(1)
            buffer.writeInteger(outPort)
        }
    }
}
