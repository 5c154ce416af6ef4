import NIOCore

extension OF13 {
    /// `OFPT_GROUP_MOD`, `struct ofp_group_mod` (spec 1.3.5 §7.3.4.2): a command, a group type,
    /// a group id and the group's buckets.
    public struct GroupMod: OF13MessageBody {
        public var command: Command
        public var type: GroupType
        public var groupID: UInt32
        public var buckets: WireList<Bucket>

        public init(command: Command = .add, type: GroupType = .all, groupID: UInt32, buckets: WireList<Bucket> = []) {
            self.command = command
            self.type = type
            self.groupID = groupID
            self.buckets = buckets
        }

        /// `enum ofp_group_mod_command`. An open set: unknown values decode and are kept, so
        /// that a switch can answer them with `OFPGMFC_BAD_COMMAND`.
        public struct Command: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public static let add = Command(rawValue: 0)
            public static let modify = Command(rawValue: 1)
            public static let delete = Command(rawValue: 2)
            public var description: String {
                switch rawValue {
                case 0: "ADD"
                case 1: "MODIFY"
                case 2: "DELETE"
                default: "command(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> GroupMod {
            let command = Command(rawValue: try reader.readU16("command"))
            let type = GroupType(rawValue: try reader.readU8("type"))
            try reader.skip(1, "pad")
            let groupID = try reader.readU32("group_id")
            let buckets = try WireList<Bucket>(validating: reader.subReader(reader.remaining, "buckets"))
            return GroupMod(command: command, type: type, groupID: groupID, buckets: buckets)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(command.rawValue)
            buffer.writeInteger(type.rawValue)
            buffer.writeZeros(1)
            buffer.writeInteger(groupID)
            buckets.write(to: &buffer)
        }
    }

    /// `enum ofp_group_type` (spec 1.3.5 §7.3.4.2). An open set: unknown values are kept.
    public struct GroupType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Every bucket is executed (multicast, flooding).
        public static let all = GroupType(rawValue: 0)
        /// One bucket is executed, chosen by the switch (load balancing).
        public static let select = GroupType(rawValue: 1)
        /// The single bucket is executed.
        public static let indirect = GroupType(rawValue: 2)
        /// The first live bucket is executed.
        public static let fastFailover = GroupType(rawValue: 3)
        public var description: String {
            switch rawValue {
            case 0: "all"
            case 1: "select"
            case 2: "indirect"
            case 3: "ff"
            default: "type(\(rawValue))"
            }
        }
    }

    /// `struct ofp_bucket` (spec 1.3.5 §7.3.4.2): 16 bytes of header, then actions. `len`
    /// counts the header and the actions.
    public struct Bucket: Hashable, Sendable, Codable, WireListElement {
        /// Relative weight, for select groups only (0 otherwise).
        public var weight: UInt16
        /// For fast-failover groups: the port whose liveness decides whether the bucket is live.
        public var watchPort: UInt32
        /// For fast-failover groups: the group whose liveness decides whether the bucket is live.
        public var watchGroup: UInt32
        public var actions: WireList<Action>

        /// The size of the fixed part.
        public static let headerSize = 16

        public init(
            weight: UInt16 = 0, watchPort: UInt32 = PortNumber.any, watchGroup: UInt32 = GroupNumber.any,
            actions: WireList<Action> = []
        ) {
            self.weight = weight
            self.watchPort = watchPort
            self.watchGroup = watchGroup
            self.actions = actions
        }

        /// The encoded size (the value of `len`).
        public var length: Int { Self.headerSize + actions.byteCount }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> Bucket {
            let length = Int(try reader.readU16("bucket.len"))
            guard length >= headerSize else {
                throw reader.error(.badLength, "bucket.len", "\(length) < \(headerSize)")
            }
            var body = try reader.subReader(length - 2, "bucket")
            let weight = try body.readU16("bucket.weight")
            let watchPort = try body.readU32("bucket.watch_port")
            let watchGroup = try body.readU32("bucket.watch_group")
            try body.skip(4, "bucket.pad")
            let actions = try WireList<Action>(validating: body)
            return Bucket(weight: weight, watchPort: watchPort, watchGroup: watchGroup, actions: actions)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(UInt16(0))  // len, set below
            buffer.writeInteger(weight)
            buffer.writeInteger(watchPort)
            buffer.writeInteger(watchGroup)
            buffer.writeZeros(4)
            actions.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start)
            return length
        }
    }
}

extension OF13.GroupMod: CustomStringConvertible {
    public var description: String {
        "group_mod(\(command),group_id=\(groupID),type=\(type),buckets=\(buckets))"
    }
}

extension OF13.Bucket: CustomStringConvertible {
    public var description: String {
        var parts: [String] = []
        if weight != 0 { parts.append("weight:\(weight)") }
        if watchPort != OF13.PortNumber.any { parts.append("watch_port:\(OF13.PortNumber.name(watchPort))") }
        if watchGroup != OF13.GroupNumber.any { parts.append("watch_group:\(watchGroup)") }
        parts.append("actions=\(actions.map(\.description).joined(separator: ","))")
        return "bucket(" + parts.joined(separator: ",") + ")"
    }
}
