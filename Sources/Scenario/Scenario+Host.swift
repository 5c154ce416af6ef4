import NetworkAddresses

extension Scenario {
    /// An end host with one interface (`eth0`): a traffic source or sink.
    public struct Host: Codable, Sendable, Equatable {
        public var name: String
        /// Address and prefix length of the interface, `10.0.1.10/24`.
        public var ip: Prefix
        /// Given in the file, or derived from the address: `02:00:` followed by its four bytes.
        public var mac: MACAddress
        public var gateway: IPv4Address?
        /// 802.1Q VLAN the host tags its frames with, if any.
        public var vlan: Int?

        public init(name: String, ip: Prefix, mac: MACAddress? = nil, gateway: IPv4Address? = nil, vlan: Int? = nil) {
            self.name = name
            self.ip = ip
            self.mac = mac ?? Host.derivedMAC(for: ip.address)
            self.gateway = gateway
            self.vlan = vlan
        }

        /// A locally administered unicast MAC made from the address: unique while addresses are.
        public static func derivedMAC(for address: IPv4Address) -> MACAddress {
            let b = address.bytes
            return MACAddress(0x02, 0x00, b[0], b[1], b[2], b[3])
        }

        /// The name of the host's only interface.
        public static let interfaceName = "eth0"
    }
}
