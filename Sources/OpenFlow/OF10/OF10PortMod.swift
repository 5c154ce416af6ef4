import NIOCore
import NetworkAddresses

extension OF10 {
    /// `OFPT_PORT_MOD`, `struct ofp_port_mod` (spec 1.0.0 §5.3.3): 24 bytes of body. The bits
    /// of `config` selected by `mask` are applied; `advertise` zero leaves it unchanged.
    public struct PortMod: OF10MessageBody {
        public var portNumber: UInt16
        /// Must be the port's address: a sanity check, not a change.
        public var hardwareAddress: MACAddress
        public var config: PhysicalPort.Config
        public var mask: PhysicalPort.Config
        public var advertise: PhysicalPort.Features

        public init(
            portNumber: UInt16, hardwareAddress: MACAddress, config: PhysicalPort.Config,
            mask: PhysicalPort.Config, advertise: PhysicalPort.Features = []
        ) {
            self.portNumber = portNumber
            self.hardwareAddress = hardwareAddress
            self.config = config
            self.mask = mask
            self.advertise = advertise
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PortMod {
            let portNumber = try reader.readU16("port_no")
            let hardwareAddress = try reader.readMAC("hw_addr")
            let config = PhysicalPort.Config(rawValue: try reader.readU32("config"))
            let mask = PhysicalPort.Config(rawValue: try reader.readU32("mask"))
            let advertise = PhysicalPort.Features(rawValue: try reader.readU32("advertise"))
            try reader.skip(4, "pad")
            return PortMod(
                portNumber: portNumber, hardwareAddress: hardwareAddress, config: config, mask: mask,
                advertise: advertise)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(portNumber)
            buffer.writeMAC(hardwareAddress)
            buffer.writeInteger(config.rawValue)
            buffer.writeInteger(mask.rawValue)
            buffer.writeInteger(advertise.rawValue)
            buffer.writeZeros(4)
        }
    }
}
