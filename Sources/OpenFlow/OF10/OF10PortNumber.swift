extension OF10 {
    /// `enum ofp_port`: port numbers are 16 bits in OpenFlow 1.0, with reserved values at the
    /// top (spec 1.0.0 §5.2.1).
    public enum PortNumber {
        /// `OFPP_MAX`: the highest number of a physical port.
        public static let max: UInt16 = 0xFF00
        /// `OFPP_IN_PORT`: send the packet out of the port it came in on.
        public static let inPort: UInt16 = 0xFFF8
        /// `OFPP_TABLE`: run the flow table (PACKET_OUT only).
        public static let table: UInt16 = 0xFFF9
        public static let normal: UInt16 = 0xFFFA
        /// `OFPP_FLOOD`: every port but the input port and those with `OFPPC_NO_FLOOD`.
        public static let flood: UInt16 = 0xFFFB
        public static let all: UInt16 = 0xFFFC
        public static let controller: UInt16 = 0xFFFD
        public static let local: UInt16 = 0xFFFE
        /// `OFPP_NONE`: no port (the "any" filter of FLOW_MOD deletes and stats requests).
        public static let none: UInt16 = 0xFFFF

        /// The reserved name (`CONTROLLER`) or the number.
        public static func name(_ port: UInt16) -> String {
            switch port {
            case inPort: "IN_PORT"
            case table: "TABLE"
            case normal: "NORMAL"
            case flood: "FLOOD"
            case all: "ALL"
            case controller: "CONTROLLER"
            case local: "LOCAL"
            case none: "NONE"
            default: String(port)
            }
        }
    }

    /// Reserved table numbers: `0xff` means all tables in flow and aggregate stats requests.
    public enum TableNumber {
        public static let all: UInt8 = 0xFF
    }

    /// `OFPQ_ALL`: every queue, in queue stats requests.
    public enum QueueNumber {
        public static let all: UInt32 = 0xFFFF_FFFF
    }
}
