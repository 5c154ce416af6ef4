import NetworkAddresses

/// One interface of a virtual router: its own MAC (the VM's vif, which moves with the VM) and
/// its IPv4 address on the subnet of the virtual link.
public struct VirtualInterface: Hashable, Sendable {
    public var name: String
    public var mac: MACAddress
    public var address: IPv4Address
    public var prefixLength: Int

    public init(name: String, mac: MACAddress, address: IPv4Address, prefixLength: Int) {
        self.name = name
        self.mac = mac
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Whether `other` is on this interface's subnet.
    public func onSubnet(_ other: IPv4Address) -> Bool {
        let mask = IPv4Address.mask(prefixLength: prefixLength).rawValue
        return other.rawValue & mask == address.rawValue & mask
    }
}

/// An interface of a given virtual router: the key of the binding table.
public struct VirtualInterfaceID: Hashable, Sendable, CustomStringConvertible {
    public var router: VirtualRouterID
    /// Index into the router's interfaces.
    public var index: Int

    public init(router: VirtualRouterID, index: Int) {
        self.router = router
        self.index = index
    }

    public var description: String { "\(router)#\(index)" }
}
