import NIOCore

extension OF13 {
    /// `struct ofp_table_stats` (spec 1.3.5 §7.3.5.4): 24 bytes per table in an `OFPMP_TABLE`
    /// reply.
    public struct TableStats: Hashable, Sendable, Codable, WireListElement {
        public var tableID: UInt8
        /// Active entries.
        public var activeCount: UInt32
        /// Packets looked up in the table.
        public var lookupCount: UInt64
        /// Packets that hit an entry.
        public var matchedCount: UInt64

        public static let size = 24

        public init(tableID: UInt8, activeCount: UInt32 = 0, lookupCount: UInt64 = 0, matchedCount: UInt64 = 0) {
            self.tableID = tableID
            self.activeCount = activeCount
            self.lookupCount = lookupCount
            self.matchedCount = matchedCount
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> TableStats {
            let tableID = try reader.readU8("table_stats.table_id")
            try reader.skip(3, "table_stats.pad")
            return TableStats(
                tableID: tableID, activeCount: try reader.readU32("table_stats.active_count"),
                lookupCount: try reader.readU64("table_stats.lookup_count"),
                matchedCount: try reader.readU64("table_stats.matched_count"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(tableID) + buffer.writeZeros(3) + buffer.writeInteger(activeCount)
                + buffer.writeInteger(lookupCount) + buffer.writeInteger(matchedCount)
        }
    }

    /// `struct ofp_port_stats` (spec 1.3.5 §7.3.5.6): 112 bytes per port in an `OFPMP_PORT_STATS`
    /// reply. A counter the switch does not keep is all ones.
    public struct PortStats: Hashable, Sendable, Codable, WireListElement {
        public var portNumber: UInt32
        public var rxPackets: UInt64
        public var txPackets: UInt64
        public var rxBytes: UInt64
        public var txBytes: UInt64
        public var rxDropped: UInt64
        public var txDropped: UInt64
        public var rxErrors: UInt64
        public var txErrors: UInt64
        public var rxFrameErrors: UInt64
        public var rxOverErrors: UInt64
        public var rxCRCErrors: UInt64
        public var collisions: UInt64
        public var durationSeconds: UInt32
        public var durationNanoseconds: UInt32

        public static let size = 112

        public init(
            portNumber: UInt32, rxPackets: UInt64 = 0, txPackets: UInt64 = 0, rxBytes: UInt64 = 0,
            txBytes: UInt64 = 0, rxDropped: UInt64 = 0, txDropped: UInt64 = 0, rxErrors: UInt64 = 0,
            txErrors: UInt64 = 0, rxFrameErrors: UInt64 = 0, rxOverErrors: UInt64 = 0, rxCRCErrors: UInt64 = 0,
            collisions: UInt64 = 0, durationSeconds: UInt32 = 0, durationNanoseconds: UInt32 = 0
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
            self.rxOverErrors = rxOverErrors
            self.rxCRCErrors = rxCRCErrors
            self.collisions = collisions
            self.durationSeconds = durationSeconds
            self.durationNanoseconds = durationNanoseconds
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PortStats {
            let portNumber = try reader.readU32("port_stats.port_no")
            try reader.skip(4, "port_stats.pad")
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
                rxOverErrors: try reader.readU64("port_stats.rx_over_err"),
                rxCRCErrors: try reader.readU64("port_stats.rx_crc_err"),
                collisions: try reader.readU64("port_stats.collisions"),
                durationSeconds: try reader.readU32("port_stats.duration_sec"),
                durationNanoseconds: try reader.readU32("port_stats.duration_nsec"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            var written = buffer.writeInteger(portNumber) + buffer.writeZeros(4)
            for counter in [
                rxPackets, txPackets, rxBytes, txBytes, rxDropped, txDropped, rxErrors, txErrors, rxFrameErrors,
                rxOverErrors, rxCRCErrors, collisions,
            ] {
                written += buffer.writeInteger(counter)
            }
            return written + buffer.writeInteger(durationSeconds) + buffer.writeInteger(durationNanoseconds)
        }
    }

    /// `struct ofp_queue_stats_request` (spec 1.3.5 §7.3.5.8): which queues to report.
    public struct QueueStatsRequest: Hashable, Sendable, Codable {
        /// `OFPP_ANY`: every port.
        public var portNumber: UInt32
        /// `OFPQ_ALL`: every queue.
        public var queueID: UInt32

        public static let size = 8

        public init(portNumber: UInt32 = PortNumber.any, queueID: UInt32 = QueueNumber.all) {
            self.portNumber = portNumber
            self.queueID = queueID
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueStatsRequest {
            QueueStatsRequest(portNumber: try reader.readU32("port_no"), queueID: try reader.readU32("queue_id"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(portNumber) + buffer.writeInteger(queueID)
        }
    }

    /// `struct ofp_queue_stats` (spec 1.3.5 §7.3.5.8): 40 bytes per queue in an `OFPMP_QUEUE`
    /// reply.
    public struct QueueStats: Hashable, Sendable, Codable, WireListElement {
        public var portNumber: UInt32
        public var queueID: UInt32
        public var txBytes: UInt64
        public var txPackets: UInt64
        public var txErrors: UInt64
        public var durationSeconds: UInt32
        public var durationNanoseconds: UInt32

        public static let size = 40

        public init(
            portNumber: UInt32, queueID: UInt32, txBytes: UInt64 = 0, txPackets: UInt64 = 0, txErrors: UInt64 = 0,
            durationSeconds: UInt32 = 0, durationNanoseconds: UInt32 = 0
        ) {
            self.portNumber = portNumber
            self.queueID = queueID
            self.txBytes = txBytes
            self.txPackets = txPackets
            self.txErrors = txErrors
            self.durationSeconds = durationSeconds
            self.durationNanoseconds = durationNanoseconds
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueStats {
            QueueStats(
                portNumber: try reader.readU32("queue_stats.port_no"),
                queueID: try reader.readU32("queue_stats.queue_id"),
                txBytes: try reader.readU64("queue_stats.tx_bytes"),
                txPackets: try reader.readU64("queue_stats.tx_packets"),
                txErrors: try reader.readU64("queue_stats.tx_errors"),
                durationSeconds: try reader.readU32("queue_stats.duration_sec"),
                durationNanoseconds: try reader.readU32("queue_stats.duration_nsec"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(portNumber) + buffer.writeInteger(queueID) + buffer.writeInteger(txBytes)
                + buffer.writeInteger(txPackets) + buffer.writeInteger(txErrors)
                + buffer.writeInteger(durationSeconds) + buffer.writeInteger(durationNanoseconds)
        }
    }
}

extension OF13.TableStats: CustomStringConvertible {
    public var description: String {
        "table \(tableID): active=\(activeCount),lookup=\(lookupCount),matched=\(matchedCount)"
    }
}

extension OF13.PortStats: CustomStringConvertible {
    public var description: String {
        "port \(OF13.PortNumber.name(portNumber)): rx pkts=\(rxPackets),bytes=\(rxBytes),drop=\(rxDropped),"
            + "errs=\(rxErrors) tx pkts=\(txPackets),bytes=\(txBytes),drop=\(txDropped),errs=\(txErrors)"
    }
}

extension OF13.QueueStats: CustomStringConvertible {
    public var description: String {
        "port \(OF13.PortNumber.name(portNumber)) queue \(queueID): bytes=\(txBytes),pkts=\(txPackets),errors=\(txErrors)"
    }
}
