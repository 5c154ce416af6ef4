/// A scenario: the physical network (OpenFlow switches, physical nodes that host virtual routers,
/// hosts, links), the controller, the virtual networks mapped onto it, the traffic, the
/// migrations and the probes. Read from YAML by ``ScenarioLoader``; the format is documented in
/// `scenarios/README.md`.
///
/// The model is normalised: every default is filled in, every link endpoint carries its resolved
/// port, every MAC address is known. A runner walks it without parsing anything: `links[i].a` and
/// `links[i].b` say which switch port or interface to connect, ``hops(along:)`` turns a path into
/// per-switch in/out ports.
public struct Scenario: Codable, Sendable, Equatable {
    /// Which clock a runner drives the scenario with, unless told otherwise on the command line.
    public enum Clock: String, Codable, Sendable, CaseIterable {
        /// The deterministic discrete-event simulator, seeded by ``seed``.
        case virtual
        /// The machine's clock and event loop.
        case real
    }

    public var name: String
    public var description: String?
    /// How long the scenario runs (default 10s).
    public var duration: TimeSpan
    /// Seed of every random choice (loss, reordering): same seed, same run on the virtual clock.
    public var seed: UInt64
    public var clock: Clock
    public var switches: [Switch]
    public var nodes: [PhysicalNode]
    public var hosts: [Host]
    public var links: [Link]
    public var controller: Controller
    public var virtualNetworks: [VirtualNetwork]
    public var traffic: [TrafficFlow]
    public var migrations: [Migration]
    public var probes: [Probe]

    public init(
        name: String, description: String? = nil, duration: TimeSpan = .seconds(10), seed: UInt64 = 1,
        clock: Clock = .virtual, switches: [Switch] = [], nodes: [PhysicalNode] = [], hosts: [Host] = [],
        links: [Link] = [], controller: Controller = Controller(), virtualNetworks: [VirtualNetwork] = [],
        traffic: [TrafficFlow] = [], migrations: [Migration] = [], probes: [Probe] = []
    ) {
        self.name = name
        self.description = description
        self.duration = duration
        self.seed = seed
        self.clock = clock
        self.switches = switches
        self.nodes = nodes
        self.hosts = hosts
        self.links = links
        self.controller = controller
        self.virtualNetworks = virtualNetworks
        self.traffic = traffic
        self.migrations = migrations
        self.probes = probes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, duration, seed, clock, switches, nodes, hosts, links, controller
        case virtualNetworks = "virtual_networks"
        case traffic, migrations, probes
    }
}
