import NIOCore

extension OF10 {
    /// `OFPT_FEATURES_REPLY`, `struct ofp_switch_features` (spec 1.0.0 §5.3.1): 24 bytes and
    /// then one 48-byte `struct ofp_phy_port` per port.
    public struct FeaturesReply: OF10MessageBody {
        public var datapathID: UInt64
        public var bufferCount: UInt32
        public var tableCount: UInt8
        public var capabilities: Capabilities
        /// Bit `n` set: action type `n` (`enum ofp_action_type`) is supported.
        public var actions: SupportedActions
        public var ports: WireList<PhysicalPort>

        public init(
            datapathID: UInt64, bufferCount: UInt32 = 0, tableCount: UInt8 = 1, capabilities: Capabilities = [],
            actions: SupportedActions = [], ports: WireList<PhysicalPort> = []
        ) {
            self.datapathID = datapathID
            self.bufferCount = bufferCount
            self.tableCount = tableCount
            self.capabilities = capabilities
            self.actions = actions
            self.ports = ports
        }

        /// `enum ofp_capabilities`.
        public struct Capabilities: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let flowStats = Capabilities(rawValue: 1 << 0)
            public static let tableStats = Capabilities(rawValue: 1 << 1)
            public static let portStats = Capabilities(rawValue: 1 << 2)
            public static let stp = Capabilities(rawValue: 1 << 3)
            /// `OFPC_RESERVED`: must be zero.
            public static let reserved = Capabilities(rawValue: 1 << 4)
            public static let ipReasm = Capabilities(rawValue: 1 << 5)
            public static let queueStats = Capabilities(rawValue: 1 << 6)
            public static let arpMatchIP = Capabilities(rawValue: 1 << 7)
        }

        /// The `actions` bitmap: `1 << ofp_action_type` for each supported action.
        public struct SupportedActions: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public init(_ kind: Action.Kind) {
                self.rawValue = kind.rawValue < 32 ? 1 << UInt32(kind.rawValue) : 0
            }
            public static let output = Self(.output)
            public static let setVLANVID = Self(.setVLANVID)
            public static let setVLANPCP = Self(.setVLANPCP)
            public static let stripVLAN = Self(.stripVLAN)
            public static let setDLSrc = Self(.setDLSrc)
            public static let setDLDst = Self(.setDLDst)
            public static let setNwSrc = Self(.setNwSrc)
            public static let setNwDst = Self(.setNwDst)
            public static let setNwTOS = Self(.setNwTOS)
            public static let setTpSrc = Self(.setTpSrc)
            public static let setTpDst = Self(.setTpDst)
            public static let enqueue = Self(.enqueue)
            /// Every action of spec 1.0.0 (`0xfff`).
            public static let all: SupportedActions = [
                .output, .setVLANVID, .setVLANPCP, .stripVLAN, .setDLSrc, .setDLDst, .setNwSrc, .setNwDst,
                .setNwTOS, .setTpSrc, .setTpDst, .enqueue,
            ]
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FeaturesReply {
            let datapathID = try reader.readU64("datapath_id")
            let bufferCount = try reader.readU32("n_buffers")
            let tableCount = try reader.readU8("n_tables")
            try reader.skip(3, "pad")
            let capabilities = Capabilities(rawValue: try reader.readU32("capabilities"))
            let actions = SupportedActions(rawValue: try reader.readU32("actions"))
            guard reader.remaining % PhysicalPort.size == 0 else {
                throw reader.error(
                    .badLength, "ports", "\(reader.remaining) bytes is not a whole number of 48-byte ports")
            }
            return FeaturesReply(
                datapathID: datapathID, bufferCount: bufferCount, tableCount: tableCount,
                capabilities: capabilities, actions: actions,
                ports: try WireList(validating: reader.subReader(reader.remaining, "ports")))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(datapathID)
            buffer.writeInteger(bufferCount)
            buffer.writeInteger(tableCount)
            buffer.writeZeros(3)
            buffer.writeInteger(capabilities.rawValue)
            buffer.writeInteger(actions.rawValue)
            ports.write(to: &buffer)
        }
    }
}
