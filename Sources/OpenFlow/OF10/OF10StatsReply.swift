import NIOCore

extension OF10 {
    /// `OFPT_STATS_REPLY`, `struct ofp_stats_reply` (spec 1.0.0 §5.3.5): a stats type, flags
    /// (`OFPSF_REPLY_MORE`: more replies follow) and a body that depends on the type. Lists of
    /// entries stay in their wire form (``WireList``) and decode as they are iterated.
    public struct StatsReply: OF10MessageBody {
        public var flags: Flags
        public var body: Body

        public init(_ body: Body, flags: Flags = []) {
            self.flags = flags
            self.body = body
        }

        /// `enum ofp_stats_reply_flags`.
        public struct Flags: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            /// `OFPSF_REPLY_MORE`: more replies to the same request follow.
            public static let replyMore = Flags(rawValue: 1 << 0)
        }

        /// The reply body for each `enum ofp_stats_types`.
        public enum Body: Hashable, Sendable, Codable {
            /// `OFPST_DESC`: `struct ofp_desc_stats`.
            case desc(DescStats)
            /// `OFPST_FLOW`: `struct ofp_flow_stats` entries.
            case flow(WireList<FlowStats>)
            /// `OFPST_AGGREGATE`: `struct ofp_aggregate_stats_reply`.
            case aggregate(AggregateStats)
            /// `OFPST_TABLE`: `struct ofp_table_stats` entries.
            case table(WireList<TableStats>)
            /// `OFPST_PORT`: `struct ofp_port_stats` entries.
            case port(WireList<PortStats>)
            /// `OFPST_QUEUE`: `struct ofp_queue_stats` entries.
            case queue(WireList<QueueStats>)
            /// `OFPST_VENDOR`: a vendor id and a body kept byte for byte.
            case vendor(id: UInt32, body: ByteBuffer)
            /// A stats type this codec does not know.
            case unknown(type: UInt16, body: ByteBuffer)

            public var type: StatsType {
                switch self {
                case .desc: .desc
                case .flow: .flow
                case .aggregate: .aggregate
                case .table: .table
                case .port: .port
                case .queue: .queue
                case .vendor: .vendor
                case .unknown(let type, _): StatsType(rawValue: type)
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> StatsReply {
            let type = StatsType(rawValue: try reader.readU16("type"))
            let flags = Flags(rawValue: try reader.readU16("flags"))
            func list<Entry: WireListElement>(_ name: StaticString) throws(OpenFlowError) -> WireList<Entry> {
                try WireList(validating: reader.subReader(reader.remaining, name))
            }
            let body: Body
            switch type {
            case .desc: body = .desc(try DescStats.read(from: &reader))
            case .flow: body = .flow(try list("flow_stats"))
            case .aggregate: body = .aggregate(try AggregateStats.read(from: &reader))
            case .table: body = .table(try list("table_stats"))
            case .port: body = .port(try list("port_stats"))
            case .queue: body = .queue(try list("queue_stats"))
            case .vendor: body = .vendor(id: try reader.readU32("vendor"), body: reader.readRest())
            default: body = .unknown(type: type.rawValue, body: reader.readRest())
            }
            return StatsReply(body, flags: flags)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(body.type.rawValue)
            buffer.writeInteger(flags.rawValue)
            switch body {
            case .desc(let desc): desc.write(to: &buffer)
            case .flow(let entries): entries.write(to: &buffer)
            case .aggregate(let aggregate): aggregate.write(to: &buffer)
            case .table(let entries): entries.write(to: &buffer)
            case .port(let entries): entries.write(to: &buffer)
            case .queue(let entries): entries.write(to: &buffer)
            case .vendor(let id, let data):
                buffer.writeInteger(id)
                buffer.writeImmutableBuffer(data)
            case .unknown(_, let data): buffer.writeImmutableBuffer(data)
            }
        }
    }
}
