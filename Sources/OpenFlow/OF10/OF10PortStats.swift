import NIOCore

extension OF10 {
    /// `struct ofp_port_stats` (spec 1.0.0 §5.3.5): one 104-byte port of an `OFPST_PORT`
    /// reply. A counter the switch does not keep is all ones.
    public struct PortStats: Hashable, Sendable, Codable, WireListElement {
        public var portNumber: UInt16
        public var rxPackets: UInt64
        public var txPackets: UInt64
        public var rxBytes: UInt64
        public var txBytes: UInt64
        public var rxDropped: UInt64
        public var txDropped: UInt64
        public var rxErrors: UInt64
        public var txErrors: UInt64
        public var rxFrameErrors: UInt64
        public var rxOverrunErrors: UInt64
        public var rxCRCErrors: UInt64
        public var collisions: UInt64

        public static let size = 104

        public init(
            portNumber: UInt16, rxPackets: UInt64 = 0, txPackets: UInt64 = 0, rxBytes: UInt64 = 0,
            txBytes: UInt64 = 0, rxDropped: UInt64 = 0, txDropped: UInt64 = 0, rxErrors: UInt64 = 0,
            txErrors: UInt64 = 0, rxFrameErrors: UInt64 = 0, rxOverrunErrors: UInt64 = 0,
            rxCRCErrors: UInt64 = 0, collisions: UInt64 = 0
        ) {
            self.portNumber = portNumber
            self.rxPackets = rxPackets
            self.txPackets = txPackets
            self.rxBytes = rxBytes
            self.txBytes = txBytes
            self.rxDropped = rxDropped
            self.txDropped = txDropped
            self.rxErrors = rxErrors
            self.txErrors = txErrors
            self.rxFrameErrors = rxFrameErrors
            self.rxOverrunErrors = rxOverrunErrors
            self.rxCRCErrors = rxCRCErrors
            self.collisions = collisions
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PortStats {
            guard reader.remaining >= size else {
                throw reader.error(.truncated, "port_stats", "needs \(size) bytes, \(reader.remaining) left")
            }
            let portNumber = try reader.readU16("port_stats.port_no")
            try reader.skip(6, "port_stats.pad")
            return PortStats(
                portNumber: portNumber,
                rxPackets: try reader.readU64("port_stats.rx_packets"),
                txPackets: try reader.readU64("port_stats.tx_packets"),
                rxBytes: try reader.readU64("port_stats.rx_bytes"),
                txBytes: try reader.readU64("port_stats.tx_bytes"),
                rxDropped: try reader.readU64("port_stats.rx_dropped"),
                txDropped: try reader.readU64("port_stats.tx_dropped"),
                rxErrors: try reader.readU64("port_stats.rx_errors"),
                txErrors: try reader.readU64("port_stats.tx_errors"),
                rxFrameErrors: try reader.readU64("port_stats.rx_frame_err"),
                rxOverrunErrors: try reader.readU64("port_stats.rx_over_err"),
                rxCRCErrors: try reader.readU64("port_stats.rx_crc_err"),
                collisions: try reader.readU64("port_stats.collisions"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(6)
            for counter in [
                rxPackets, txPackets, rxBytes, txBytes, rxDropped, txDropped, rxErrors, txErrors, rxFrameErrors,
                rxOverrunErrors, rxCRCErrors, collisions,
            ] {
                buffer.writeInteger(counter)
            }
            return Self.size
        }
    }
}
