import NIOCore
import NetworkAddresses

extension OF13 {
    /// `struct ofp_port` (spec 1.3.5 §7.2.1): 64 bytes describing one switch port.
    public struct Port: Hashable, Sendable, Codable, WireListElement {
        public var portNumber: UInt32
        public var hardwareAddress: MACAddress
        public var name: String
        public var config: Config
        public var state: State
        public var current: Features
        public var advertised: Features
        public var supported: Features
        public var peer: Features
        /// Current bit rate in kbps.
        public var currentSpeed: UInt32
        /// Maximum bit rate in kbps.
        public var maxSpeed: UInt32

        public static let size = 64

        public init(
            portNumber: UInt32, hardwareAddress: MACAddress, name: String, config: Config = [],
            state: State = [], current: Features = [], advertised: Features = [],
            supported: Features = [], peer: Features = [], currentSpeed: UInt32 = 0, maxSpeed: UInt32 = 0
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
            self.currentSpeed = currentSpeed
            self.maxSpeed = maxSpeed
        }

        /// `enum ofp_port_config`.
        public struct Config: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let portDown = Config(rawValue: 1 << 0)
            public static let noRecv = Config(rawValue: 1 << 2)
            public static let noFwd = Config(rawValue: 1 << 5)
            public static let noPacketIn = Config(rawValue: 1 << 6)
        }

        /// `enum ofp_port_state`.
        public struct State: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let linkDown = State(rawValue: 1 << 0)
            public static let blocked = State(rawValue: 1 << 1)
            public static let live = State(rawValue: 1 << 2)
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
            public static let rate40GbFD = Features(rawValue: 1 << 7)
            public static let rate100GbFD = Features(rawValue: 1 << 8)
            public static let rate1TbFD = Features(rawValue: 1 << 9)
            public static let other = Features(rawValue: 1 << 10)
            public static let copper = Features(rawValue: 1 << 11)
            public static let fiber = Features(rawValue: 1 << 12)
            public static let autoneg = Features(rawValue: 1 << 13)
            public static let pause = Features(rawValue: 1 << 14)
            public static let pauseAsym = Features(rawValue: 1 << 15)
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> Port {
            let portNumber = try reader.readU32("port.port_no")
            try reader.skip(4, "port.pad")
            let hardwareAddress = try reader.readMAC("port.hw_addr")
            try reader.skip(2, "port.pad2")
            return Port(
                portNumber: portNumber, hardwareAddress: hardwareAddress,
                name: try reader.readFixedString(16, "port.name"),
                config: Config(rawValue: try reader.readU32("port.config")),
                state: State(rawValue: try reader.readU32("port.state")),
                current: Features(rawValue: try reader.readU32("port.curr")),
                advertised: Features(rawValue: try reader.readU32("port.advertised")),
                supported: Features(rawValue: try reader.readU32("port.supported")),
                peer: Features(rawValue: try reader.readU32("port.peer")),
                currentSpeed: try reader.readU32("port.curr_speed"),
                maxSpeed: try reader.readU32("port.max_speed"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(4)
            buffer.writeMAC(hardwareAddress)
            buffer.writeZeros(2)
            buffer.writeFixedString(name, count: 16)
            buffer.writeInteger(config.rawValue)
            buffer.writeInteger(state.rawValue)
            buffer.writeInteger(current.rawValue)
            buffer.writeInteger(advertised.rawValue)
            buffer.writeInteger(supported.rawValue)
            buffer.writeInteger(peer.rawValue)
            buffer.writeInteger(currentSpeed)
            buffer.writeInteger(maxSpeed)
            return Self.size
        }
    }

    /// `OFPT_PORT_STATUS`, `struct ofp_port_status` (spec 1.3.5 §7.4.3).
    public struct PortStatus: OF13MessageBody {
        public var reason: Reason
        public var port: Port

        public init(reason: Reason, port: Port) {
            self.reason = reason
            self.port = port
        }

        /// `enum ofp_port_reason`.
        public struct Reason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let add = Reason(rawValue: 0)
            public static let delete = Reason(rawValue: 1)
            public static let modify = Reason(rawValue: 2)
            public var description: String {
                switch rawValue {
                case 0: "ADD"
                case 1: "DELETE"
                case 2: "MODIFY"
                default: "reason(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PortStatus {
            let reason = Reason(rawValue: try reader.readU8("reason"))
            try reader.skip(7, "pad")
            return PortStatus(reason: reason, port: try Port.read(from: &reader))
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(reason.rawValue)
            buffer.writeZeros(7)
            port.write(to: &buffer)
        }
    }
}
