import NIOCore

extension OF13 {
    /// `OFPT_TABLE_MOD`, `struct ofp_table_mod` (spec 1.3.5 §7.3.3): configures a table
    /// (`OFPTT_ALL`: every table).
    public struct TableMod: OF13MessageBody {
        public var tableID: UInt8
        public var config: TableConfig

        public init(tableID: UInt8, config: TableConfig = []) {
            self.tableID = tableID
            self.config = config
        }

        /// The body's size: the message is 16 bytes with its header.
        public static let size = 8

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> TableMod {
            let tableID = try reader.readU8("table_id")
            try reader.skip(3, "pad")
            return TableMod(tableID: tableID, config: TableConfig(rawValue: try reader.readU32("config")))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(tableID)
            buffer.writeZeros(3)
            buffer.writeInteger(config.rawValue)
        }
    }

    /// `enum ofp_table_config` (spec 1.3.5 §7.3.3). OpenFlow 1.3 defines no bits: the two low
    /// bits (`OFPTC_DEPRECATED_MASK`) were the 1.1/1.2 table-miss behaviour, the rest are
    /// reserved. Every bit is kept.
    public struct TableConfig: OptionSet, Hashable, Sendable, Codable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `OFPTC_DEPRECATED_MASK`.
        public static let deprecatedMask = TableConfig(rawValue: 3)
    }
}

extension OF13.TableMod: CustomStringConvertible {
    public var description: String {
        let table = tableID == OF13.TableNumber.all ? "ALL" : String(tableID)
        return "table_mod(table_id=\(table),config=0x\(String(config.rawValue, radix: 16)))"
    }
}
