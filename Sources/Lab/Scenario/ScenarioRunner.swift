import Controller
import Migration
import NIOCore
import NIOPosix
import NetworkAddresses
import OpenFlow
import Scenario
import Substrate

/// Runs a ``Scenario`` on the embedded substrate, on the virtual clock (``EventSimulator``,
/// seeded and deterministic) or on the real clock (``RealClock``, one NIO event loop): builds the
/// switches, hosts and links, starts the controller apps the scenario names, installs every
/// virtual network's initial path through the embedded controller (IPv4 between the path's two
/// hosts and their ARP, both directions, each switch confirmed by a barrier), sends the traffic
/// flows with probes, carries out the flow migrations at their times with
/// ``FlowMigrationExecutor`` and returns what was measured.
///
/// The total migration time of a flow migration is measured from its trigger until the first
/// IPv4 packet crosses the first link of the new path that the old path does not use (a tap on
/// that link, so LLDP and ARP frames do not count).
///
/// ```swift
/// let result = try await ScenarioRunner.run(scenario)          // the scenario's clock
/// let result = try ScenarioRunner(scenario).run()              // virtual clock, synchronously
/// ```
public final class ScenarioRunner {
    public struct Options {
        /// Overrides the scenario's seed.
        public var seed: UInt64?
        /// Overrides the scenario's clock.
        public var clock: Scenario.Clock?
        /// Called every `progressInterval` of scenario time with (elapsed, duration).
        public var onProgress: ((TimeAmount, TimeAmount) -> Void)?
        public var progressInterval: TimeAmount

        public init(
            seed: UInt64? = nil, clock: Scenario.Clock? = nil,
            onProgress: ((TimeAmount, TimeAmount) -> Void)? = nil, progressInterval: TimeAmount = .seconds(1)
        ) {
            self.seed = seed
            self.clock = clock
            self.onProgress = onProgress
            self.progressInterval = progressInterval
        }
    }

    /// A flow migration under way.
    private final class RunningMigration {
        let migration: EmbeddedFlowMigration
        var firstNewPathPacket: NIODeadline?
        let trigger: NIODeadline

        init(_ migration: EmbeddedFlowMigration, trigger: NIODeadline) {
            self.migration = migration
            self.trigger = trigger
        }
    }

    public let scenario: Scenario
    public let options: Options
    /// The clock everything runs on.
    public let clock: any SubstrateClock
    /// The clock, when it is the virtual one.
    public var simulator: EventSimulator? { clock as? EventSimulator }
    public let network: EmbeddedNetwork
    private let controller: EmbeddedController
    /// Scenario time zero: set when the run starts.
    private var start: NIODeadline
    private var notes: [String] = []
    private var running: [Int: RunningMigration] = [:]
    private var migrationResults: [Int: ScenarioRunResult.Migration] = [:]

    /// Runs `scenario` to its end on the clock it asks for (or `options.clock`). On the real
    /// clock this takes the scenario's duration of wall-clock time, on one event loop of its own.
    public static func run(_ scenario: Scenario, options: Options = Options()) async throws -> ScenarioRunResult {
        switch options.clock ?? scenario.clock {
        case .virtual:
            return try ScenarioRunner(scenario, options: options).run()
        case .real:
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()
            let promise = loop.makePromise(of: ScenarioRunResult.self)
            loop.execute {
                do {
                    let clock = RealClock(eventLoop: loop, seed: options.seed ?? scenario.seed)
                    let runner = try ScenarioRunner(scenario, clock: clock, options: options)
                    let end = try runner.begin()
                    clock.schedule(at: end) { promise.succeed(runner.finish()) }
                } catch {
                    promise.fail(error)
                }
            }
            let result: Result<ScenarioRunResult, any Error>
            do { result = .success(try await promise.futureResult.get()) } catch { result = .failure(error) }
            try? await group.shutdownGracefully()
            return try result.get()
        }
    }

    /// Builds the network on the virtual clock; nothing runs until ``run()``.
    public convenience init(_ scenario: Scenario, options: Options = Options()) throws(ScenarioRunError) {
        if (options.clock ?? scenario.clock) == .real {
            throw .notSupported(
                "scenario '\(scenario.name)' asks for the real clock: use ScenarioRunner.run(_:options:)")
        }
        try self.init(scenario, clock: EventSimulator(seed: options.seed ?? scenario.seed), options: options)
    }

    /// Builds the network on `clock`; nothing runs until ``run()`` (virtual clock) or
    /// ``begin()`` (any clock; on a ``RealClock``, call it on its event loop).
    public init(_ scenario: Scenario, clock: any SubstrateClock, options: Options = Options()) throws(ScenarioRunError) {
        self.scenario = scenario
        self.options = options
        self.clock = clock
        start = clock.now
        guard scenario.nodes.isEmpty else {
            throw .notSupported(
                "physical nodes (\(scenario.nodes.map(\.name).joined(separator: ", "))): the embedded runner builds"
                    + " OpenFlow switches and hosts only")
        }
        network = EmbeddedNetwork(clock: clock)
        do {
            for sw in scenario.switches {
                try network.addSwitch(
                    sw.name, datapathID: sw.dpid,
                    options: .init(
                        tableCount: sw.tables, flowModDelay: .nanoseconds(sw.flowModDelay.nanoseconds),
                        flowModJitter: .nanoseconds(sw.flowModJitter.nanoseconds),
                        reorderProbability: sw.reorderUnconfirmed))
            }
            for host in scenario.hosts {
                try network.addHost(
                    host.name, ip: host.ip.address, prefixLength: host.ip.length, gateway: host.gateway, mac: host.mac)
            }
            for link in scenario.links {
                try network.addLink(
                    link.a.node, link.b.node,
                    options: .init(
                        latency: .nanoseconds(link.latency.nanoseconds),
                        bandwidth: link.bandwidth.bitsPerSecond > 0 ? Double(link.bandwidth.bitsPerSecond) : nil,
                        queueLength: link.queue, loss: link.loss),
                    portA: link.a.kind == .switch ? link.a.port : nil, portB: link.b.kind == .switch ? link.b.port : nil,
                    name: link.name)
            }
        } catch {
            throw .setup(element: "network", error.description)
        }
        var apps: [any ControllerApp] = []
        for name in scenario.controller.apps {
            switch name {
            case "lldp-discovery": apps.append(LLDPDiscovery())
            case "host-tracker": apps.append(HostTracker())
            case "learning-switch": apps.append(LearningSwitch())
            case "shortest-paths", "client-server-flows":
                notes.append("controller app \(name): the runner installs each virtual network's paths itself")
            default:
                notes.append("controller app \(name) is not known to the embedded runner; not started")
            }
        }
        controller = network.addController(apps: apps)
        controller.onSwitchMessage = { [unowned self] message in dispatch(message) }
    }

    /// Runs the scenario from start to end on the virtual clock.
    public func run() throws(ScenarioRunError) -> ScenarioRunResult {
        guard let simulator else {
            throw .notSupported("run() drives the virtual clock; on the real clock use ScenarioRunner.run(_:options:)")
        }
        let end = try begin()
        simulator.run(until: end)
        return finish()
    }

    /// The scenario time `offset` as a deadline of this run.
    private func at(_ offset: Int64) -> NIODeadline { start + .nanoseconds(offset) }

    /// Starts the run at the clock's present time: installs the initial paths and schedules the
    /// traffic, the migrations and the progress reports. Returns when the run ends; call
    /// ``finish()`` then.
    public func begin() throws(ScenarioRunError) -> NIODeadline {
        start = clock.now
        // Initial paths.
        var currentPath: [String: String] = [:]
        for (index, vnet) in scenario.virtualNetworks.enumerated() where !vnet.paths.isEmpty {
            let name = vnet.initialPath ?? vnet.paths[0].name
            currentPath[vnet.name] = name
            let request = try migrationRequest(vnet, index: index, from: name, to: name)
            controller.install(request.installation(of: request.oldPath))
        }
        // Traffic.
        var generators: [(Scenario.TrafficFlow, TrafficGenerator, ProbeSink)] = []
        for (index, flow) in scenario.traffic.enumerated() {
            do {
                let source = try network.host(flow.from)
                let destination = try network.host(flow.to)
                let sink = try ProbeSink(host: destination, port: UInt16(flow.port), flow: UInt32(index + 1))
                let generator = try TrafficGenerator(
                    host: source,
                    configuration: .init(
                        destination: destination.interface.ip, destinationPort: UInt16(flow.port),
                        flow: UInt32(index + 1), rate: flow.rate.packetsPerSecond, datagramSize: Int(flow.size.bytes),
                        count: UInt64(flow.packetCount)))
                generator.start(at: at(flow.start.nanoseconds))
                generators.append((flow, generator, sink))
            } catch {
                throw .setup(element: "traffic '\(flow.name)'", "\(error)")
            }
        }
        // Migrations.
        for (index, migration) in scenario.migrations.enumerated() {
            let trigger = at(migration.at.nanoseconds)
            switch migration.action {
            case .flows(let flows):
                guard let vnetIndex = scenario.virtualNetworks.firstIndex(where: { $0.name == flows.network }) else {
                    throw .setup(element: "migration \(index + 1)", "no virtual network '\(flows.network)'")
                }
                let request = try migrationRequest(
                    scenario.virtualNetworks[vnetIndex], index: vnetIndex, from: flows.from, to: flows.to)
                let plan: FlowMigrationPlan
                do {
                    plan = try FlowMigrationPlanner.plan(
                        request, algorithm: FlowMigrationAlgorithm(rawValue: flows.algorithm.rawValue) ?? .consistent,
                        options: .init(drainInterval: .nanoseconds(flows.drain.nanoseconds)))
                } catch {
                    throw .setup(element: "migration \(index + 1)", "\(error)")
                }
                let watched = newPathLink(scenario.virtualNetworks[vnetIndex], from: flows.from, to: flows.to)
                migrationResults[index] = ScenarioRunResult.Migration(
                    kind: "flows", network: flows.network, from: flows.from, to: flows.to,
                    algorithm: flows.algorithm.rawValue, atMilliseconds: migration.at.milliseconds, outcome: "unfinished",
                    newPathLink: watched?.name)
                if flows.count != nil { notes.append("migration \(index + 1): count is not used by the embedded runner") }
                let configuration = FlowMigrationExecutor.Configuration(
                    barrierTimeout: .nanoseconds(flows.timeout.nanoseconds),
                    firstXID: 0xF100_0000 &+ UInt32(index) &* 0x0010_0000)
                clock.schedule(at: trigger) { [unowned self] in
                    start(index, plan: plan, configuration: configuration, watching: watched)
                }
            case .router(let router):
                migrationResults[index] = ScenarioRunResult.Migration(
                    kind: "router", network: router.network, from: router.from, to: router.to,
                    algorithm: router.scheme.rawValue, atMilliseconds: migration.at.milliseconds,
                    outcome: "not_supported",
                    reason: "router migration is not supported by the embedded runner yet; nothing was done")
            }
        }
        // Ping probes.
        for probe in scenario.probes {
            guard case .ping(let from, let to) = probe.target else { continue }
            do {
                let source = try network.host(from)
                let destination = try network.host(to).interface.ip
                let state = PingProbe(name: probe.name, from: from, to: to)
                pingProbes.append(state)
                let interval = TimeAmount.nanoseconds(max(probe.interval.nanoseconds, 1_000_000))
                schedulePing(state, from: source, to: destination, at: start, interval: interval)
            } catch {
                throw .setup(element: "probe '\(probe.name)'", "\(error)")
            }
        }
        // Progress.
        self.generators = generators
        let end = at(scenario.duration.nanoseconds)
        if let onProgress = options.onProgress { scheduleProgress(onProgress, end: end) }
        return end
    }

    private var generators: [(Scenario.TrafficFlow, TrafficGenerator, ProbeSink)] = []

    /// What a ping probe has seen so far.
    private final class PingProbe {
        let name: String, from: String, to: String
        var sent = 0
        var timeouts = 0
        var roundTrips: [TimeAmount] = []
        init(name: String, from: String, to: String) {
            self.name = name
            self.from = from
            self.to = to
        }
    }

    private var pingProbes: [PingProbe] = []

    /// Sends one echo request at `deadline` and the next one an interval later, until the end;
    /// a request unanswered within the interval counts as a timeout.
    private func schedulePing(
        _ probe: PingProbe, from host: EmbeddedHost, to destination: IPv4Address, at deadline: NIODeadline,
        interval: TimeAmount
    ) {
        let end = at(scenario.duration.nanoseconds)
        guard deadline + interval <= end else { return }
        clock.schedule(at: deadline) { [unowned self] in
            probe.sent += 1
            host.ping(destination, timeout: interval) { result in
                switch result {
                case .reply(let roundTrip): probe.roundTrips.append(roundTrip)
                case .timeout: probe.timeouts += 1
                }
            }
            schedulePing(probe, from: host, to: destination, at: deadline + interval, interval: interval)
        }
    }

    /// What was measured, once the run has ended.
    public func finish() -> ScenarioRunResult {
        var links: [ScenarioRunResult.Link] = []
        for probe in scenario.probes {
            if case .link(let name) = probe.target, let link = network.links[name] {
                links.append(.init(name: name, counters: link.totalCounters))
            }
        }
        for probe in scenario.probes {
            switch probe.target {
            case .flow, .link: break
            case .ping: break
            case .adjacency: notes.append("probe '\(probe.name)': adjacency probes are not run yet")
            }
        }
        return ScenarioRunResult(
            scenario: scenario.name, seed: clock.seed, clock: simulator == nil ? "real" : "virtual",
            durationMilliseconds: scenario.duration.milliseconds,
            flows: generators.map { entry in
                .init(
                    name: entry.0.name, from: entry.0.from, to: entry.0.to, report: entry.2.report(sent: entry.1.sent))
            },
            migrations: scenario.migrations.indices.compactMap { migrationResults[$0] },
            links: links,
            pings: pingProbes.map {
                .init(name: $0.name, from: $0.from, to: $0.to, sent: $0.sent, timeouts: $0.timeouts, roundTrips: $0.roundTrips)
            },
            notes: notes)
    }

    private func scheduleProgress(_ onProgress: @escaping (TimeAmount, TimeAmount) -> Void, end: NIODeadline) {
        clock.schedule(after: options.progressInterval) { [unowned self] in
            guard clock.now < end else { return }
            onProgress(clock.now - start, end - start)
            scheduleProgress(onProgress, end: end)
        }
    }

    // MARK: migrations

    private func start(
        _ index: Int, plan: FlowMigrationPlan, configuration: FlowMigrationExecutor.Configuration,
        watching link: (name: String, link: EmbeddedLink)?
    ) {
        let migration = EmbeddedFlowMigration(plan: plan, configuration: configuration, controller: controller)
        migration.onFinished = { [unowned self] report in
            migrationResults[index]?.outcome = report.outcome.rawValue
            migrationResults[index]?.reason = report.reason
            migrationResults[index]?.confirmedMilliseconds = report.confirmedMilliseconds
            migrationResults[index]?.finishedMilliseconds = report.finishedMilliseconds
            migrationResults[index]?.flowMods = report.flowMods
            migrationResults[index]?.barriers = report.barriers
        }
        running[index] = RunningMigration(migration, trigger: clock.now)
        if let link { watch(index, link: link.link) }
        migration.start()
    }

    /// Taps the link until an IPv4 packet crosses it; chains any tap already there (two
    /// migrations may watch one link).
    private func watch(_ index: Int, link: EmbeddedLink) {
        let earlier = link.onDeliver
        link.onDeliver = { [unowned self] frame, side in
            earlier?(frame, side)
            guard let migration = running[index], migration.firstNewPathPacket == nil, Self.isIPv4(frame) else { return }
            migration.firstNewPathPacket = clock.now
            migrationResults[index]?.totalMigrationMilliseconds = milliseconds(clock.now - migration.trigger)
        }
    }

    /// Whether an Ethernet frame carries IPv4 (untagged or behind one 802.1Q tag).
    static func isIPv4(_ frame: ByteBuffer) -> Bool {
        guard let type = frame.getInteger(at: frame.readerIndex + 12, as: UInt16.self) else { return false }
        if type == 0x8100 { return frame.getInteger(at: frame.readerIndex + 16, as: UInt16.self) == 0x0800 }
        return type == 0x0800
    }

    private func dispatch(_ message: EmbeddedController.SwitchMessage) {
        for index in running.keys.sorted() { running[index]?.migration.handle(message) }
    }

    // MARK: paths

    /// The flows of `vnet` along its paths `from` and `to`: IPv4 between the paths' end hosts
    /// and ARP for each of them, both ways, tagged with the network's index as cookie.
    private func migrationRequest(_ vnet: Scenario.VirtualNetwork, index: Int, from: String, to: String) throws(ScenarioRunError)
        -> FlowMigrationRequest
    {
        let element = "virtual network '\(vnet.name)'"
        guard let old = vnet.path(named: from) else { throw .setup(element: element, "no path '\(from)'") }
        guard let new = vnet.path(named: to) else { throw .setup(element: element, "no path '\(to)'") }
        guard let first = old.nodes.first, let last = old.nodes.last,
            let source = scenario.hosts.first(where: { $0.name == first }),
            let destination = scenario.hosts.first(where: { $0.name == last })
        else {
            throw .notSupported("\(element): path '\(from)' must run from a host to a host")
        }
        let a = source.ip.address, b = destination.ip.address
        let flows = [
            MigratedFlow(
                forward: [.ethType(0x0800), .ipv4Src(a), .ipv4Dst(b)],
                reverse: [.ethType(0x0800), .ipv4Src(b), .ipv4Dst(a)]),
            MigratedFlow(forward: [.ethType(0x0806), .arpTpa(b)], reverse: [.ethType(0x0806), .arpTpa(a)]),
        ]
        return FlowMigrationRequest(
            flows: flows, oldPath: try hops(old, in: vnet), newPath: try hops(new, in: vnet),
            cookie: UInt64(index + 1))
    }

    /// The switches of `path` with the ports it enters and leaves them by.
    private func hops(_ path: Scenario.Path, in vnet: Scenario.VirtualNetwork) throws(ScenarioRunError) -> [PathHop] {
        var result: [PathHop] = []
        let nodes = path.nodes
        for position in nodes.indices.dropFirst().dropLast() {
            let name = nodes[position]
            guard let sw = scenario.switches.first(where: { $0.name == name }) else {
                throw .notSupported("virtual network '\(vnet.name)', path '\(path.name)': '\(name)' is not a switch")
            }
            guard let inPort = port(of: name, toward: nodes[position - 1]),
                let outPort = port(of: name, toward: nodes[position + 1])
            else {
                throw .setup(
                    element: "virtual network '\(vnet.name)', path '\(path.name)'",
                    "no link joins '\(name)' to its neighbours on the path")
            }
            result.append(PathHop(datapathID: sw.dpid, inPort: inPort, outPort: outPort))
        }
        return result
    }

    private func port(of node: String, toward peer: String) -> UInt32? {
        scenario.links.first { Set([$0.a.node, $0.b.node]) == Set([node, peer]) }?.end(at: node)?.port
    }

    /// The first link of path `to` that path `from` does not use.
    private func newPathLink(_ vnet: Scenario.VirtualNetwork, from: String, to: String) -> (
        name: String, link: EmbeddedLink
    )? {
        guard let old = vnet.path(named: from), let new = vnet.path(named: to) else { return nil }
        func linkNames(_ nodes: [String]) -> [String] {
            zip(nodes, nodes.dropFirst()).compactMap { u, v in
                scenario.links.first { Set([$0.a.node, $0.b.node]) == Set([u, v]) }?.name
            }
        }
        let oldLinks = Set(linkNames(old.nodes))
        guard let name = linkNames(new.nodes).first(where: { !oldLinks.contains($0) }), let link = network.links[name]
        else { return nil }
        return (name, link)
    }

    private func milliseconds(_ amount: TimeAmount) -> Double { Double(amount.nanoseconds) / 1e6 }
}
