import NIOCore

extension OF13 {
    /// `OFPT_MULTIPART_REQUEST`, `struct ofp_multipart_request` (spec 1.3.5 §7.3.5): `type`,
    /// `flags`, 4 bytes of padding, and a body whose layout `type` selects.
    public struct MultipartRequest: OF13MessageBody {
        public var flags: Flags
        public var body: Body

        public init(flags: Flags = [], body: Body) {
            self.flags = flags
            self.body = body
        }

        /// `enum ofp_multipart_type`, from the body.
        public var type: MultipartType { body.type }

        /// `enum ofp_multipart_request_flags`.
        public struct Flags: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            /// `OFPMPF_REQ_MORE`: more requests follow.
            public static let requestMore = Flags(rawValue: 1 << 0)
        }

        /// The request body of each `enum ofp_multipart_type`.
        public enum Body: Hashable, Sendable, Codable {
            /// `OFPMP_DESC`: no body.
            case desc
            /// `OFPMP_FLOW`: `struct ofp_flow_stats_request`.
            case flow(FlowStatsRequest)
            /// `OFPMP_AGGREGATE`: `struct ofp_aggregate_stats_request`.
            case aggregate(FlowStatsRequest)
            /// `OFPMP_TABLE`: no body.
            case table
            /// `OFPMP_PORT_STATS`: `struct ofp_port_stats_request`, the port (`OFPP_ANY`: all).
            case portStats(portNumber: UInt32)
            /// `OFPMP_QUEUE`: `struct ofp_queue_stats_request`.
            case queue(QueueStatsRequest)
            /// `OFPMP_GROUP`: `struct ofp_group_stats_request`, the group (`OFPG_ALL`: all).
            case group(groupID: UInt32)
            /// `OFPMP_GROUP_DESC`: no body.
            case groupDesc
            /// `OFPMP_GROUP_FEATURES`: no body.
            case groupFeatures
            /// `OFPMP_METER`: `struct ofp_meter_multipart_request`.
            case meter(MeterRequest)
            /// `OFPMP_METER_CONFIG`: `struct ofp_meter_multipart_request`.
            case meterConfig(MeterRequest)
            /// `OFPMP_METER_FEATURES`: no body.
            case meterFeatures
            /// `OFPMP_TABLE_FEATURES`: empty to query, or the tables' new features to set.
            case tableFeatures(WireList<TableFeatures>)
            /// `OFPMP_PORT_DESC`: no body.
            case portDesc
            /// `OFPMP_EXPERIMENTER`: `struct ofp_experimenter_multipart_header` and data.
            case experimenter(MultipartExperimenter)
            /// A multipart type this codec does not know: its type and body, kept byte for byte.
            /// (Built with a known type, it decodes back as that type's case.)
            case unknown(type: MultipartType, body: ByteBuffer)

            public var type: MultipartType {
                switch self {
                case .desc: .desc
                case .flow: .flow
                case .aggregate: .aggregate
                case .table: .table
                case .portStats: .portStats
                case .queue: .queue
                case .group: .group
                case .groupDesc: .groupDesc
                case .groupFeatures: .groupFeatures
                case .meter: .meter
                case .meterConfig: .meterConfig
                case .meterFeatures: .meterFeatures
                case .tableFeatures: .tableFeatures
                case .portDesc: .portDesc
                case .experimenter: .experimenter
                case .unknown(let type, _): type
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MultipartRequest {
            let type = MultipartType(rawValue: try reader.readU16("type"))
            let flags = Flags(rawValue: try reader.readU16("flags"))
            try reader.skip(4, "pad")
            let body: Body
            switch type {
            case .desc: body = .desc
            case .flow: body = .flow(try FlowStatsRequest.read(from: &reader))
            case .aggregate: body = .aggregate(try FlowStatsRequest.read(from: &reader))
            case .table: body = .table
            case .portStats:
                let port = try reader.readU32("port_no")
                try reader.skip(4, "pad")
                body = .portStats(portNumber: port)
            case .queue: body = .queue(try QueueStatsRequest.read(from: &reader))
            case .group:
                let group = try reader.readU32("group_id")
                try reader.skip(4, "pad")
                body = .group(groupID: group)
            case .groupDesc: body = .groupDesc
            case .groupFeatures: body = .groupFeatures
            case .meter: body = .meter(try MeterRequest.read(from: &reader))
            case .meterConfig: body = .meterConfig(try MeterRequest.read(from: &reader))
            case .meterFeatures: body = .meterFeatures
            case .tableFeatures:
                body = .tableFeatures(try WireList(validating: reader.subReader(reader.remaining, "body")))
            case .portDesc: body = .portDesc
            case .experimenter: body = .experimenter(try MultipartExperimenter.read(from: &reader))
            default: body = .unknown(type: type, body: reader.readRest())
            }
            // Bodyless types with trailing bytes are rejected by the caller's length check.
            return MultipartRequest(flags: flags, body: body)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(type.rawValue)
            buffer.writeInteger(flags.rawValue)
            buffer.writeZeros(4)
            switch body {
            case .desc, .table, .groupDesc, .groupFeatures, .meterFeatures, .portDesc:
                break
            case .flow(let request), .aggregate(let request):
                request.write(to: &buffer)
            case .portStats(let id), .group(let id):
                buffer.writeInteger(id)
                buffer.writeZeros(4)
            case .queue(let request):
                request.write(to: &buffer)
            case .meter(let request), .meterConfig(let request):
                request.write(to: &buffer)
            case .tableFeatures(let tables):
                tables.write(to: &buffer)
            case .experimenter(let experimenter):
                experimenter.write(to: &buffer)
            case .unknown(_, let body):
                buffer.writeImmutableBuffer(body)
            }
        }
    }

    /// `enum ofp_multipart_type` (spec 1.3.5 §7.3.5). An open set: unknown values decode and
    /// are kept.
    public struct MultipartType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let desc = MultipartType(rawValue: 0)
        public static let flow = MultipartType(rawValue: 1)
        public static let aggregate = MultipartType(rawValue: 2)
        public static let table = MultipartType(rawValue: 3)
        public static let portStats = MultipartType(rawValue: 4)
        public static let queue = MultipartType(rawValue: 5)
        public static let group = MultipartType(rawValue: 6)
        public static let groupDesc = MultipartType(rawValue: 7)
        public static let groupFeatures = MultipartType(rawValue: 8)
        public static let meter = MultipartType(rawValue: 9)
        public static let meterConfig = MultipartType(rawValue: 10)
        public static let meterFeatures = MultipartType(rawValue: 11)
        public static let tableFeatures = MultipartType(rawValue: 12)
        public static let portDesc = MultipartType(rawValue: 13)
        public static let experimenter = MultipartType(rawValue: 0xFFFF)

        public var description: String {
            switch rawValue {
            case 0: "OFPMP_DESC"
            case 1: "OFPMP_FLOW"
            case 2: "OFPMP_AGGREGATE"
            case 3: "OFPMP_TABLE"
            case 4: "OFPMP_PORT_STATS"
            case 5: "OFPMP_QUEUE"
            case 6: "OFPMP_GROUP"
            case 7: "OFPMP_GROUP_DESC"
            case 8: "OFPMP_GROUP_FEATURES"
            case 9: "OFPMP_METER"
            case 10: "OFPMP_METER_CONFIG"
            case 11: "OFPMP_METER_FEATURES"
            case 12: "OFPMP_TABLE_FEATURES"
            case 13: "OFPMP_PORT_DESC"
            case 0xFFFF: "OFPMP_EXPERIMENTER"
            default: "OFPMP_\(rawValue)"
            }
        }
    }

    /// `struct ofp_experimenter_multipart_header` (spec 1.3.5 §7.3.5.15) and the data after it,
    /// the body of `OFPMP_EXPERIMENTER` requests and replies. The data is kept byte for byte.
    public struct MultipartExperimenter: Hashable, Sendable, Codable {
        public var experimenter: UInt32
        public var experimenterType: UInt32
        public var data: ByteBuffer

        public init(experimenter: UInt32, experimenterType: UInt32, data: ByteBuffer = ByteBuffer()) {
            self.experimenter = experimenter
            self.experimenterType = experimenterType
            self.data = data
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MultipartExperimenter {
            MultipartExperimenter(
                experimenter: try reader.readU32("experimenter"), experimenterType: try reader.readU32("exp_type"),
                data: reader.readRest())
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(experimenter) + buffer.writeInteger(experimenterType) + buffer.writeImmutableBuffer(data)
        }
    }
}

extension OF13.MultipartRequest: CustomStringConvertible {
    public var description: String {
        let more = flags.contains(.requestMore) ? " (more)" : ""
        switch body {
        case .desc, .table, .groupDesc, .groupFeatures, .meterFeatures, .portDesc:
            return "\(type) request\(more)"
        case .flow(let request), .aggregate(let request): return "\(type) request\(more): \(request)"
        case .portStats(let port): return "\(type) request\(more): port=\(OF13.PortNumber.name(port))"
        case .queue(let request):
            return "\(type) request\(more): port=\(OF13.PortNumber.name(request.portNumber)),queue=\(request.queueID)"
        case .group(let group): return "\(type) request\(more): group_id=\(group)"
        case .meter(let request), .meterConfig(let request): return "\(type) request\(more): meter=\(request.meterID)"
        case .tableFeatures(let tables): return "\(type) request\(more): \(tables)"
        case .experimenter(let e): return "\(type) request\(more): \(e)"
        case .unknown(_, let body): return "\(type) request\(more): \(HexBytes.format(body.readableBytesView))"
        }
    }
}

extension OF13.MultipartExperimenter: CustomStringConvertible {
    public var description: String {
        "experimenter=0x\(String(experimenter, radix: 16)),exp_type=\(experimenterType),"
            + "\(HexBytes.format(data.readableBytesView))"
    }
}
