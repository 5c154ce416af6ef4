import NIOCore
import NetworkAddresses
import Packets

/// An OSPF packet the router wants sent.
public struct OSPFTransmission: Hashable, Sendable {
    /// The configured interface name.
    public var interface: String
    /// The interface's address, the IPv4 source.
    public var source: IPv4Address
    /// AllSPFRouters (224.0.0.5): on point-to-point networks every packet goes there (§8.1).
    public var destination: IPv4Address
    public var packet: OSPFv2Packet

    public init(interface: String, source: IPv4Address, destination: IPv4Address, packet: OSPFv2Packet) {
        self.interface = interface
        self.source = source
        self.destination = destination
        self.packet = packet
    }

    /// The OSPF packet's bytes (the IPv4 payload).
    public var bytes: ByteBuffer { packet.encoded() }

    /// The IPv4 packet to send: protocol 89, TTL 1, DSCP CS6 (internetwork control), as §A.1
    /// and RFC 4594 ask.
    public var ipv4Packet: IPv4Packet {
        IPv4Packet(
            typeOfService: 0xC0, timeToLive: 1, protocolNumber: .ospf, source: source, destination: destination,
            payload: bytes)
    }
}

/// What the router asks of its environment after an input.
public enum OSPFOutput: Hashable, Sendable {
    /// Send this packet.
    case send(OSPFTransmission)
    /// The RIB gained a route: install it in the FIB.
    case routeAdded(OSPFRoute)
    /// A route's cost or next hops changed.
    case routeChanged(old: OSPFRoute, new: OSPFRoute)
    /// The RIB lost a route.
    case routeRemoved(OSPFRoute)
    /// A neighbour changed state (§10.3), because of `event`.
    case neighborStateChanged(interface: String, neighbor: IPv4Address, from: OSPFNeighborState, to: OSPFNeighborState, event: String)
    /// A received packet or LSA was dropped, and why (for logs and tests).
    case discarded(interface: String, reason: String)

    /// The transmission, if this is `.send`.
    public var transmission: OSPFTransmission? {
        if case .send(let transmission) = self { return transmission }
        return nil
    }
}
