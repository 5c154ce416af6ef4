extension Scenario {
    /// What a name in the physical network refers to.
    public enum ElementKind: String, Codable, Sendable, CaseIterable {
        case `switch`, node, host
    }

    /// One end of a link, resolved: which element, which port.
    public struct Endpoint: Codable, Sendable, Equatable, Hashable {
        public var node: String
        public var kind: ElementKind
        /// For a switch: the OpenFlow port number (1, 2, ...). For a host or physical node: the
        /// interface's index among its interfaces (0 for `eth0`).
        public var port: UInt32
        /// For a switch: `NAME-ethPORT` (Open vSwitch style). For a host or physical node: the
        /// interface name.
        public var interface: String

        public init(node: String, kind: ElementKind, port: UInt32, interface: String) {
            self.node = node
            self.kind = kind
            self.port = port
            self.interface = interface
        }
    }

    /// A physical, full-duplex link. The properties hold in each direction.
    public struct Link: Codable, Sendable, Equatable {
        /// `a-b` with the two element names unless named in the file.
        public var name: String
        public var a: Endpoint
        public var b: Endpoint
        /// One-way propagation delay (default 100us).
        public var latency: TimeSpan
        /// Default 1Gbps.
        public var bandwidth: BitRate
        /// Packets the sending side's queue holds before it drops (default 1000).
        public var queue: Int
        /// Probability (0...1) that a packet is lost on the wire (default 0; `1%` in the file).
        public var loss: Double
        /// The separate link that carries VM migration traffic between two physical nodes, kept
        /// off the data plane (the paper's Fig. 4a).
        public var migration: Bool

        public init(
            name: String, a: Endpoint, b: Endpoint, latency: TimeSpan = .microseconds(100),
            bandwidth: BitRate = .gigabits(1), queue: Int = 1000, loss: Double = 0, migration: Bool = false
        ) {
            self.name = name
            self.a = a
            self.b = b
            self.latency = latency
            self.bandwidth = bandwidth
            self.queue = queue
            self.loss = loss
            self.migration = migration
        }

        /// The two endpoints, `a` first.
        public var endpoints: [Endpoint] { [a, b] }

        /// The endpoint on `node`'s side, if the link touches it.
        public func end(at node: String) -> Endpoint? { a.node == node ? a : b.node == node ? b : nil }

        /// The endpoint across from `node`'s side.
        public func peer(of node: String) -> Endpoint? { a.node == node ? b : b.node == node ? a : nil }
    }
}

extension Scenario.Link {
    /// Written as in a scenario file: `endpoints: [a, b]`.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, endpoints, latency, bandwidth, queue, loss, migration
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let endpoints = try container.decode([Scenario.Endpoint].self, forKey: .endpoints)
        guard endpoints.count == 2 else {
            throw DecodingError.dataCorruptedError(
                forKey: .endpoints, in: container, debugDescription: "a link has 2 endpoints")
        }
        self.init(
            name: try container.decode(String.self, forKey: .name), a: endpoints[0], b: endpoints[1],
            latency: try container.decode(Scenario.TimeSpan.self, forKey: .latency),
            bandwidth: try container.decode(Scenario.BitRate.self, forKey: .bandwidth),
            queue: try container.decode(Int.self, forKey: .queue),
            loss: try container.decode(Double.self, forKey: .loss),
            migration: try container.decode(Bool.self, forKey: .migration))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode([a, b], forKey: .endpoints)
        try container.encode(latency, forKey: .latency)
        try container.encode(bandwidth, forKey: .bandwidth)
        try container.encode(queue, forKey: .queue)
        try container.encode(loss, forKey: .loss)
        try container.encode(migration, forKey: .migration)
    }
}
