extension Scenario {
    /// A migration triggered at a point in the scenario's time.
    public struct Migration: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            case flows(FlowMigration)
            case router(RouterMigration)
        }

        /// When it is triggered, from the scenario's start.
        public var at: TimeSpan
        public var action: Action

        public init(at: TimeSpan, _ action: Action) {
            self.at = at
            self.action = action
        }
    }

    /// Moves a virtual network's flows from one of its paths to another (paper §2.2, Fig. 3).
    public struct FlowMigration: Codable, Sendable, Equatable {
        public enum Algorithm: String, Codable, Sendable, CaseIterable {
            /// Fig. 3 exactly: add on the new path except the first common switch, modify it, delete
            /// the old path; unconfirmed.
            case paper
            /// The same phases, each confirmed by barriers; rollback on error or timeout.
            case consistent
            /// Many flows at once, batched per switch, phases pipelined, still consistent.
            case bulk
            /// Deletes the old path before installing the new one: must lose packets.
            case deleteFirst = "delete-first"
        }

        public var network: String
        /// The path the flows leave (must be the one they are on at that time).
        public var from: String
        public var to: String
        /// Default `consistent`.
        public var algorithm: Algorithm
        /// How many flows of the network to move (default: all of them, nil).
        public var count: Int?
        /// Consistent and bulk: how long the old entries stay after the switch-over so that packets
        /// in flight on the old path drain (default 10ms).
        public var drain: TimeSpan
        /// Consistent and bulk: how long to wait for barrier replies before rolling back (default 1s).
        public var timeout: TimeSpan

        public init(
            network: String, from: String, to: String, algorithm: Algorithm = .consistent, count: Int? = nil,
            drain: TimeSpan = .milliseconds(10), timeout: TimeSpan = .seconds(1)
        ) {
            self.network = network
            self.from = from
            self.to = to
            self.algorithm = algorithm
            self.count = count
            self.drain = drain
            self.timeout = timeout
        }
    }

    /// Live-migrates a virtual router's VM from one physical node to another over the migration
    /// link, with pre-copy (Clark et al. 2005).
    public struct RouterMigration: Codable, Sendable, Equatable {
        public enum Scheme: String, Codable, Sendable, CaseIterable {
            /// The VM holds both planes and forwards the data itself (Xen's built-in migration).
            case standard
            /// The data plane stays in the nodes' Domain 0 while the VM moves (paper §2.2).
            case planeSeparated = "plane-separated"
        }

        public var network: String
        public var router: String
        /// Where the router is when the migration starts.
        public var from: String
        public var to: String
        /// Default `plane-separated`.
        public var scheme: Scheme
        /// Limit of the page copy (default: the migration link's bandwidth).
        public var bandwidth: BitRate
        /// Pre-copy stops after this many rounds (default 30, as Xen's).
        public var maxRounds: Int
        /// ... or once fewer pages than this are dirty (default 50, as Xen's).
        public var stopPages: Int

        public init(
            network: String, router: String, from: String, to: String, scheme: Scheme = .planeSeparated,
            bandwidth: BitRate, maxRounds: Int = 30, stopPages: Int = 50
        ) {
            self.network = network
            self.router = router
            self.from = from
            self.to = to
            self.scheme = scheme
            self.bandwidth = bandwidth
            self.maxRounds = maxRounds
            self.stopPages = stopPages
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case network, router, from, to, scheme, bandwidth
            case maxRounds = "max_rounds"
            case stopPages = "stop_pages"
        }
    }
}

extension Scenario.Migration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case at, flows, router
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        at = try container.decode(Scenario.TimeSpan.self, forKey: .at)
        if let flows = try container.decodeIfPresent(Scenario.FlowMigration.self, forKey: .flows) {
            action = .flows(flows)
        } else {
            action = .router(try container.decode(Scenario.RouterMigration.self, forKey: .router))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        switch action {
        case .flows(let flows): try container.encode(flows, forKey: .flows)
        case .router(let router): try container.encode(router, forKey: .router)
        }
    }
}
