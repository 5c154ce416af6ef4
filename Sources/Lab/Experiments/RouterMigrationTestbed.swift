import Migration
import NIOCore
import NetworkAddresses
import Packets
import Routing
import Substrate
import Virtualization

/// The paper's Xen testbed (Fig. 4a, `scenarios/paper-fig4a-router.yaml`) on the embedded
/// substrate, on a seeded virtual clock:
///
/// ```
/// client -- client-edge --[lan-client]-- node-a --[lan-server]-- server-edge -- server
///                                    \-- node-b --/
///                          node-a ==== node-b  (migration link)
/// ```
///
/// r1 (the router that migrates) runs on node-a; r-client and r-server, its OSPF neighbours and
/// the client's and server's gateways, run on the edge nodes. Every router is a VM whose control
/// plane is an ``OSPFRouter`` (hello 1 s, dead 4 s, retransmit 1 s, as in the scenario); the
/// edge routers are plane-separated, r1 runs in the mode its migration scheme needs. The two
/// segments are MAC-learning bridges, so r1's gratuitous ARP from node-b moves the traffic.
///
/// The testbed watches the control plane: every OSPF packet r-client and r-server send (each
/// goes to r1, their one neighbour) is matched by IPv4 identification with its delivery to r1's
/// daemon, wherever it runs; and any adjacency leaving Full is counted.
public final class RouterMigrationTestbed {
    public struct Options: Hashable, Sendable {
        public var scheme: RouterMigrationScheme
        public var seed: UInt64
        /// r1's memory, in 4 KiB pages (64 MiB by default).
        public var memoryPages: Int
        /// r1's background page writes per second, and the pages they fall on (its hot set).
        public var dirtyRate: Double
        public var workingSetPages: Int
        /// The data links (every link but the migration link).
        public var linkLatency: TimeAmount
        public var linkBandwidth: Double
        /// The migration link, in bits per second, and its one-way latency.
        public var migrationBandwidth: Double
        public var migrationLatency: TimeAmount
        public var helloInterval: UInt16
        public var deadInterval: UInt32
        public var retransmitInterval: UInt16

        public init(
            scheme: RouterMigrationScheme, seed: UInt64 = 1, memoryPages: Int = 16384, dirtyRate: Double = 200,
            workingSetPages: Int = 64, linkLatency: TimeAmount = .microseconds(50), linkBandwidth: Double = 1e9,
            migrationBandwidth: Double = 1e9, migrationLatency: TimeAmount = .microseconds(50), helloInterval: UInt16 = 1,
            deadInterval: UInt32 = 4, retransmitInterval: UInt16 = 1
        ) {
            self.scheme = scheme
            self.seed = seed
            self.memoryPages = memoryPages
            self.dirtyRate = dirtyRate
            self.workingSetPages = workingSetPages
            self.linkLatency = linkLatency
            self.linkBandwidth = linkBandwidth
            self.migrationBandwidth = migrationBandwidth
            self.migrationLatency = migrationLatency
            self.helloInterval = helloInterval
            self.deadInterval = deadInterval
            self.retransmitInterval = retransmitInterval
        }
    }

    /// Control packets sent to r1 by its neighbours, and when (if ever) r1's daemon got them.
    public struct ControlRecord: Hashable, Sendable {
        public var sentAt: NIODeadline
        public var deliveredAt: NIODeadline?
    }

    public struct ControlSummary: Hashable, Sendable {
        public var sent: Int
        public var lost: Int
        /// The longest delay beyond the usual one (the shortest seen before the window), in ms.
        public var maxExtraDelayMilliseconds: Double?
    }

    public static let router: VirtualRouterID = "r1"
    public static let clientAddress = IPv4Address(10, 0, 1, 10)
    public static let serverAddress = IPv4Address(10, 0, 2, 10)
    /// Physical interfaces of every node: eth0, eth1 and (node-a, node-b) eth2 to the migration link.
    static let eth0: UInt32 = 1
    static let eth1: UInt32 = 2
    static let eth2: UInt32 = 3

    public let options: Options
    public let simulator: EventSimulator
    public let client: EmbeddedHost
    public let server: EmbeddedHost
    public let clientEdge: EmbeddedPhysicalNode
    public let nodeA: EmbeddedPhysicalNode
    public let nodeB: EmbeddedPhysicalNode
    public let serverEdge: EmbeddedPhysicalNode
    public let lanClient: EmbeddedLearningBridge
    public let lanServer: EmbeddedLearningBridge
    public private(set) var links: [String: EmbeddedLink] = [:]
    /// OSPF packets to r1, by (source address, IPv4 identification).
    public private(set) var control: [UInt64: ControlRecord] = [:]
    /// Times an adjacency left Full after ``waitForConvergence(timeout:)`` returned.
    public private(set) var adjacencyDrops = 0
    /// Every adjacency change after convergence: router, neighbour, from, to, when.
    public private(set) var adjacencyChanges: [String] = []
    private var converged = false

    public init(_ options: Options) throws {
        self.options = options
        let clock = EventSimulator(seed: options.seed)
        simulator = clock
        client = EmbeddedHost(
            name: "client",
            interface: HostInterface(
                mac: MACAddress(0x02, 0, 0, 0, 0, 0x01), ip: Self.clientAddress, gateway: IPv4Address(10, 0, 1, 1)),
            clock: clock)
        server = EmbeddedHost(
            name: "server",
            interface: HostInterface(
                mac: MACAddress(0x02, 0, 0, 0, 0, 0x02), ip: Self.serverAddress, gateway: IPv4Address(10, 0, 2, 1)),
            clock: clock)
        clientEdge = EmbeddedPhysicalNode(name: "client-edge", clock: clock)
        nodeA = EmbeddedPhysicalNode(name: "node-a", clock: clock)
        nodeB = EmbeddedPhysicalNode(name: "node-b", clock: clock)
        serverEdge = EmbeddedPhysicalNode(name: "server-edge", clock: clock)
        lanClient = EmbeddedLearningBridge(name: "lan-client", clock: clock)
        lanServer = EmbeddedLearningBridge(name: "lan-server", clock: clock)

        let data = EmbeddedLink.Options(latency: options.linkLatency, bandwidth: options.linkBandwidth)
        link("client-client-edge", (client, 0), (clientEdge, Self.eth0), data)
        link("client-edge-lan-client", (clientEdge, Self.eth1), (lanClient, 1), data)
        link("lan-client-node-a", (lanClient, 2), (nodeA, Self.eth0), data)
        link("lan-client-node-b", (lanClient, 3), (nodeB, Self.eth0), data)
        link("node-a-lan-server", (nodeA, Self.eth1), (lanServer, 1), data)
        link("node-b-lan-server", (nodeB, Self.eth1), (lanServer, 2), data)
        link("lan-server-server-edge", (lanServer, 3), (serverEdge, Self.eth0), data)
        link("server-edge-server", (serverEdge, Self.eth1), (server, 0), data)
        link(
            "migration", (nodeA, Self.eth2), (nodeB, Self.eth2),
            EmbeddedLink.Options(latency: options.migrationLatency, bandwidth: options.migrationBandwidth))

        for node in [clientEdge, nodeA, nodeB, serverEdge] { observe(node) }
        let bindings: [Int: InterfaceBinding] = [0: .physical(port: Self.eth0), 1: .physical(port: Self.eth1)]
        // Each router's OSPF starts at its own (seeded) moment within the first hello interval,
        // so that the neighbours' hellos fall at different phases of a second from run to run.
        var starts = clock.randomStream("ospf start")
        func delay() -> TimeAmount {
            .nanoseconds(Int64(starts.nextUnit() * Double(options.helloInterval) * 1e9))
        }
        try clientEdge.boot(
            Self.vm("r-client", [("eth0", 0x11, IPv4Address(10, 0, 1, 1)), ("eth1", 0x12, IPv4Address(10, 0, 12, 1))],
                forwarding: .planeSeparated, seed: options.seed &+ 11),
            ospf: ospf(IPv4Address(10, 255, 0, 2), [("eth1", IPv4Address(10, 0, 12, 1))], stub: IPv4Address(10, 0, 1, 0)),
            bindings: bindings, ospfStartDelay: delay())
        try nodeA.boot(
            Self.vm("r1", [("eth0", 0x21, IPv4Address(10, 0, 12, 2)), ("eth1", 0x22, IPv4Address(10, 0, 23, 2))],
                forwarding: options.scheme.forwarding, memoryPages: options.memoryPages,
                workload: GuestWorkload(dirtyRate: options.dirtyRate, workingSetPages: options.workingSetPages),
                seed: options.seed),
            ospf: ospf(
                IPv4Address(10, 255, 0, 1), [("eth0", IPv4Address(10, 0, 12, 2)), ("eth1", IPv4Address(10, 0, 23, 2))],
                stub: nil),
            bindings: bindings, ospfStartDelay: delay())
        try serverEdge.boot(
            Self.vm("r-server", [("eth0", 0x31, IPv4Address(10, 0, 23, 3)), ("eth1", 0x32, IPv4Address(10, 0, 2, 1))],
                forwarding: .planeSeparated, seed: options.seed &+ 13),
            ospf: ospf(IPv4Address(10, 255, 0, 3), [("eth0", IPv4Address(10, 0, 23, 3))], stub: IPv4Address(10, 0, 2, 0)),
            bindings: bindings, ospfStartDelay: delay())
    }

    // MARK: Building

    private func link(
        _ name: String, _ a: (any EmbeddedNode, UInt32), _ b: (any EmbeddedNode, UInt32), _ options: EmbeddedLink.Options
    ) {
        links[name] = EmbeddedLink(name: name, a: (a.0, a.1), b: (b.0, b.1), options: options, clock: simulator)
    }

    /// The MAC of r1's interface `index` (it moves with the VM).
    public static func r1MAC(_ index: Int) -> MACAddress { MACAddress(0x02, 0x52, 0, 0, 0, 0x21 + UInt8(index)) }

    static func vm(
        _ name: VirtualRouterID, _ interfaces: [(String, UInt8, IPv4Address)], forwarding: ForwardingMode,
        memoryPages: Int = 1024, workload: GuestWorkload = GuestWorkload(), seed: UInt64
    ) -> VirtualMachineConfiguration {
        VirtualMachineConfiguration(
            router: name,
            interfaces: interfaces.map {
                VirtualInterface(name: $0.0, mac: MACAddress(0x02, 0x52, 0, 0, 0, $0.1), address: $0.2, prefixLength: 24)
            },
            forwarding: forwarding, memoryPages: memoryPages, workload: workload, seed: seed)
    }

    private func ospf(_ routerID: IPv4Address, _ interfaces: [(String, IPv4Address)], stub: IPv4Address?)
        -> OSPFConfiguration
    {
        OSPFConfiguration(
            routerID: routerID,
            interfaces: interfaces.map {
                OSPFInterfaceConfiguration(
                    name: $0.0, address: $0.1, prefixLength: 24, helloInterval: options.helloInterval,
                    routerDeadInterval: options.deadInterval, retransmitInterval: options.retransmitInterval)
            },
            stubNetworks: stub.map { [OSPFStubNetwork(OSPFPrefix($0, length: 24))] } ?? [])
    }

    private static func key(_ source: IPv4Address, _ identification: UInt16) -> UInt64 {
        UInt64(source.rawValue) << 16 | UInt64(identification)
    }

    private func observe(_ node: EmbeddedPhysicalNode) {
        node.onControlSent = { [unowned self] router, packet, now in
            guard router != Self.router else { return }
            control[Self.key(packet.source, packet.identification)] = ControlRecord(sentAt: now)
        }
        node.onControlDelivered = { [unowned self] router, packet, now in
            guard router == Self.router else { return }
            let key = Self.key(packet.source, packet.identification)
            if control[key] != nil, control[key]!.deliveredAt == nil { control[key]!.deliveredAt = now }
        }
        node.onDaemonOutput = { [unowned self] router, output, now in
            guard converged, case .neighborStateChanged(_, let neighbor, let from, let to, let event) = output else { return }
            adjacencyChanges.append("\(now.uptimeNanoseconds) ns \(router): \(neighbor) \(from) -> \(to) (\(event))")
            if from == .full && to < .full { adjacencyDrops += 1 }
        }
    }

    // MARK: Running

    /// The node r1's VM runs on now.
    public var routerNode: EmbeddedPhysicalNode? {
        [nodeA, nodeB].first { $0.node.machine(Self.router) != nil }
    }

    /// Runs the clock until every adjacency is Full and the edge routers have routes to each
    /// other's hosts through r1. Returns when; throws after `timeout` of virtual time.
    @discardableResult
    public func waitForConvergence(timeout: TimeAmount = .seconds(60)) throws -> NIODeadline {
        let deadline = simulator.now + timeout
        while simulator.now < deadline {
            simulator.run(for: .milliseconds(100))
            if isConverged {
                converged = true
                return simulator.now
            }
        }
        throw RouterMigrationExperimentError(
            "OSPF did not converge within \(Double(timeout.nanoseconds) / 1e9) s: "
                + [clientEdge, nodeA, serverEdge].flatMap { node in
                    node.node.machines.keys.sorted().map { router in
                        "\(router): " + (node.daemon(router)?.neighbors.map { "\($0.routerID) \($0.state)" }.joined(separator: ", ") ?? "-")
                    }
                }.joined(separator: "; "))
    }

    /// Whether r1's two adjacencies are Full and the client's and server's subnets are routed end to end.
    public var isConverged: Bool {
        guard let r1 = routerNode?.daemon(Self.router), let rClient = clientEdge.daemon("r-client"),
            let rServer = serverEdge.daemon("r-server")
        else { return false }
        let full = r1.neighbors.count == 2 && r1.neighbors.allSatisfy { $0.state == .full }
            && rClient.neighbors.allSatisfy { $0.state == .full } && rServer.neighbors.allSatisfy { $0.state == .full }
        let toServer = rClient.routes.contains { $0.prefix == OSPFPrefix(Self.serverAddress, length: 24) }
        let toClient = rServer.routes.contains { $0.prefix == OSPFPrefix(Self.clientAddress, length: 24) }
        let inR1 = r1.routes.contains { $0.prefix == OSPFPrefix(Self.serverAddress, length: 24) }
            && r1.routes.contains { $0.prefix == OSPFPrefix(Self.clientAddress, length: 24) }
        return full && toServer && toClient && inR1
    }

    /// Pings the server from the client until a ping comes back (every hop has resolved ARP), at
    /// most `attempts` times, 100 ms apart. Throws if none does.
    public func primeForwarding(attempts: Int = 10) throws {
        var answered = false
        for _ in 0..<attempts {
            client.ping(Self.serverAddress, timeout: .milliseconds(90)) { result in
                if case .reply = result { answered = true }
            }
            simulator.run(for: .milliseconds(100))
            if answered { break }
        }
        guard answered else {
            throw RouterMigrationExperimentError("the client cannot reach the server through r1 after OSPF converged")
        }
        // Both directions once more, with every ARP entry in place.
        client.ping(Self.serverAddress, timeout: .milliseconds(90)) { _ in }
        simulator.run(for: .milliseconds(100))
    }

    /// The migration of r1 from node-a to node-b over the migration link, as the scheme says.
    public func migration(
        preCopy: PreCopyConfiguration = .init(), oldDataPlaneLinger: TimeAmount = .milliseconds(100),
        channelBreaksAt: NIODeadline? = nil
    ) -> EmbeddedRouterMigration {
        let macA = MACAddress(0x02, 0x4E, 0, 0, 0, 0x0A)
        let macB = MACAddress(0x02, 0x4E, 0, 0, 0, 0x0B)
        let ipA = IPv4Address(172, 16, 0, 1)
        let ipB = IPv4Address(172, 16, 0, 2)
        let tunnel: TunnelID = "r1-a-b"
        let channel = LiveMigrationChannel(
            bandwidth: Int(options.migrationBandwidth / 8), latency: options.migrationLatency, breaksAt: channelBreaksAt)
        let separated = options.scheme == .planeSeparated
        let configuration = RouterMigration.Configuration(
            router: Self.router, scheme: options.scheme,
            destinationBindings: [0: .physical(port: Self.eth0), 1: .physical(port: Self.eth1)],
            sourceTunnel: separated
                ? TunnelEndpoint.Configuration(
                    id: tunnel, localAddress: ipA, localMAC: macA, remoteAddress: ipB, remoteMAC: macB, port: Self.eth2)
                : nil,
            destinationTunnel: separated
                ? TunnelEndpoint.Configuration(
                    id: tunnel, localAddress: ipB, localMAC: macB, remoteAddress: ipA, remoteMAC: macA, port: Self.eth2)
                : nil,
            channel: channel, preCopy: preCopy, oldDataPlaneLinger: oldDataPlaneLinger)
        return EmbeddedRouterMigration(configuration, from: nodeA, to: nodeB)
    }

    /// The control packets to r1 sent from `start` up to `end`: how many, how many never reached
    /// its daemon, and the longest extra delay (beyond the shortest delay of those sent before `start`).
    public func controlSummary(from start: NIODeadline, to end: NIODeadline) -> ControlSummary {
        let records = control.values
        let usual = records.filter { $0.sentAt < start }.compactMap { record in
            record.deliveredAt.map { $0 - record.sentAt }
        }.min() ?? .zero
        let window = records.filter { $0.sentAt >= start && $0.sentAt <= end }
        let delays = window.compactMap { record in record.deliveredAt.map { $0 - record.sentAt } }
        return ControlSummary(
            sent: window.count, lost: window.filter { $0.deliveredAt == nil }.count,
            maxExtraDelayMilliseconds: delays.max().map { Double(max(.zero, $0 - usual).nanoseconds) / 1e6 })
    }
}
