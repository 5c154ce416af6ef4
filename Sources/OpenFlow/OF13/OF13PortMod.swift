import NIOCore
import NetworkAddresses

extension OF13 {
    /// `OFPT_PORT_MOD`, `struct ofp_port_mod` (spec 1.3.5 §7.3.4.3): changes the bits of a
    /// port's `config` selected by `mask`, and what it advertises. The hardware address must
    /// be the port's own, as a check that the right port is addressed.
    public struct PortMod: OF13MessageBody {
        public var portNumber: UInt32
        public var hardwareAddress: MACAddress
        public var config: Port.Config
        /// Which bits of `config` to change.
        public var mask: Port.Config
        /// Features to advertise; none (zero) leaves them unchanged.
        public var advertise: Port.Features

        public init(
            portNumber: UInt32, hardwareAddress: MACAddress, config: Port.Config = [], mask: Port.Config = [],
            advertise: Port.Features = []
        ) {
            self.portNumber = portNumber
            self.hardwareAddress = hardwareAddress
            self.config = config
            self.mask = mask
            self.advertise = advertise
        }

        /// The body's size: the message is 40 bytes with its header.
        public static let size = 32

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PortMod {
            let portNumber = try reader.readU32("port_no")
            try reader.skip(4, "pad")
            let hardwareAddress = try reader.readMAC("hw_addr")
            try reader.skip(2, "pad2")
            let config = Port.Config(rawValue: try reader.readU32("config"))
            let mask = Port.Config(rawValue: try reader.readU32("mask"))
            let advertise = Port.Features(rawValue: try reader.readU32("advertise"))
            try reader.skip(4, "pad3")
            return PortMod(
                portNumber: portNumber, hardwareAddress: hardwareAddress, config: config, mask: mask,
                advertise: advertise)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(portNumber)
            buffer.writeZeros(4)
            buffer.writeMAC(hardwareAddress)
            buffer.writeZeros(2)
            buffer.writeInteger(config.rawValue)
            buffer.writeInteger(mask.rawValue)
            buffer.writeInteger(advertise.rawValue)
            buffer.writeZeros(4)
        }
    }
}

extension OF13.PortMod: CustomStringConvertible {
    public var description: String {
        "port_mod(port=\(OF13.PortNumber.name(portNumber)),addr=\(hardwareAddress),"
            + "config=0x\(String(config.rawValue, radix: 16)),mask=0x\(String(mask.rawValue, radix: 16)),"
            + "advertise=0x\(String(advertise.rawValue, radix: 16)))"
    }
}
