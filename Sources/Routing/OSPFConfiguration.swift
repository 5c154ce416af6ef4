import NIOCore
import NetworkAddresses

/// An OSPF point-to-point interface's configuration (RFC 2328 §C.3).
public struct OSPFInterfaceConfiguration: Hashable, Sendable {
    /// The name the environment uses for the interface (outputs carry it back).
    public var name: String
    /// The interface's IPv4 address, the source of its packets.
    public var address: IPv4Address
    /// The length of the link's subnet, advertised as a stub network.
    public var prefixLength: Int
    /// Interface output cost.
    public var cost: UInt16
    /// Seconds between Hellos.
    public var helloInterval: UInt16
    /// Seconds of silence before the neighbour is declared down.
    public var routerDeadInterval: UInt32
    /// Seconds between retransmissions of DD, LSR and LSU packets.
    public var retransmitInterval: UInt16
    /// The IP MTU; Database Description packets carry it and larger neighbours' are refused (§10.6).
    public var mtu: UInt16

    public init(
        name: String, address: IPv4Address, prefixLength: Int, cost: UInt16 = 10, helloInterval: UInt16 = 10,
        routerDeadInterval: UInt32 = 40, retransmitInterval: UInt16 = 5, mtu: UInt16 = 1500
    ) {
        self.name = name
        self.address = address
        self.prefixLength = prefixLength
        self.cost = cost
        self.helloInterval = helloInterval
        self.routerDeadInterval = routerDeadInterval
        self.retransmitInterval = retransmitInterval
        self.mtu = mtu
    }

    /// The link's subnet.
    public var subnet: OSPFPrefix { OSPFPrefix(address, length: prefixLength) }
}

/// A network the router advertises as a stub link in its router-LSA (like BIRD's `stubnet`).
public struct OSPFStubNetwork: Hashable, Sendable {
    public var prefix: OSPFPrefix
    public var cost: UInt16

    public init(_ prefix: OSPFPrefix, cost: UInt16 = 10) {
        self.prefix = prefix
        self.cost = cost
    }
}

/// The router's configuration: one area (the backbone by default), point-to-point interfaces,
/// stub networks, and the architectural constants of §B (overridable for tests).
public struct OSPFConfiguration: Hashable, Sendable {
    public var routerID: IPv4Address
    public var areaID: IPv4Address
    public var interfaces: [OSPFInterfaceConfiguration]
    public var stubNetworks: [OSPFStubNetwork]
    /// LSRefreshTime: a self-originated LSA is re-originated when this old.
    public var lsRefreshTime: TimeAmount
    /// MinLSInterval: at least this long between originations of one LSA.
    public var minLSInterval: TimeAmount
    /// MinLSArrival: a new instance arriving sooner after the last is ignored.
    public var minLSArrival: TimeAmount
    /// How long acknowledgments are held to be sent together (must be below every
    /// RxmtInterval, §13.5).
    public var acknowledgmentDelay: TimeAmount
    /// The first DD sequence number any neighbour gets; the router counts up from it. Any value
    /// works (§10.8 asks only that it be unique); fixed here so runs are deterministic.
    public var initialDDSequenceNumber: UInt32

    public init(
        routerID: IPv4Address, areaID: IPv4Address = .any, interfaces: [OSPFInterfaceConfiguration],
        stubNetworks: [OSPFStubNetwork] = [], lsRefreshTime: TimeAmount = .seconds(1800),
        minLSInterval: TimeAmount = .seconds(5), minLSArrival: TimeAmount = .seconds(1),
        acknowledgmentDelay: TimeAmount = .milliseconds(500), initialDDSequenceNumber: UInt32? = nil
    ) {
        self.routerID = routerID
        self.areaID = areaID
        self.interfaces = interfaces
        self.stubNetworks = stubNetworks
        self.lsRefreshTime = lsRefreshTime
        self.minLSInterval = minLSInterval
        self.minLSArrival = minLSArrival
        self.acknowledgmentDelay = acknowledgmentDelay
        self.initialDDSequenceNumber = initialDDSequenceNumber ?? (routerID.rawValue &* 2_654_435_761 | 1)
    }
}
