import NIOCore
import NetworkAddresses
import Packets

/// The interface states of RFC 2328 §9.1 that a point-to-point interface passes through.
public enum OSPFInterfaceState: String, Hashable, Sendable {
    case down = "Down"
    case pointToPoint = "Point-to-point"
}

/// A point-to-point interface's data structure (§9): its state, Hello timer, its one
/// neighbour, and acknowledgments waiting to be sent.
struct OSPFInterface: Sendable {
    var configuration: OSPFInterfaceConfiguration
    var state: OSPFInterfaceState = .down
    var helloDeadline: NIODeadline?
    var neighbor: OSPFNeighbor?
    var delayedAcknowledgments: [OSPFv2LSAHeader] = []
    var delayedAcknowledgmentDeadline: NIODeadline?

    init(configuration: OSPFInterfaceConfiguration) { self.configuration = configuration }

    var name: String { configuration.name }
    var retransmitInterval: TimeAmount { .seconds(Int64(configuration.retransmitInterval)) }
    var helloInterval: TimeAmount { .seconds(Int64(configuration.helloInterval)) }
    var deadInterval: TimeAmount { .seconds(Int64(configuration.routerDeadInterval)) }
}
