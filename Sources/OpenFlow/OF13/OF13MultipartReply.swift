import NIOCore

extension OF13 {
    /// `OFPT_MULTIPART_REPLY`, `struct ofp_multipart_reply` (spec 1.3.5 §7.3.5): `type`,
    /// `flags`, 4 bytes of padding, and a body whose layout `type` selects. Lists of entries
    /// are kept as ``WireList``s: one reply may carry thousands of flows, and they are
    /// decoded only as they are read.
    public struct MultipartReply: OF13MessageBody {
        public var flags: Flags
        public var body: Body

        public init(flags: Flags = [], body: Body) {
            self.flags = flags
            self.body = body
        }

        /// `enum ofp_multipart_type`, from the body.
        public var type: MultipartType { body.type }

        /// `enum ofp_multipart_reply_flags`.
        public struct Flags: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            /// `OFPMPF_REPLY_MORE`: more replies follow.
            public static let replyMore = Flags(rawValue: 1 << 0)
        }

        /// The reply body of each `enum ofp_multipart_type`.
        public enum Body: Hashable, Sendable, Codable {
            /// `OFPMP_DESC`: `struct ofp_desc`.
            case desc(SwitchDescription)
            /// `OFPMP_FLOW`: `struct ofp_flow_stats` entries.
            case flow(WireList<FlowStats>)
            /// `OFPMP_AGGREGATE`: `struct ofp_aggregate_stats_reply`.
            case aggregate(AggregateStats)
            /// `OFPMP_TABLE`: `struct ofp_table_stats` entries.
            case table(WireList<TableStats>)
            /// `OFPMP_PORT_STATS`: `struct ofp_port_stats` entries.
            case portStats(WireList<PortStats>)
            /// `OFPMP_QUEUE`: `struct ofp_queue_stats` entries.
            case queue(WireList<QueueStats>)
            /// `OFPMP_GROUP`: `struct ofp_group_stats` entries.
            case group(WireList<GroupStats>)
            /// `OFPMP_GROUP_DESC`: `struct ofp_group_desc` entries.
            case groupDesc(WireList<GroupDescription>)
            /// `OFPMP_GROUP_FEATURES`: `struct ofp_group_features`.
            case groupFeatures(GroupFeatures)
            /// `OFPMP_METER`: `struct ofp_meter_stats` entries.
            case meter(WireList<MeterStats>)
            /// `OFPMP_METER_CONFIG`: `struct ofp_meter_config` entries.
            case meterConfig(WireList<MeterConfig>)
            /// `OFPMP_METER_FEATURES`: `struct ofp_meter_features`.
            case meterFeatures(MeterFeatures)
            /// `OFPMP_TABLE_FEATURES`: `struct ofp_table_features` entries.
            case tableFeatures(WireList<TableFeatures>)
            /// `OFPMP_PORT_DESC`: `struct ofp_port` entries.
            case portDesc(WireList<Port>)
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

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MultipartReply {
            let type = MultipartType(rawValue: try reader.readU16("type"))
            let flags = Flags(rawValue: try reader.readU16("flags"))
            try reader.skip(4, "pad")
            func list<Element: WireListElement>(_: Element.Type) throws(OpenFlowError) -> WireList<Element> {
                try WireList<Element>(validating: reader.subReader(reader.remaining, "body"))
            }
            let body: Body
            switch type {
            case .desc: body = .desc(try SwitchDescription.read(from: &reader))
            case .flow: body = .flow(try list(FlowStats.self))
            case .aggregate: body = .aggregate(try AggregateStats.read(from: &reader))
            case .table: body = .table(try list(TableStats.self))
            case .portStats: body = .portStats(try list(PortStats.self))
            case .queue: body = .queue(try list(QueueStats.self))
            case .group: body = .group(try list(GroupStats.self))
            case .groupDesc: body = .groupDesc(try list(GroupDescription.self))
            case .groupFeatures: body = .groupFeatures(try GroupFeatures.read(from: &reader))
            case .meter: body = .meter(try list(MeterStats.self))
            case .meterConfig: body = .meterConfig(try list(MeterConfig.self))
            case .meterFeatures: body = .meterFeatures(try MeterFeatures.read(from: &reader))
            case .tableFeatures: body = .tableFeatures(try list(TableFeatures.self))
            case .portDesc: body = .portDesc(try list(Port.self))
            case .experimenter: body = .experimenter(try MultipartExperimenter.read(from: &reader))
            default: body = .unknown(type: type, body: reader.readRest())
            }
            return MultipartReply(flags: flags, body: body)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(type.rawValue)
            buffer.writeInteger(flags.rawValue)
            buffer.writeZeros(4)
            switch body {
            case .desc(let desc): desc.write(to: &buffer)
            case .flow(let list): list.write(to: &buffer)
            case .aggregate(let stats): stats.write(to: &buffer)
            case .table(let list): list.write(to: &buffer)
            case .portStats(let list): list.write(to: &buffer)
            case .queue(let list): list.write(to: &buffer)
            case .group(let list): list.write(to: &buffer)
            case .groupDesc(let list): list.write(to: &buffer)
            case .groupFeatures(let features): features.write(to: &buffer)
            case .meter(let list): list.write(to: &buffer)
            case .meterConfig(let list): list.write(to: &buffer)
            case .meterFeatures(let features): features.write(to: &buffer)
            case .tableFeatures(let list): list.write(to: &buffer)
            case .portDesc(let list): list.write(to: &buffer)
            case .experimenter(let experimenter): experimenter.write(to: &buffer)
            case .unknown(_, let body): buffer.writeImmutableBuffer(body)
            }
        }
    }
}

extension OF13.MultipartReply: CustomStringConvertible {
    public var description: String {
        let more = flags.contains(.replyMore) ? " (more)" : ""
        let content: String
        switch body {
        case .desc(let d): content = "\(d)"
        case .flow(let l): content = "\(l)"
        case .aggregate(let a): content = "\(a)"
        case .table(let l): content = "\(l)"
        case .portStats(let l): content = "\(l)"
        case .queue(let l): content = "\(l)"
        case .group(let l): content = "\(l)"
        case .groupDesc(let l): content = "\(l)"
        case .groupFeatures(let f): content = "\(f)"
        case .meter(let l): content = "\(l)"
        case .meterConfig(let l): content = "\(l)"
        case .meterFeatures(let f): content = "\(f)"
        case .tableFeatures(let l): content = "\(l)"
        case .portDesc(let l): content = "\(l)"
        case .experimenter(let e): content = "\(e)"
        case .unknown(_, let body): content = HexBytes.format(body.readableBytesView)
        }
        return "\(type) reply\(more): \(content)"
    }
}
