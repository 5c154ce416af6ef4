import NIOCore

extension OF13 {
    /// `OFPT_FLOW_REMOVED`, `struct ofp_flow_removed` (spec 1.3.5 §7.4.2).
    public struct FlowRemoved: OF13MessageBody {
        public var cookie: UInt64
        public var priority: UInt16
        public var reason: Reason
        public var tableID: UInt8
        public var durationSec: UInt32
        public var durationNsec: UInt32
        public var idleTimeout: UInt16
        public var hardTimeout: UInt16
        public var packetCount: UInt64
        public var byteCount: UInt64
        public var match: Match

        public init(
            cookie: UInt64 = 0, priority: UInt16, reason: Reason, tableID: UInt8 = 0,
            durationSec: UInt32 = 0, durationNsec: UInt32 = 0, idleTimeout: UInt16 = 0,
            hardTimeout: UInt16 = 0, packetCount: UInt64 = 0, byteCount: UInt64 = 0, match: Match
        ) {
            self.cookie = cookie
            self.priority = priority
            self.reason = reason
            self.tableID = tableID
            self.durationSec = durationSec
            self.durationNsec = durationNsec
            self.idleTimeout = idleTimeout
            self.hardTimeout = hardTimeout
            self.packetCount = packetCount
            self.byteCount = byteCount
            self.match = match
        }

        /// `enum ofp_flow_removed_reason`.
        public struct Reason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let idleTimeout = Reason(rawValue: 0)
            public static let hardTimeout = Reason(rawValue: 1)
            public static let delete = Reason(rawValue: 2)
            public static let groupDelete = Reason(rawValue: 3)
            public var description: String {
                switch rawValue {
                case 0: "idle"
                case 1: "hard"
                case 2: "delete"
                case 3: "group_delete"
                default: "reason(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowRemoved {
            FlowRemoved(
                cookie: try reader.readU64("cookie"),
                priority: try reader.readU16("priority"),
                reason: Reason(rawValue: try reader.readU8("reason")),
                tableID: try reader.readU8("table_id"),
                durationSec: try reader.readU32("duration_sec"),
                durationNsec: try reader.readU32("duration_nsec"),
                idleTimeout: try reader.readU16("idle_timeout"),
                hardTimeout: try reader.readU16("hard_timeout"),
                packetCount: try reader.readU64("packet_count"),
                byteCount: try reader.readU64("byte_count"),
                match: try Match.read(from: &reader))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(cookie)
            buffer.writeInteger(priority)
            buffer.writeInteger(reason.rawValue)
            buffer.writeInteger(tableID)
            buffer.writeInteger(durationSec)
            buffer.writeInteger(durationNsec)
            buffer.writeInteger(idleTimeout)
            buffer.writeInteger(hardTimeout)
            buffer.writeInteger(packetCount)
            buffer.writeInteger(byteCount)
            match.write(to: &buffer)
        }
    }
}
