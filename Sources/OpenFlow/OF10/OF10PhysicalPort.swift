import NIOCore
import NetworkAddresses

extension OF10 {
    /// `struct ofp_phy_port` (spec 1.0.0 §5.2.1): 48 bytes describing one switch port.
    public struct PhysicalPort: Hashable, Sendable, Codable, WireListElement {
        public var portNumber: UInt16
        public var hardwareAddress: MACAddress
        public var name: String
        public var config: Config
        public var state: State
        public var current: Features
        public var advertised: Features
        public var supported: Features
        public var peer: Features

        public static let size = 48

        public init(
            portNumber: UInt16, hardwareAddress: MACAddress, name: String, config: Config = [],
            state: State = [], current: Features = [], advertised: Features = [],
            supported: Features = [], peer: Features = []
        ) {
            self.portNumber = portNumber
            self.hardwareAddress = hardwareAddress
            self.name = name
            self.config = config
            self.state = state
            self.current = current
            self.advertised = advertised
            self.supported = supported
            self.peer = peer
        }

        /// `enum ofp_port_config`.
        public struct Config: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let portDown = Config(rawValue: 1 << 0)
            public static let noSTP = Config(rawValue: 1 << 1)
            public static let noRecv = Config(rawValue: 1 << 2)
            public static let noRecvSTP = Config(rawValue: 1 << 3)
            public static let noFlood = Config(rawValue: 1 << 4)
            public static let noFwd = Config(rawValue: 1 << 5)
            public static let noPacketIn = Config(rawValue: 1 << 6)
        }

        /// `enum ofp_port_state`: a link-down bit and a 2-bit spanning-tree state.
        public struct State: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let linkDown = State(rawValue: 1 << 0)
            /// `OFPPS_STP_MASK`: the spanning-tree state bits.
            public static let stpMask = State(rawValue: 3 << 8)

            /// The spanning-tree state (`OFPPS_STP_LISTEN`, `_LEARN`, `_FORWARD`, `_BLOCK`).
            public var stp: STPState {
                get { STPState(rawValue: UInt8((rawValue >> 8) & 3)) ?? .listen }
                set { rawValue = rawValue & ~(3 << 8) | UInt32(newValue.rawValue) << 8 }
            }
        }

        /// The values of `OFPPS_STP_MASK`.
        public enum STPState: UInt8, Hashable, Sendable, Codable {
            case listen = 0, learn = 1, forward = 2, block = 3
        }

        /// `enum ofp_port_features`.
        public struct Features: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let rate10MbHD = Features(rawValue: 1 << 0)
            public static let rate10MbFD = Features(rawValue: 1 << 1)
            public static let rate100MbHD = Features(rawValue: 1 << 2)
            public static let rate100MbFD = Features(rawValue: 1 << 3)
            public static let rate1GbHD = Features(rawValue: 1 << 4)
            public static let rate1GbFD = Features(rawValue: 1 << 5)
            public static let rate10GbFD = Features(rawValue: 1 << 6)
            public static let copper = Features(rawValue: 1 << 7)
            public static let fiber = Features(rawValue: 1 << 8)
            public static let autoneg = Features(rawValue: 1 << 9)
            public static let pause = Features(rawValue: 1 << 10)
            public static let pauseAsym = Features(rawValue: 1 << 11)
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PhysicalPort {
            guard reader.remaining >= size else {
                throw reader.error(.truncated, "port", "needs \(size) bytes, \(reader.remaining) left")
            }
            let portNumber = try reader.readU16("port.port_no")
            let hardwareAddress = try reader.readMAC("port.hw_addr")
            return PhysicalPort(
                portNumber: portNumber, hardwareAddress: hardwareAddress,
                name: try reader.readFixedString(16, "port.name"),
                config: Config(rawValue: try reader.readU32("port.config")),
                state: State(rawValue: try reader.readU32("port.state")),
                current: Features(rawValue: try reader.readU32("port.curr")),
                advertised: Features(rawValue: try reader.readU32("port.advertised")),
                supported: Features(rawValue: try reader.readU32("port.supported")),
                peer: Features(rawValue: try reader.readU32("port.peer")))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(portNumber)
            buffer.writeMAC(hardwareAddress)
            buffer.writeFixedString(name, count: 16)
            buffer.writeInteger(config.rawValue)
            buffer.writeInteger(state.rawValue)
            buffer.writeInteger(current.rawValue)
            buffer.writeInteger(advertised.rawValue)
            buffer.writeInteger(supported.rawValue)
            buffer.writeInteger(peer.rawValue)
            return Self.size
        }
    }
}
