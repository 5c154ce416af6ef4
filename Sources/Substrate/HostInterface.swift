import NetworkAddresses

/// A host's network interface: its addresses and where off-subnet packets go.
public struct HostInterface: Hashable, Sendable {
    public var mac: MACAddress
    public var ip: IPv4Address
    /// Bits of `ip` that name the subnet (24 for a /24).
    public var prefixLength: Int
    /// The router for destinations outside the subnet; nil: those are unreachable.
    public var gateway: IPv4Address?

    public init(mac: MACAddress, ip: IPv4Address, prefixLength: Int = 24, gateway: IPv4Address? = nil) {
        self.mac = mac
        self.ip = ip
        self.prefixLength = prefixLength
        self.gateway = gateway
    }

    /// Whether `address` is on this interface's subnet.
    public func isLocal(_ address: IPv4Address) -> Bool {
        let mask = IPv4Address.mask(prefixLength: prefixLength).rawValue
        return address.rawValue & mask == ip.rawValue & mask
    }

    /// The subnet's broadcast address.
    public var broadcast: IPv4Address {
        IPv4Address(rawValue: ip.rawValue | ~IPv4Address.mask(prefixLength: prefixLength).rawValue)
    }
}
