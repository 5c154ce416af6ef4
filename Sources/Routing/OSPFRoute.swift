import NetworkAddresses

/// Where a route's packets go: out of `interface` to the neighbouring router at `address`.
public struct OSPFNextHop: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var interface: String
    public var address: IPv4Address

    public init(interface: String, address: IPv4Address) {
        self.interface = interface
        self.address = address
    }

    public static func < (a: Self, b: Self) -> Bool { (a.interface, a.address) < (b.interface, b.address) }
    public var description: String { "\(address) via \(interface)" }
}

/// A routing table entry computed by SPF (RFC 2328 §11, §16).
public struct OSPFRoute: Hashable, Sendable, CustomStringConvertible {
    public enum PathType: String, Hashable, Sendable {
        /// Learnt from router-LSAs of the area (§16.1).
        case intraArea
        /// Learnt from summary-LSAs of area border routers (§16.2).
        case interArea
    }

    public var prefix: OSPFPrefix
    /// The sum of link costs to the destination.
    public var cost: UInt32
    public var pathType: PathType
    /// Equal-cost next hops, sorted.
    public var nextHops: [OSPFNextHop]
    /// The router whose LSA advertised the destination.
    public var advertisingRouter: IPv4Address

    public init(prefix: OSPFPrefix, cost: UInt32, pathType: PathType, nextHops: [OSPFNextHop], advertisingRouter: IPv4Address) {
        self.prefix = prefix
        self.cost = cost
        self.pathType = pathType
        self.nextHops = nextHops
        self.advertisingRouter = advertisingRouter
    }

    public var description: String {
        "\(prefix) cost \(cost) \(pathType.rawValue) via [\(nextHops.map(\.description).joined(separator: ", "))]"
    }
}
