extension Scenario {
    /// A virtual network: its flowspace, its member hosts, the physical paths its traffic may take,
    /// its virtual nodes and links mapped onto the physical network, and its virtual routers.
    public struct VirtualNetwork: Codable, Sendable, Equatable {
        /// How the network's control plane reaches the switches (paper §2.2, "Migration with
        /// OpenFlow").
        public enum Mode: String, Codable, Sendable, CaseIterable {
            /// One controller runs a set of apps per virtual network (default).
            case apps
            /// The network runs its own controller behind a FlowVisor-style slicing proxy that
            /// confines it to its flowspace.
            case slice
        }

        public var name: String
        public var mode: Mode
        public var flowspace: Flowspace
        /// Apps mode: the apps run for this network (default: client-server-flows when the
        /// network has a path for its flows, else none).
        public var apps: [String]
        /// Slice mode: `HOST:PORT` of the network's own controller; nil runs vnm's own controller
        /// for the slice in-process.
        public var controller: String?
        /// Hosts that belong to the network.
        public var hosts: [String]
        /// Named physical paths, each from one host or element to another.
        public var paths: [Path]
        /// The path the network's flows take when it starts (default: the first path that is not
        /// the path of a virtual link).
        public var initialPath: String?
        public var nodes: [VirtualNode]
        public var links: [VirtualLink]
        public var routers: [VirtualRouter]

        public init(
            name: String, mode: Mode = .apps, flowspace: Flowspace = Flowspace(), apps: [String] = [],
            controller: String? = nil, hosts: [String] = [], paths: [Path] = [], initialPath: String? = nil,
            nodes: [VirtualNode] = [], links: [VirtualLink] = [], routers: [VirtualRouter] = []
        ) {
            self.name = name
            self.mode = mode
            self.flowspace = flowspace
            self.apps = apps
            self.controller = controller
            self.hosts = hosts
            self.paths = paths
            self.initialPath = initialPath
            self.nodes = nodes
            self.links = links
            self.routers = routers
        }

        public func path(named name: String) -> Path? { paths.first { $0.name == name } }
        public func router(named name: String) -> VirtualRouter? { routers.first { $0.name == name } }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, mode, flowspace, apps, controller, hosts, paths
            case initialPath = "initial_path"
            case nodes, links, routers
        }
    }

    /// The packets that belong to a virtual network: a VLAN id, IPv4 prefixes, or both (a packet
    /// must match all that are given).
    public struct Flowspace: Codable, Sendable, Equatable {
        public var vlan: Int?
        public var prefixes: [Prefix]

        public init(vlan: Int? = nil, prefixes: [Prefix] = []) {
            self.vlan = vlan
            self.prefixes = prefixes
        }

        /// Whether some packet could belong to both flowspaces.
        public func overlaps(_ other: Flowspace) -> Bool {
            guard vlan == other.vlan else { return false }
            if prefixes.isEmpty || other.prefixes.isEmpty { return true }
            return prefixes.contains { mine in other.prefixes.contains { mine.overlaps($0) } }
        }
    }

    /// A named physical path: element names from one end to the other, each consecutive pair
    /// joined by a (non-migration) link. ``Scenario/hops(along:)`` gives the ports.
    public struct Path: Codable, Sendable, Equatable {
        public var name: String
        public var nodes: [String]

        public init(name: String, nodes: [String]) {
            self.name = name
            self.nodes = nodes
        }
    }

    /// A virtual node of an OpenFlow network, mapped onto a physical switch or node.
    public struct VirtualNode: Codable, Sendable, Equatable {
        public var name: String
        /// The physical switch or node that carries it.
        public var on: String

        public init(name: String, on: String) {
            self.name = name
            self.on = on
        }
    }

    /// A virtual link between two virtual nodes, routers or hosts, mapped onto a physical path
    /// (a multi-hop path is carried by a tunnel).
    public struct VirtualLink: Codable, Sendable, Equatable {
        /// `a-b` unless named in the file.
        public var name: String
        public var between: [String]
        /// Name of a path of the network (a path written inline in the file gets the link's name).
        public var path: String

        public init(name: String, between: [String], path: String) {
            self.name = name
            self.between = between
            self.path = path
        }
    }
}
