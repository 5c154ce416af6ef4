import NIOCore

extension OF13 {
    /// `struct ofp_desc` (spec 1.3.5 §7.3.5.1), the body of an `OFPMP_DESC` reply: five
    /// NUL-padded strings of 256, 256, 256, 32 and 256 bytes.
    public struct SwitchDescription: Hashable, Sendable, Codable {
        public var manufacturer: String
        public var hardware: String
        public var software: String
        public var serialNumber: String
        /// Human-readable description of the datapath.
        public var datapath: String

        /// `DESC_STR_LEN`.
        public static let stringLength = 256
        /// `SERIAL_NUM_LEN`.
        public static let serialNumberLength = 32
        public static let size = 4 * stringLength + serialNumberLength

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

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> SwitchDescription {
            SwitchDescription(
                manufacturer: try reader.readFixedString(stringLength, "mfr_desc"),
                hardware: try reader.readFixedString(stringLength, "hw_desc"),
                software: try reader.readFixedString(stringLength, "sw_desc"),
                serialNumber: try reader.readFixedString(serialNumberLength, "serial_num"),
                datapath: try reader.readFixedString(stringLength, "dp_desc"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeFixedString(manufacturer, count: Self.stringLength)
                + buffer.writeFixedString(hardware, count: Self.stringLength)
                + buffer.writeFixedString(software, count: Self.stringLength)
                + buffer.writeFixedString(serialNumber, count: Self.serialNumberLength)
                + buffer.writeFixedString(datapath, count: Self.stringLength)
        }
    }
}

extension OF13.SwitchDescription: CustomStringConvertible {
    public var description: String {
        "mfr=\"\(manufacturer)\",hw=\"\(hardware)\",sw=\"\(software)\",serial=\"\(serialNumber)\",dp=\"\(datapath)\""
    }
}
