import NIOCore

extension OF10 {
    /// `struct ofp_table_stats` (spec 1.0.0 §5.3.5): one 64-byte table of an `OFPST_TABLE` reply.
    public struct TableStats: Hashable, Sendable, Codable, WireListElement {
        public var tableID: UInt8
        public var name: String
        /// The fields the table can wildcard.
        public var wildcards: Match.Wildcards
        public var maxEntries: UInt32
        public var activeCount: UInt32
        public var lookupCount: UInt64
        public var matchedCount: UInt64

        public static let size = 64

        public init(
            tableID: UInt8, name: String, wildcards: Match.Wildcards = .all, maxEntries: UInt32 = 0,
            activeCount: UInt32 = 0, lookupCount: UInt64 = 0, matchedCount: UInt64 = 0
        ) {
            self.tableID = tableID
            self.name = name
            self.wildcards = wildcards
            self.maxEntries = maxEntries
            self.activeCount = activeCount
            self.lookupCount = lookupCount
            self.matchedCount = matchedCount
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> TableStats {
            guard reader.remaining >= size else {
                throw reader.error(.truncated, "table_stats", "needs \(size) bytes, \(reader.remaining) left")
            }
            let tableID = try reader.readU8("table_stats.table_id")
            try reader.skip(3, "table_stats.pad")
            return TableStats(
                tableID: tableID, name: try reader.readFixedString(32, "table_stats.name"),
                wildcards: Match.Wildcards(rawValue: try reader.readU32("table_stats.wildcards")),
                maxEntries: try reader.readU32("table_stats.max_entries"),
                activeCount: try reader.readU32("table_stats.active_count"),
                lookupCount: try reader.readU64("table_stats.lookup_count"),
                matchedCount: try reader.readU64("table_stats.matched_count"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(tableID)
            buffer.writeZeros(3)
            buffer.writeFixedString(name, count: 32)
            buffer.writeInteger(wildcards.rawValue)
            buffer.writeInteger(maxEntries)
            buffer.writeInteger(activeCount)
            buffer.writeInteger(lookupCount)
            buffer.writeInteger(matchedCount)
            return Self.size
        }
    }
}
