extension OF13 {
    /// `enum ofp_port_no`: reserved port numbers (spec 1.3.5 §7.2.1).
    public enum PortNumber {
        public static let max: UInt32 = 0xFFFF_FF00
        public static let inPort: UInt32 = 0xFFFF_FFF8
        public static let table: UInt32 = 0xFFFF_FFF9
        public static let normal: UInt32 = 0xFFFF_FFFA
        public static let flood: UInt32 = 0xFFFF_FFFB
        public static let all: UInt32 = 0xFFFF_FFFC
        public static let controller: UInt32 = 0xFFFF_FFFD
        public static let local: UInt32 = 0xFFFF_FFFE
        public static let any: UInt32 = 0xFFFF_FFFF

        /// The reserved name (`CONTROLLER`) or the number.
        public static func name(_ port: UInt32) -> String {
            switch port {
            case inPort: "IN_PORT"
            case table: "TABLE"
            case normal: "NORMAL"
            case flood: "FLOOD"
            case all: "ALL"
            case controller: "CONTROLLER"
            case local: "LOCAL"
            case any: "ANY"
            default: String(port)
            }
        }
    }

    /// Reserved group numbers (`enum ofp_group`).
    public enum GroupNumber {
        public static let max: UInt32 = 0xFFFF_FF00
        public static let all: UInt32 = 0xFFFF_FFFC
        public static let any: UInt32 = 0xFFFF_FFFF
    }

    /// Reserved table numbers (`enum ofp_table`).
    public enum TableNumber {
        public static let max: UInt8 = 0xFE
        public static let all: UInt8 = 0xFF
    }

    /// `OFP_NO_BUFFER`.
    public static let noBuffer: UInt32 = 0xFFFF_FFFF
}
