import NIOCore

extension OF13 {
    /// `OFPT_FEATURES_REPLY`, `struct ofp_switch_features` (spec 1.3.5 §7.3.1).
    public struct FeaturesReply: OF13MessageBody {
        public var datapathID: UInt64
        public var bufferCount: UInt32
        public var tableCount: UInt8
        /// Nonzero on auxiliary connections.
        public var auxiliaryID: UInt8
        public var capabilities: Capabilities
        public var reserved: UInt32

        public init(
            datapathID: UInt64, bufferCount: UInt32 = 0, tableCount: UInt8 = 254, auxiliaryID: UInt8 = 0,
            capabilities: Capabilities = [], reserved: UInt32 = 0
        ) {
            self.datapathID = datapathID
            self.bufferCount = bufferCount
            self.tableCount = tableCount
            self.auxiliaryID = auxiliaryID
            self.capabilities = capabilities
            self.reserved = reserved
        }

        /// `enum ofp_capabilities`.
        public struct Capabilities: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let flowStats = Capabilities(rawValue: 1 << 0)
            public static let tableStats = Capabilities(rawValue: 1 << 1)
            public static let portStats = Capabilities(rawValue: 1 << 2)
            public static let groupStats = Capabilities(rawValue: 1 << 3)
            public static let ipReasm = Capabilities(rawValue: 1 << 5)
            public static let queueStats = Capabilities(rawValue: 1 << 6)
            public static let portBlocked = Capabilities(rawValue: 1 << 8)
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FeaturesReply {
            let datapathID = try reader.readU64("datapath_id")
            let bufferCount = try reader.readU32("n_buffers")
            let tableCount = try reader.readU8("n_tables")
            let auxiliaryID = try reader.readU8("auxiliary_id")
            try reader.skip(2, "pad")
            return FeaturesReply(
                datapathID: datapathID, bufferCount: bufferCount, tableCount: tableCount,
                auxiliaryID: auxiliaryID,
                capabilities: Capabilities(rawValue: try reader.readU32("capabilities")),
                reserved: try reader.readU32("reserved"))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(datapathID)
            buffer.writeInteger(bufferCount)
            buffer.writeInteger(tableCount)
            buffer.writeInteger(auxiliaryID)
            buffer.writeZeros(2)
            buffer.writeInteger(capabilities.rawValue)
            buffer.writeInteger(reserved)
        }
    }

    /// `struct ofp_switch_config` of `OFPT_GET_CONFIG_REPLY` and `OFPT_SET_CONFIG` (§7.3.2).
    public struct SwitchConfig: OF13MessageBody {
        /// `enum ofp_config_flags`: 0 normal, 1 drop fragments, 2 reassemble.
        public var flags: UInt16
        /// Bytes of a table-miss packet sent to the controller.
        public var missSendLength: UInt16

        public init(flags: UInt16 = 0, missSendLength: UInt16 = 128) {
            self.flags = flags
            self.missSendLength = missSendLength
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> SwitchConfig {
            SwitchConfig(flags: try reader.readU16("flags"), missSendLength: try reader.readU16("miss_send_len"))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(flags)
            buffer.writeInteger(missSendLength)
        }
    }

    /// `struct ofp_role_request` of `OFPT_ROLE_REQUEST` and `OFPT_ROLE_REPLY` (§7.3.9).
    public struct RoleMessage: OF13MessageBody {
        public var role: Role
        public var generationID: UInt64

        public init(role: Role, generationID: UInt64 = 0) {
            self.role = role
            self.generationID = generationID
        }

        /// `enum ofp_controller_role`.
        public struct Role: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let noChange = Role(rawValue: 0)
            public static let equal = Role(rawValue: 1)
            public static let master = Role(rawValue: 2)
            public static let slave = Role(rawValue: 3)
            public var description: String {
                switch rawValue {
                case 0: "nochange"
                case 1: "equal"
                case 2: "master"
                case 3: "slave"
                default: "role(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> RoleMessage {
            let role = Role(rawValue: try reader.readU32("role"))
            try reader.skip(4, "pad")
            return RoleMessage(role: role, generationID: try reader.readU64("generation_id"))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(role.rawValue)
            buffer.writeZeros(4)
            buffer.writeInteger(generationID)
        }
    }

    /// `struct ofp_async_config` of `OFPT_GET_ASYNC_REPLY` and `OFPT_SET_ASYNC` (§7.3.10):
    /// which asynchronous messages a controller wants, for the master/equal role (index 0)
    /// and the slave role (index 1).
    public struct AsyncConfig: OF13MessageBody {
        public var packetInMask: [UInt32]
        public var portStatusMask: [UInt32]
        public var flowRemovedMask: [UInt32]

        public init(packetInMask: [UInt32], portStatusMask: [UInt32], flowRemovedMask: [UInt32]) {
            self.packetInMask = packetInMask
            self.portStatusMask = portStatusMask
            self.flowRemovedMask = flowRemovedMask
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> AsyncConfig {
            AsyncConfig(
                packetInMask: [try reader.readU32("packet_in_mask[0]"), try reader.readU32("packet_in_mask[1]")],
                portStatusMask: [
                    try reader.readU32("port_status_mask[0]"), try reader.readU32("port_status_mask[1]"),
                ],
                flowRemovedMask: [
                    try reader.readU32("flow_removed_mask[0]"), try reader.readU32("flow_removed_mask[1]"),
                ])
        }

        public func write(to buffer: inout ByteBuffer) {
            for mask in [packetInMask, portStatusMask, flowRemovedMask] {
                buffer.writeInteger(mask.count > 0 ? mask[0] : 0)
                buffer.writeInteger(mask.count > 1 ? mask[1] : 0)
            }
        }
    }
}
