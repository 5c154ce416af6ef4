import NetworkAddresses

/// One route of a virtual router's forwarding table: packets to `prefix/prefixLength` leave by
/// the router's interface `interface`, towards `nextHop`, or straight to their destination
/// when the prefix is directly connected (`nextHop == nil`).
public struct FIBEntry: Hashable, Sendable, CustomStringConvertible {
    public var prefix: IPv4Address
    public var prefixLength: Int
    public var nextHop: IPv4Address?
    /// Index into the router's interfaces.
    public var interface: Int

    /// The prefix is masked to its length, so `10.1.2.3/16` is stored as `10.1.0.0/16`.
    public init(prefix: IPv4Address, prefixLength: Int, nextHop: IPv4Address?, interface: Int) {
        precondition((0...32).contains(prefixLength), "FIBEntry: prefix length \(prefixLength) outside 0...32")
        self.prefix = IPv4Address(rawValue: prefix.rawValue & IPv4Address.mask(prefixLength: prefixLength).rawValue)
        self.prefixLength = prefixLength
        self.nextHop = nextHop
        self.interface = interface
    }

    public var description: String {
        "\(prefix)/\(prefixLength) via \(nextHop.map(String.init(describing:)) ?? "direct") if \(interface)"
    }
}

/// A change to a virtual router's routes, as its routing daemon (OSPF's RIB) decides them: the
/// input an adapter feeds the VM and, through it, the shared data plane.
public enum RouteUpdate: Hashable, Sendable {
    /// Adds the route, or replaces the route to the same prefix.
    case add(FIBEntry)
    /// Removes the route to `prefix/prefixLength`, if there is one.
    case withdraw(prefix: IPv4Address, prefixLength: Int)
    /// Replaces every route.
    case replaceAll([FIBEntry])
}
