import NIOCore

extension OF10 {
    /// `struct ofp_switch_config` of `OFPT_GET_CONFIG_REPLY` and `OFPT_SET_CONFIG`
    /// (spec 1.0.0 §5.3.2).
    public struct SwitchConfig: OF10MessageBody {
        public var flags: Flags
        /// Bytes of a table-miss packet sent to the controller in PACKET_IN.
        public var missSendLength: UInt16

        public init(flags: Flags = .fragmentNormal, missSendLength: UInt16 = 128) {
            self.flags = flags
            self.missSendLength = missSendLength
        }

        /// `enum ofp_config_flags`: how IP fragments are handled (`OFPC_FRAG_MASK`, the low two
        /// bits); other bits are kept as they came.
        public struct Flags: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public static let fragmentNormal = Flags(rawValue: 0)
            public static let fragmentDrop = Flags(rawValue: 1)
            public static let fragmentReassemble = Flags(rawValue: 2)
            /// `OFPC_FRAG_MASK`.
            public static let fragmentMask: UInt16 = 3
            public var description: String {
                switch rawValue {
                case 0: "frags=normal"
                case 1: "frags=drop"
                case 2: "frags=reassemble"
                default: "flags=0x\(String(rawValue, radix: 16))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> SwitchConfig {
            SwitchConfig(
                flags: Flags(rawValue: try reader.readU16("flags")),
                missSendLength: try reader.readU16("miss_send_len"))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(flags.rawValue)
            buffer.writeInteger(missSendLength)
        }
    }
}
