extension Scenario {
    /// Something a run measures besides the receiver of every traffic flow (which is always there).
    public struct Probe: Sendable, Equatable {
        public enum Target: Sendable, Equatable {
            /// The receiver of a traffic flow, reporting progress each interval.
            case flow(String)
            /// ICMP echo from one host to another each interval.
            case ping(from: String, to: String)
            /// The OSPF neighbour states of a virtual router, sampled each interval.
            case adjacency(router: String)
            /// A physical link's counters and queue depth, sampled each interval.
            case link(String)
        }

        public var name: String
        public var target: Target
        /// Sampling interval (default 100ms).
        public var interval: TimeSpan

        public init(name: String, target: Target, interval: TimeSpan = .milliseconds(100)) {
            self.name = name
            self.target = target
            self.interval = interval
        }
    }
}

extension Scenario.Probe: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, interval, flow, ping, adjacency, link
    }

    struct PingTarget: Codable {
        var from: String
        var to: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        interval = try container.decode(Scenario.TimeSpan.self, forKey: .interval)
        if let flow = try container.decodeIfPresent(String.self, forKey: .flow) {
            target = .flow(flow)
        } else if let ping = try container.decodeIfPresent(PingTarget.self, forKey: .ping) {
            target = .ping(from: ping.from, to: ping.to)
        } else if let router = try container.decodeIfPresent(String.self, forKey: .adjacency) {
            target = .adjacency(router: router)
        } else {
            target = .link(try container.decode(String.self, forKey: .link))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        switch target {
        case .flow(let flow): try container.encode(flow, forKey: .flow)
        case .ping(let from, let to): try container.encode(PingTarget(from: from, to: to), forKey: .ping)
        case .adjacency(let router): try container.encode(router, forKey: .adjacency)
        case .link(let link): try container.encode(link, forKey: .link)
        }
        try container.encode(interval, forKey: .interval)
    }
}
