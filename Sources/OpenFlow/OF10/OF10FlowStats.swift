import NIOCore

extension OF10 {
    /// `struct ofp_flow_stats` (spec 1.0.0 §5.3.5): one flow of an `OFPST_FLOW` reply, 88
    /// bytes and its actions, with a `length` that counts both.
    public struct FlowStats: Hashable, Sendable, Codable, WireListElement {
        public var tableID: UInt8
        public var match: Match
        public var durationSec: UInt32
        public var durationNsec: UInt32
        public var priority: UInt16
        public var idleTimeout: UInt16
        public var hardTimeout: UInt16
        public var cookie: UInt64
        public var packetCount: UInt64
        public var byteCount: UInt64
        public var actions: WireList<Action>

        public static let fixedSize = 88

        public init(
            tableID: UInt8 = 0, match: Match, durationSec: UInt32 = 0, durationNsec: UInt32 = 0,
            priority: UInt16 = 0x8000, idleTimeout: UInt16 = 0, hardTimeout: UInt16 = 0, cookie: UInt64 = 0,
            packetCount: UInt64 = 0, byteCount: UInt64 = 0, actions: WireList<Action> = []
        ) {
            self.tableID = tableID
            self.match = match
            self.durationSec = durationSec
            self.durationNsec = durationNsec
            self.priority = priority
            self.idleTimeout = idleTimeout
            self.hardTimeout = hardTimeout
            self.cookie = cookie
            self.packetCount = packetCount
            self.byteCount = byteCount
            self.actions = actions
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowStats {
            let length = Int(try reader.readU16("flow_stats.length"))
            guard length >= fixedSize else {
                throw reader.error(.badLength, "flow_stats.length", "\(length) < \(fixedSize)")
            }
            // `length - 2`: the length field itself has been read.
            guard length - 2 <= reader.remaining else {
                throw reader.error(.badLength, "flow_stats.length", "\(length), only \(reader.remaining + 2) bytes left")
            }
            var entry = try reader.subReader(length - 2, "flow_stats")
            let tableID = try entry.readU8("flow_stats.table_id")
            try entry.skip(1, "flow_stats.pad")
            let match = try Match.read(from: &entry)
            let durationSec = try entry.readU32("flow_stats.duration_sec")
            let durationNsec = try entry.readU32("flow_stats.duration_nsec")
            let priority = try entry.readU16("flow_stats.priority")
            let idleTimeout = try entry.readU16("flow_stats.idle_timeout")
            let hardTimeout = try entry.readU16("flow_stats.hard_timeout")
            try entry.skip(6, "flow_stats.pad2")
            let cookie = try entry.readU64("flow_stats.cookie")
            let packetCount = try entry.readU64("flow_stats.packet_count")
            let byteCount = try entry.readU64("flow_stats.byte_count")
            let actions = try WireList<Action>(validating: entry.subReader(entry.remaining, "flow_stats.actions"))
            return FlowStats(
                tableID: tableID, match: match, durationSec: durationSec, durationNsec: durationNsec,
                priority: priority, idleTimeout: idleTimeout, hardTimeout: hardTimeout, cookie: cookie,
                packetCount: packetCount, byteCount: byteCount, actions: actions)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let length = Self.fixedSize + actions.byteCount
            buffer.writeInteger(UInt16(truncatingIfNeeded: length))
            buffer.writeInteger(tableID)
            buffer.writeZeros(1)
            match.write(to: &buffer)
            buffer.writeInteger(durationSec)
            buffer.writeInteger(durationNsec)
            buffer.writeInteger(priority)
            buffer.writeInteger(idleTimeout)
            buffer.writeInteger(hardTimeout)
            buffer.writeZeros(6)
            buffer.writeInteger(cookie)
            buffer.writeInteger(packetCount)
            buffer.writeInteger(byteCount)
            actions.write(to: &buffer)
            return length
        }
    }
}
