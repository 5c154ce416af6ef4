import NIOCore

extension OF10 {
    /// `OFPT_STATS_REQUEST`, `struct ofp_stats_request` (spec 1.0.0 §5.3.5): a stats type,
    /// flags (none defined for requests) and a body that depends on the type.
    public struct StatsRequest: OF10MessageBody {
        public var flags: UInt16
        public var body: Body

        public init(_ body: Body, flags: UInt16 = 0) {
            self.flags = flags
            self.body = body
        }

        /// The request body for each `enum ofp_stats_types`.
        public enum Body: Hashable, Sendable, Codable {
            /// `OFPST_DESC`: no body.
            case desc
            /// `OFPST_FLOW`: `struct ofp_flow_stats_request`.
            case flow(FlowStatsRequest)
            /// `OFPST_AGGREGATE`: `struct ofp_aggregate_stats_request`, laid out as the flow one.
            case aggregate(FlowStatsRequest)
            /// `OFPST_TABLE`: no body.
            case table
            /// `OFPST_PORT`: `struct ofp_port_stats_request`.
            case port(PortStatsRequest)
            /// `OFPST_QUEUE`: `struct ofp_queue_stats_request`.
            case queue(QueueStatsRequest)
            /// `OFPST_VENDOR`: a vendor id and a body kept byte for byte.
            case vendor(id: UInt32, body: ByteBuffer)
            /// A stats type this codec does not know (a switch answers `OFPBRC_BAD_STAT`).
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

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> StatsRequest {
            let type = StatsType(rawValue: try reader.readU16("type"))
            let flags = try reader.readU16("flags")
            let body: Body
            switch type {
            case .desc: body = .desc
            case .flow: body = .flow(try FlowStatsRequest.read(from: &reader))
            case .aggregate: body = .aggregate(try FlowStatsRequest.read(from: &reader))
            case .table: body = .table
            case .port: body = .port(try PortStatsRequest.read(from: &reader))
            case .queue: body = .queue(try QueueStatsRequest.read(from: &reader))
            case .vendor: body = .vendor(id: try reader.readU32("vendor"), body: reader.readRest())
            default: body = .unknown(type: type.rawValue, body: reader.readRest())
            }
            return StatsRequest(body, flags: flags)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(body.type.rawValue)
            buffer.writeInteger(flags)
            switch body {
            case .desc, .table: break
            case .flow(let request), .aggregate(let request): request.write(to: &buffer)
            case .port(let request): request.write(to: &buffer)
            case .queue(let request): request.write(to: &buffer)
            case .vendor(let id, let data):
                buffer.writeInteger(id)
                buffer.writeImmutableBuffer(data)
            case .unknown(_, let data): buffer.writeImmutableBuffer(data)
            }
        }
    }
}
