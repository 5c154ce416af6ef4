/// A virtual network (paper §2.2): virtual nodes and links mapped onto physical switches and
/// ports, and the ``Flowspace`` of packets it owns.
///
/// The physical ports it may use are its nodes' ports (where its hosts attach) and the two
/// ends of each physical link its virtual links are mapped onto. It may send and receive only
/// through them, and only packets in its flowspace; ``FlowspacePolicy`` enforces both.
public struct VirtualNetwork: Hashable, Sendable, CustomStringConvertible {
    /// A virtual node placed on one physical switch, owning some of its ports.
    public struct Node: Hashable, Sendable {
        public var name: String
        public var datapathID: UInt64
        /// Ports of the switch that belong to this node (edge ports).
        public var ports: [UInt32]

        public init(name: String, datapathID: UInt64, ports: [UInt32]) {
            self.name = name
            self.datapathID = datapathID
            self.ports = ports
        }
    }

    /// A virtual link between two virtual nodes, mapped onto the physical ports along its path
    /// (for a one-hop mapping, the two ends of one cable).
    public struct Link: Hashable, Sendable {
        public var from: String
        public var to: String
        public var physical: [Endpoint]

        public init(from: String, to: String, physical: [Endpoint]) {
            self.from = from
            self.to = to
            self.physical = physical
        }
    }

    public var name: String
    public var flowspace: Flowspace
    public var nodes: [Node]
    public var links: [Link]

    public init(name: String, flowspace: Flowspace, nodes: [Node], links: [Link] = []) {
        self.name = name
        self.flowspace = flowspace
        self.nodes = nodes
        self.links = links
    }

    /// Every physical port the network may use.
    public var ports: Set<Endpoint> {
        var ports = Set<Endpoint>()
        for node in nodes { for port in node.ports { ports.insert(Endpoint(datapathID: node.datapathID, port: port)) } }
        for link in links { ports.formUnion(link.physical) }
        return ports
    }

    /// The switches the network uses.
    public var datapathIDs: Set<UInt64> { Set(ports.map(\.datapathID)) }

    /// The network's ports on switch `datapathID`, ascending.
    public func ports(on datapathID: UInt64) -> [UInt32] {
        ports.filter { $0.datapathID == datapathID }.map(\.port).sorted()
    }

    public var description: String { "\(name) (\(flowspace), \(ports.count) ports)" }
}
