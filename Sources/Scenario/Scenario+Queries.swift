extension Scenario {
    /// One element of a path with the ports a packet enters and leaves it by (nil at the ends).
    public struct Hop: Sendable, Equatable, Hashable {
        public var node: String
        public var kind: ElementKind
        /// The endpoint the packet arrives on (nil for the first hop).
        public var ingress: Endpoint?
        /// The endpoint the packet leaves by (nil for the last hop).
        public var egress: Endpoint?
        /// Index in ``Scenario/links`` of the link it leaves by.
        public var egressLink: Int?
    }

    /// The kind of the element with this name, if there is one.
    public func kind(of name: String) -> ElementKind? {
        if switches.contains(where: { $0.name == name }) { return .switch }
        if nodes.contains(where: { $0.name == name }) { return .node }
        if hosts.contains(where: { $0.name == name }) { return .host }
        return nil
    }

    public func `switch`(named name: String) -> Switch? { switches.first { $0.name == name } }
    public func node(named name: String) -> PhysicalNode? { nodes.first { $0.name == name } }
    public func host(named name: String) -> Host? { hosts.first { $0.name == name } }
    public func link(named name: String) -> Link? { links.first { $0.name == name } }
    public func network(named name: String) -> VirtualNetwork? { virtualNetworks.first { $0.name == name } }

    /// Indices of the links that touch `node`, in file order.
    public func links(of node: String) -> [Int] {
        links.indices.filter { links[$0].a.node == node || links[$0].b.node == node }
    }

    /// The first data (non-migration) link between two elements, as an index into ``links``.
    public func dataLink(between x: String, and y: String) -> Int? {
        links.indices.first { index in
            let link = links[index]
            return !link.migration && ((link.a.node == x && link.b.node == y) || (link.a.node == y && link.b.node == x))
        }
    }

    /// The migration link between two physical nodes, as an index into ``links``.
    public func migrationLink(between x: String, and y: String) -> Int? {
        links.indices.first { index in
            let link = links[index]
            return link.migration && Set([link.a.node, link.b.node]) == Set([x, y])
        }
    }

    /// The path element by element with in/out ports; nil if two consecutive elements have no
    /// data link (validation rules that out for every path of a loaded scenario). Where two links
    /// join the same pair, the first in the file is used.
    public func hops(along nodes: [String]) -> [Hop]? {
        var hops: [Hop] = []
        for (index, name) in nodes.enumerated() {
            guard let kind = kind(of: name) else { return nil }
            var hop = Hop(node: name, kind: kind)
            if index > 0 {
                guard let link = dataLink(between: nodes[index - 1], and: name) else { return nil }
                hop.ingress = links[link].end(at: name)
            }
            if index + 1 < nodes.count {
                guard let link = dataLink(between: name, and: nodes[index + 1]) else { return nil }
                hop.egress = links[link].end(at: name)
                hop.egressLink = link
            }
            hops.append(hop)
        }
        return hops
    }

    /// The hops of a path of a virtual network.
    public func hops(along path: Path) -> [Hop]? { hops(along: path.nodes) }

    /// On a physical node, the interface that reaches `attach` (the binding of a router interface).
    public func interface(of node: String, toward attach: String) -> Endpoint? {
        dataLink(between: node, and: attach).flatMap { links[$0].end(at: node) }
    }

    /// The migrations in the order they happen (by time, then file order).
    public var timeline: [Migration] {
        migrations.indices.sorted { (migrations[$0].at, $0) < (migrations[$1].at, $1) }.map { migrations[$0] }
    }

    /// The virtual router with this name and the network it belongs to.
    public func router(named name: String) -> (network: VirtualNetwork, router: VirtualRouter)? {
        for network in virtualNetworks {
            if let router = network.router(named: name) { return (network, router) }
        }
        return nil
    }
}

extension Scenario {
    /// The ports of a switch, or the linked interfaces of a node or host, ordered by port number,
    /// each with the index of its link.
    public func endpoints(of node: String) -> [(endpoint: Endpoint, link: Int)] {
        links(of: node).compactMap { index in links[index].end(at: node).map { ($0, index) } }
            .sorted { $0.endpoint.port < $1.endpoint.port }
    }
}
