import NIOCore

extension OF10 {
    /// `OFPT_FLOW_REMOVED`, `struct ofp_flow_removed` (spec 1.0.0 §5.4.2): 80 bytes of body.
    public struct FlowRemoved: OF10MessageBody {
        public var match: Match
        public var cookie: UInt64
        public var priority: UInt16
        public var reason: Reason
        public var durationSec: UInt32
        public var durationNsec: UInt32
        public var idleTimeout: UInt16
        public var packetCount: UInt64
        public var byteCount: UInt64

        public init(
            match: Match, cookie: UInt64 = 0, priority: UInt16, reason: Reason, durationSec: UInt32 = 0,
            durationNsec: UInt32 = 0, idleTimeout: UInt16 = 0, packetCount: UInt64 = 0, byteCount: UInt64 = 0
        ) {
            self.match = match
            self.cookie = cookie
            self.priority = priority
            self.reason = reason
            self.durationSec = durationSec
            self.durationNsec = durationNsec
            self.idleTimeout = idleTimeout
            self.packetCount = packetCount
            self.byteCount = byteCount
        }

        /// `enum ofp_flow_removed_reason`.
        public struct Reason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let idleTimeout = Reason(rawValue: 0)
            public static let hardTimeout = Reason(rawValue: 1)
            public static let delete = Reason(rawValue: 2)
            public var description: String {
                switch rawValue {
                case 0: "idle"
                case 1: "hard"
                case 2: "delete"
                default: "reason(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowRemoved {
            let match = try Match.read(from: &reader)
            let cookie = try reader.readU64("cookie")
            let priority = try reader.readU16("priority")
            let reason = Reason(rawValue: try reader.readU8("reason"))
            try reader.skip(1, "pad")
            let durationSec = try reader.readU32("duration_sec")
            let durationNsec = try reader.readU32("duration_nsec")
            let idleTimeout = try reader.readU16("idle_timeout")
            try reader.skip(2, "pad2")
            return FlowRemoved(
                match: match, cookie: cookie, priority: priority, reason: reason, durationSec: durationSec,
                durationNsec: durationNsec, idleTimeout: idleTimeout,
                packetCount: try reader.readU64("packet_count"), byteCount: try reader.readU64("byte_count"))
        }

        public func write(to buffer: inout ByteBuffer) {
            match.write(to: &buffer)
            buffer.writeInteger(cookie)
            buffer.writeInteger(priority)
            buffer.writeInteger(reason.rawValue)
            buffer.writeZeros(1)
            buffer.writeInteger(durationSec)
            buffer.writeInteger(durationNsec)
            buffer.writeInteger(idleTimeout)
            buffer.writeZeros(2)
            buffer.writeInteger(packetCount)
            buffer.writeInteger(byteCount)
        }
    }
}
