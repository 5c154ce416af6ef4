import NIOCore

extension OF13 {
    /// `struct ofp_flow_stats_request` of `OFPMP_FLOW`, and `struct ofp_aggregate_stats_request`
    /// of `OFPMP_AGGREGATE`, which has the same layout (spec 1.3.5 §7.3.5.2, §7.3.5.3): which
    /// flows to report.
    public struct FlowStatsRequest: Hashable, Sendable, Codable {
        /// `OFPTT_ALL`: every table.
        public var tableID: UInt8
        /// Only flows that output to this port (`OFPP_ANY`: no filter).
        public var outPort: UInt32
        /// Only flows that output to this group (`OFPG_ANY`: no filter).
        public var outGroup: UInt32
        public var cookie: UInt64
        /// Which bits of `cookie` must match (0: no filter).
        public var cookieMask: UInt64
        public var match: Match

        /// The fixed part before the match.
        public static let headerSize = 32

        public init(
            tableID: UInt8 = TableNumber.all, outPort: UInt32 = PortNumber.any, outGroup: UInt32 = GroupNumber.any,
            cookie: UInt64 = 0, cookieMask: UInt64 = 0, match: Match = .all
        ) {
            self.tableID = tableID
            self.outPort = outPort
            self.outGroup = outGroup
            self.cookie = cookie
            self.cookieMask = cookieMask
            self.match = match
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowStatsRequest {
            let tableID = try reader.readU8("table_id")
            try reader.skip(3, "pad")
            let outPort = try reader.readU32("out_port")
            let outGroup = try reader.readU32("out_group")
            try reader.skip(4, "pad2")
            let cookie = try reader.readU64("cookie")
            let cookieMask = try reader.readU64("cookie_mask")
            let match = try Match.read(from: &reader)
            return FlowStatsRequest(
                tableID: tableID, outPort: outPort, outGroup: outGroup, cookie: cookie, cookieMask: cookieMask,
                match: match)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            var written = buffer.writeInteger(tableID) + buffer.writeZeros(3)
            written += buffer.writeInteger(outPort) + buffer.writeInteger(outGroup) + buffer.writeZeros(4)
            written += buffer.writeInteger(cookie) + buffer.writeInteger(cookieMask)
            return written + match.write(to: &buffer)
        }
    }

    /// `struct ofp_flow_stats` (spec 1.3.5 §7.3.5.2): one flow entry of an `OFPMP_FLOW` reply.
    /// `length` counts the 48-byte fixed part, the padded match and the instructions.
    public struct FlowStats: Hashable, Sendable, Codable, WireListElement {
        public var tableID: UInt8
        /// Time the flow has been alive: seconds, and nanoseconds beyond them.
        public var durationSeconds: UInt32
        public var durationNanoseconds: UInt32
        public var priority: UInt16
        public var idleTimeout: UInt16
        public var hardTimeout: UInt16
        public var flags: FlowMod.Flags
        public var cookie: UInt64
        public var packetCount: UInt64
        public var byteCount: UInt64
        public var match: Match
        public var instructions: WireList<Instruction>

        /// The fixed part before the match.
        public static let headerSize = 48

        public init(
            tableID: UInt8 = 0, durationSeconds: UInt32 = 0, durationNanoseconds: UInt32 = 0,
            priority: UInt16 = 0x8000, idleTimeout: UInt16 = 0, hardTimeout: UInt16 = 0, flags: FlowMod.Flags = [],
            cookie: UInt64 = 0, packetCount: UInt64 = 0, byteCount: UInt64 = 0, match: Match = .all,
            instructions: WireList<Instruction> = []
        ) {
            self.tableID = tableID
            self.durationSeconds = durationSeconds
            self.durationNanoseconds = durationNanoseconds
            self.priority = priority
            self.idleTimeout = idleTimeout
            self.hardTimeout = hardTimeout
            self.flags = flags
            self.cookie = cookie
            self.packetCount = packetCount
            self.byteCount = byteCount
            self.match = match
            self.instructions = instructions
        }

        /// The encoded size (the value of `length`).
        public var length: Int { Self.headerSize + match.paddedLength + instructions.byteCount }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowStats {
            let length = Int(try reader.readU16("flow_stats.length"))
            guard length >= headerSize + 8 else {
                throw reader.error(.badLength, "flow_stats.length", "\(length) < \(headerSize + 8)")
            }
            var body = try reader.subReader(length - 2, "flow_stats")
            let tableID = try body.readU8("flow_stats.table_id")
            try body.skip(1, "flow_stats.pad")
            let durationSeconds = try body.readU32("flow_stats.duration_sec")
            let durationNanoseconds = try body.readU32("flow_stats.duration_nsec")
            let priority = try body.readU16("flow_stats.priority")
            let idleTimeout = try body.readU16("flow_stats.idle_timeout")
            let hardTimeout = try body.readU16("flow_stats.hard_timeout")
            let flags = FlowMod.Flags(rawValue: try body.readU16("flow_stats.flags"))
            try body.skip(4, "flow_stats.pad2")
            let cookie = try body.readU64("flow_stats.cookie")
            let packetCount = try body.readU64("flow_stats.packet_count")
            let byteCount = try body.readU64("flow_stats.byte_count")
            let match = try Match.read(from: &body)
            let instructions = try WireList<Instruction>(validating: body)
            return FlowStats(
                tableID: tableID, durationSeconds: durationSeconds, durationNanoseconds: durationNanoseconds,
                priority: priority, idleTimeout: idleTimeout, hardTimeout: hardTimeout, flags: flags, cookie: cookie,
                packetCount: packetCount, byteCount: byteCount, match: match, instructions: instructions)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(UInt16(0))  // length, set below
            buffer.writeInteger(tableID)
            buffer.writeZeros(1)
            buffer.writeInteger(durationSeconds)
            buffer.writeInteger(durationNanoseconds)
            buffer.writeInteger(priority)
            buffer.writeInteger(idleTimeout)
            buffer.writeInteger(hardTimeout)
            buffer.writeInteger(flags.rawValue)
            buffer.writeZeros(4)
            buffer.writeInteger(cookie)
            buffer.writeInteger(packetCount)
            buffer.writeInteger(byteCount)
            match.write(to: &buffer)
            instructions.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start)
            return length
        }
    }

    /// `struct ofp_aggregate_stats_reply` (spec 1.3.5 §7.3.5.3): totals over the flows asked for.
    public struct AggregateStats: Hashable, Sendable, Codable {
        public var packetCount: UInt64
        public var byteCount: UInt64
        public var flowCount: UInt32

        public static let size = 24

        public init(packetCount: UInt64 = 0, byteCount: UInt64 = 0, flowCount: UInt32 = 0) {
            self.packetCount = packetCount
            self.byteCount = byteCount
            self.flowCount = flowCount
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> AggregateStats {
            let packetCount = try reader.readU64("packet_count")
            let byteCount = try reader.readU64("byte_count")
            let flowCount = try reader.readU32("flow_count")
            try reader.skip(4, "pad")
            return AggregateStats(packetCount: packetCount, byteCount: byteCount, flowCount: flowCount)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(packetCount) + buffer.writeInteger(byteCount) + buffer.writeInteger(flowCount)
                + buffer.writeZeros(4)
        }
    }
}

extension OF13.FlowStatsRequest: CustomStringConvertible {
    public var description: String {
        var parts = ["table_id=\(tableID == OF13.TableNumber.all ? "ALL" : String(tableID))"]
        if outPort != OF13.PortNumber.any { parts.append("out_port=\(OF13.PortNumber.name(outPort))") }
        if outGroup != OF13.GroupNumber.any { parts.append("out_group=\(outGroup)") }
        if cookieMask != 0 {
            parts.append("cookie=0x\(String(cookie, radix: 16))/0x\(String(cookieMask, radix: 16))")
        }
        parts.append("match=\(match)")
        return parts.joined(separator: ",")
    }
}

extension OF13.FlowStats: CustomStringConvertible {
    public var description: String {
        "cookie=0x\(String(cookie, radix: 16)),duration=\(durationSeconds).\(durationNanoseconds)s,"
            + "table=\(tableID),n_packets=\(packetCount),n_bytes=\(byteCount),priority=\(priority),"
            + "\(match) actions=\(instructions.map(\.description).joined(separator: ","))"
    }
}

extension OF13.AggregateStats: CustomStringConvertible {
    public var description: String {
        "packet_count=\(packetCount),byte_count=\(byteCount),flow_count=\(flowCount)"
    }
}
