import NIOCore

extension OF10 {
    /// `OFPT_FLOW_MOD`, `struct ofp_flow_mod` (spec 1.0.0 §5.3.3): 64 bytes of body, then the
    /// actions up to the end of the message.
    public struct FlowMod: OF10MessageBody {
        public var match: Match
        public var cookie: UInt64
        public var command: Command
        public var idleTimeout: UInt16
        public var hardTimeout: UInt16
        public var priority: UInt16
        public var bufferID: UInt32
        /// For delete commands: only flows that output to this port (`OFPP_NONE`: no filter).
        public var outPort: UInt16
        public var flags: Flags
        public var actions: WireList<Action>

        public static let fixedSize = 64

        public init(
            match: Match = .all, cookie: UInt64 = 0, command: Command = .add, idleTimeout: UInt16 = 0,
            hardTimeout: UInt16 = 0, priority: UInt16 = 0x8000, bufferID: UInt32 = OF10.noBuffer,
            outPort: UInt16 = PortNumber.none, flags: Flags = [], actions: WireList<Action> = []
        ) {
            self.match = match
            self.cookie = cookie
            self.command = command
            self.idleTimeout = idleTimeout
            self.hardTimeout = hardTimeout
            self.priority = priority
            self.bufferID = bufferID
            self.outPort = outPort
            self.flags = flags
            self.actions = actions
        }

        /// `enum ofp_flow_mod_command`. An open set: unknown values decode and are kept, so
        /// that a switch can answer them with `OFPFMFC_BAD_COMMAND`.
        public struct Command: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public static let add = Command(rawValue: 0)
            public static let modify = Command(rawValue: 1)
            public static let modifyStrict = Command(rawValue: 2)
            public static let delete = Command(rawValue: 3)
            public static let deleteStrict = Command(rawValue: 4)
            public var description: String {
                switch rawValue {
                case 0: "ADD"
                case 1: "MODIFY"
                case 2: "MODIFY_STRICT"
                case 3: "DELETE"
                case 4: "DELETE_STRICT"
                default: "command(\(rawValue))"
                }
            }
        }

        /// `enum ofp_flow_mod_flags`.
        public struct Flags: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public static let sendFlowRemoved = Flags(rawValue: 1 << 0)
            public static let checkOverlap = Flags(rawValue: 1 << 1)
            /// `OFPFF_EMERG`: an emergency flow, used only when the controller connection is lost.
            public static let emergency = Flags(rawValue: 1 << 2)
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowMod {
            let match = try Match.read(from: &reader)
            let cookie = try reader.readU64("cookie")
            let command = Command(rawValue: try reader.readU16("command"))
            let idle = try reader.readU16("idle_timeout")
            let hard = try reader.readU16("hard_timeout")
            let priority = try reader.readU16("priority")
            let bufferID = try reader.readU32("buffer_id")
            let outPort = try reader.readU16("out_port")
            let flags = Flags(rawValue: try reader.readU16("flags"))
            let actions = try WireList<Action>(validating: reader.subReader(reader.remaining, "actions"))
            return FlowMod(
                match: match, cookie: cookie, command: command, idleTimeout: idle, hardTimeout: hard,
                priority: priority, bufferID: bufferID, outPort: outPort, flags: flags, actions: actions)
        }

        public func write(to buffer: inout ByteBuffer) {
            match.write(to: &buffer)
            buffer.writeInteger(cookie)
            buffer.writeInteger(command.rawValue)
            buffer.writeInteger(idleTimeout)
            buffer.writeInteger(hardTimeout)
            buffer.writeInteger(priority)
            buffer.writeInteger(bufferID)
            buffer.writeInteger(outPort)
            buffer.writeInteger(flags.rawValue)
            actions.write(to: &buffer)
        }
    }
}
