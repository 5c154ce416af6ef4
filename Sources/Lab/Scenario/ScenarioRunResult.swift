import NIOCore
import Substrate

/// What `vnm lab run` measured: per traffic flow its probe report, per migration its times,
/// per probed link its counters. Encoded with sorted keys it is byte-identical for the same
/// scenario and seed on the virtual clock.
public struct ScenarioRunResult: Codable, Sendable, Equatable {
    /// One traffic flow: its name and the ``ProbeReport`` keys, flattened.
    public struct Flow: Codable, Sendable, Equatable {
        public var name: String
        public var from: String
        public var to: String
        public var report: ProbeReport

        enum CodingKeys: String, CodingKey { case name, from, to }

        public init(name: String, from: String, to: String, report: ProbeReport) {
            self.name = name
            self.from = from
            self.to = to
            self.report = report
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            from = try container.decode(String.self, forKey: .from)
            to = try container.decode(String.self, forKey: .to)
            report = try ProbeReport(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
        }
    }

    /// One migration of the scenario.
    public struct Migration: Codable, Sendable, Equatable {
        /// `flows` or `router`.
        public var kind: String
        public var network: String
        public var from: String
        public var to: String
        /// The flow-migration algorithm, or the router-migration scheme.
        public var algorithm: String
        public var atMilliseconds: Double
        /// `completed`, `rolled_back`, `rollback_failed`, `unfinished` (the run ended first) or
        /// `not_supported`.
        public var outcome: String
        public var reason: String?
        /// From the trigger until the first packet crossed a link only the new path uses.
        public var totalMigrationMilliseconds: Double?
        /// From the trigger until the last barrier was answered.
        public var confirmedMilliseconds: Double?
        public var finishedMilliseconds: Double?
        public var flowMods: Int?
        public var barriers: Int?
        /// The link whose first packet marks the new path in use.
        public var newPathLink: String?

        enum CodingKeys: String, CodingKey {
            case kind, network, from, to, algorithm
            case atMilliseconds = "at_ms"
            case outcome, reason
            case totalMigrationMilliseconds = "total_migration_ms"
            case confirmedMilliseconds = "confirmed_ms"
            case finishedMilliseconds = "finished_ms"
            case flowMods = "flow_mods"
            case barriers
            case newPathLink = "new_path_link"
        }
    }

    /// A probed link's counters, both directions added up.
    public struct Link: Codable, Sendable, Equatable {
        public var name: String
        public var counters: EmbeddedLink.Counters
    }

    /// A ping probe: ICMP echo from one host to another every interval of the run.
    public struct Ping: Codable, Sendable, Equatable {
        public var name: String
        public var from: String
        public var to: String
        public var sent: Int
        public var replies: Int
        /// Echo requests with no reply within the interval (or before the run ended).
        public var timeouts: Int
        public var rttMinMilliseconds: Double?
        public var rttMedianMilliseconds: Double?
        public var rttMaxMilliseconds: Double?

        enum CodingKeys: String, CodingKey {
            case name, from, to, sent, replies, timeouts
            case rttMinMilliseconds = "rtt_min_ms"
            case rttMedianMilliseconds = "rtt_median_ms"
            case rttMaxMilliseconds = "rtt_max_ms"
        }

        public init(name: String, from: String, to: String, sent: Int, timeouts: Int, roundTrips: [TimeAmount]) {
            self.name = name
            self.from = from
            self.to = to
            self.sent = sent
            self.replies = roundTrips.count
            self.timeouts = timeouts
            let sorted = roundTrips.map { Double($0.nanoseconds) / 1e6 }.sorted()
            rttMinMilliseconds = sorted.first
            rttMedianMilliseconds = sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2]
            rttMaxMilliseconds = sorted.last
        }
    }

    public var scenario: String
    public var seed: UInt64
    public var clock: String
    public var durationMilliseconds: Double
    public var flows: [Flow]
    public var migrations: [Migration]
    public var links: [Link]
    public var pings: [Ping]
    /// What the runner left out of the scenario (apps it does not start, knobs it rounds).
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case scenario, seed, clock
        case durationMilliseconds = "duration_ms"
        case flows, migrations, links, pings, notes
    }
}
