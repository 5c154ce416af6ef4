import NIOCore

extension OF10 {
    /// `struct ofp_desc_stats` (spec 1.0.0 §5.3.5): 1056 bytes of NUL-padded text describing
    /// the switch, the body of an `OFPST_DESC` reply.
    public struct DescStats: Hashable, Sendable, Codable {
        /// Manufacturer (`DESC_STR_LEN`, 256 bytes).
        public var manufacturer: String
        public var hardware: String
        public var software: String
        /// Serial number (`SERIAL_NUM_LEN`, 32 bytes).
        public var serialNumber: String
        /// Human-readable description of the datapath (256 bytes).
        public var datapath: String

        public static let size = 1056
        static let descLength = 256
        static let serialLength = 32

        public init(
            manufacturer: String = "", hardware: String = "", software: String = "", serialNumber: String = "",
            datapath: String = ""
        ) {
            self.manufacturer = manufacturer
            self.hardware = hardware
            self.software = software
            self.serialNumber = serialNumber
            self.datapath = datapath
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> DescStats {
            DescStats(
                manufacturer: try reader.readFixedString(descLength, "mfr_desc"),
                hardware: try reader.readFixedString(descLength, "hw_desc"),
                software: try reader.readFixedString(descLength, "sw_desc"),
                serialNumber: try reader.readFixedString(serialLength, "serial_num"),
                datapath: try reader.readFixedString(descLength, "dp_desc"))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeFixedString(manufacturer, count: Self.descLength)
            buffer.writeFixedString(hardware, count: Self.descLength)
            buffer.writeFixedString(software, count: Self.descLength)
            buffer.writeFixedString(serialNumber, count: Self.serialLength)
            buffer.writeFixedString(datapath, count: Self.descLength)
        }
    }
}
