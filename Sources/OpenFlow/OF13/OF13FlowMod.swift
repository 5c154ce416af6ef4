import NIOCore

extension OF13 {
    /// `OFPT_FLOW_MOD`, `struct ofp_flow_mod` (spec 1.3.5 §7.3.4.1).
    public struct FlowMod: OF13MessageBody {
        public var cookie: UInt64
        public var cookieMask: UInt64
        public var tableID: UInt8
        public var command: Command
        public var idleTimeout: UInt16
        public var hardTimeout: UInt16
        public var priority: UInt16
        public var bufferID: UInt32
        /// For delete commands: only flows that output to this port (`OFPP_ANY`: no filter).
        public var outPort: UInt32
        /// For delete commands: only flows that output to this group (`OFPG_ANY`: no filter).
        public var outGroup: UInt32
        public var flags: Flags
        public var match: Match
        public var instructions: WireList<Instruction>

        public init(
            cookie: UInt64 = 0, cookieMask: UInt64 = 0, tableID: UInt8 = 0, command: Command = .add,
            idleTimeout: UInt16 = 0, hardTimeout: UInt16 = 0, priority: UInt16 = 0x8000,
            bufferID: UInt32 = OF13.noBuffer, outPort: UInt32 = PortNumber.any,
            outGroup: UInt32 = GroupNumber.any, flags: Flags = [], match: Match = .all,
            instructions: WireList<Instruction> = []
        ) {
            self.cookie = cookie
            self.cookieMask = cookieMask
            self.tableID = tableID
            self.command = command
            self.idleTimeout = idleTimeout
            self.hardTimeout = hardTimeout
            self.priority = priority
            self.bufferID = bufferID
            self.outPort = outPort
            self.outGroup = outGroup
            self.flags = flags
            self.match = match
            self.instructions = instructions
        }

        /// `enum ofp_flow_mod_command`. An open set: unknown values decode and are kept, so
        /// that a switch can answer them with `OFPFMFC_BAD_COMMAND`.
        public struct Command: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
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
            public static let resetCounts = Flags(rawValue: 1 << 2)
            public static let noPacketCounts = Flags(rawValue: 1 << 3)
            public static let noByteCounts = Flags(rawValue: 1 << 4)
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FlowMod {
            if reader.remaining >= 40 {
                // The 40 fixed bytes in one pass over the raw bytes (the hot path). The value
                // is built once, at the end: a default match or instruction list would allocate.
                let f = reader.buffer.withUnsafeReadableBytes { raw in
                    (
                        cookie: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                        cookieMask: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                        tableID: raw[16], command: raw[17],
                        idle: UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 18, as: UInt16.self)),
                        hard: UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 20, as: UInt16.self)),
                        priority: UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 22, as: UInt16.self)),
                        bufferID: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)),
                        outPort: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self)),
                        outGroup: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 32, as: UInt32.self)),
                        flags: UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 36, as: UInt16.self))
                    )
                }
                try reader.skip(40, "pad")
                let match = try Match.read(from: &reader)
                let instructions = try WireList<Instruction>(validating: reader)
                _ = reader.readRest()
                return FlowMod(
                    cookie: f.cookie, cookieMask: f.cookieMask, tableID: f.tableID,
                    command: Command(rawValue: f.command), idleTimeout: f.idle, hardTimeout: f.hard,
                    priority: f.priority, bufferID: f.bufferID, outPort: f.outPort, outGroup: f.outGroup,
                    flags: Flags(rawValue: f.flags), match: match, instructions: instructions)
            }
            let cookie = try reader.readU64("cookie")
            let cookieMask = try reader.readU64("cookie_mask")
            let tableID = try reader.readU8("table_id")
            let command = Command(rawValue: try reader.readU8("command"))
            let idle = try reader.readU16("idle_timeout")
            let hard = try reader.readU16("hard_timeout")
            let priority = try reader.readU16("priority")
            let bufferID = try reader.readU32("buffer_id")
            let outPort = try reader.readU32("out_port")
            let outGroup = try reader.readU32("out_group")
            let flags = Flags(rawValue: try reader.readU16("flags"))
            try reader.skip(2, "pad")
            let match = try Match.read(from: &reader)
            let instructions = try WireList<Instruction>(validating: reader)
            _ = reader.readRest()
            return FlowMod(
                cookie: cookie, cookieMask: cookieMask, tableID: tableID, command: command,
                idleTimeout: idle, hardTimeout: hard, priority: priority, bufferID: bufferID,
                outPort: outPort, outGroup: outGroup, flags: flags, match: match, instructions: instructions)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(cookie)
            buffer.writeInteger(cookieMask)
            buffer.writeInteger(tableID)
            buffer.writeInteger(command.rawValue)
            buffer.writeInteger(idleTimeout)
            buffer.writeInteger(hardTimeout)
            buffer.writeInteger(priority)
            buffer.writeInteger(bufferID)
            buffer.writeInteger(outPort)
            buffer.writeInteger(outGroup)
            buffer.writeInteger(flags.rawValue)
            buffer.writeZeros(2)
            match.write(to: &buffer)
            instructions.write(to: &buffer)
        }
    }
}
