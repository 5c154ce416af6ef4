import Controller
import Migration
import NIOCore
import NetworkAddresses
import OpenFlow
import Scenario
import Substrate

/// Runs a ``Scenario`` on the embedded substrate with the virtual clock (``EventSimulator``):
/// builds the switches, hosts and links, installs every virtual network's initial path through
/// the embedded controller (IPv4 between the path's two hosts and their ARP, both directions,
/// each switch confirmed by a barrier), sends the traffic flows with probes, carries out the
/// flow migrations at their times with ``FlowMigrationExecutor`` and returns what was measured.
///
/// The total migration time of a flow migration is measured from its trigger until the first
/// frame crosses the first link of the new path that the old path does not use (the link's
/// delivered counter, checked every ``Options/detectionResolution``).
public final class ScenarioRunner {
    public struct Options {
        /// Overrides the scenario's seed.
        public var seed: UInt64?
        /// How often the new-path link is checked after a trigger.
        public var detectionResolution: TimeAmount
        /// Called every `progressInterval` of virtual time with (now, duration).
        public var onProgress: ((TimeAmount, TimeAmount) -> Void)?
        public var progressInterval: TimeAmount

        public init(
            seed: UInt64? = nil, detectionResolution: TimeAmount = .microseconds(10),
            onProgress: ((TimeAmount, TimeAmount) -> Void)? = nil, progressInterval: TimeAmount = .seconds(1)
        ) {
            self.seed = seed
            self.detectionResolution = detectionResolution
            self.onProgress = onProgress
            self.progressInterval = progressInterval
        }
    }

    /// A flow migration under way.
    private final class RunningMigration {
        var executor: FlowMigrationExecutor
        var timer: ScheduledEvent?
        var report: FlowMigrationReport?
        var firstNewPathPacket: NIODeadline?
        let trigger: NIODeadline

        init(executor: FlowMigrationExecutor, trigger: NIODeadline) {
            self.executor = executor
            self.trigger = trigger
        }
    }

    public let scenario: Scenario
    public let options: Options
    public let simulator: EventSimulator
    public let network: EmbeddedNetwork
    private let controller: EmbeddedController
    private var notes: [String] = []
    private var running: [Int: RunningMigration] = [:]
    private var migrationResults: [Int: ScenarioRunResult.Migration] = [:]

    /// Builds the network; nothing runs until ``run()``.
    public init(_ scenario: Scenario, options: Options = Options()) throws(ScenarioRunError) {
        self.scenario = scenario
        self.options = options
        if scenario.clock == .real {
            throw .notSupported("scenario '\(scenario.name)' asks for the real clock; run it with --clock virtual")
        }
        guard scenario.nodes.isEmpty else {
            throw .notSupported(
                "physical nodes (\(scenario.nodes.map(\.name).joined(separator: ", "))): the embedded runner builds"
                    + " OpenFlow switches and hosts only")
        }
        simulator = EventSimulator(seed: options.seed ?? scenario.seed)
        network = EmbeddedNetwork(clock: simulator)
        do {
            for sw in scenario.switches {
                try network.addSwitch(
                    sw.name, datapathID: sw.dpid,
                    options: .init(
                        tableCount: sw.tables, flowModDelay: .nanoseconds(sw.flowModDelay.nanoseconds),
                        reorderUnconfirmed: sw.reorderUnconfirmed > 0))
                if sw.flowModJitter.nanoseconds > 0 { notes.append("\(sw.name): flow_mod_jitter is not modelled") }
                if sw.reorderUnconfirmed > 0, sw.reorderUnconfirmed < 1 {
                    notes.append("\(sw.name): reorder_unconfirmed \(sw.reorderUnconfirmed) taken as 'reorders'")
                }
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
        if !scenario.controller.apps.isEmpty {
            notes.append(
                "controller apps \(scenario.controller.apps.joined(separator: ", ")) not started: the runner installs"
                    + " each virtual network's paths itself")
        }
        controller = network.addController(apps: [])
        controller.onSwitchMessage = { [unowned self] message in dispatch(message) }
    }

    /// Runs the scenario from start to end on the virtual clock.
    public func run() throws(ScenarioRunError) -> ScenarioRunResult {
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
                generator.start(at: .uptimeNanoseconds(UInt64(flow.start.nanoseconds)))
                generators.append((flow, generator, sink))
            } catch {
                throw .setup(element: "traffic '\(flow.name)'", "\(error)")
            }
        }
        // Migrations.
        for (index, migration) in scenario.migrations.enumerated() {
            let at = NIODeadline.uptimeNanoseconds(UInt64(migration.at.nanoseconds))
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
                simulator.schedule(at: at) { [unowned self] in
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
        // Progress.
        let end = NIODeadline.uptimeNanoseconds(UInt64(scenario.duration.nanoseconds))
        if let onProgress = options.onProgress { scheduleProgress(onProgress, end: end) }
        simulator.run(until: end)

        var links: [ScenarioRunResult.Link] = []
        for probe in scenario.probes {
            if case .link(let name) = probe.target, let link = network.links[name] {
                links.append(.init(name: name, counters: link.totalCounters))
            }
        }
        for probe in scenario.probes {
            switch probe.target {
            case .flow, .link: break
            case .ping: notes.append("probe '\(probe.name)': ping probes are not run yet")
            case .adjacency: notes.append("probe '\(probe.name)': adjacency probes are not run yet")
            }
        }
        return ScenarioRunResult(
            scenario: scenario.name, seed: simulator.seed, clock: "virtual",
            durationMilliseconds: scenario.duration.milliseconds,
            flows: generators.map { entry in
                .init(
                    name: entry.0.name, from: entry.0.from, to: entry.0.to, report: entry.2.report(sent: entry.1.sent))
            },
            migrations: scenario.migrations.indices.compactMap { migrationResults[$0] },
            links: links, notes: notes)
    }

    private func scheduleProgress(_ onProgress: @escaping (TimeAmount, TimeAmount) -> Void, end: NIODeadline) {
        simulator.schedule(after: options.progressInterval) { [unowned self] in
            guard simulator.now < end else { return }
            onProgress(.nanoseconds(Int64(simulator.now.uptimeNanoseconds)), .nanoseconds(Int64(end.uptimeNanoseconds)))
            scheduleProgress(onProgress, end: end)
        }
    }

    // MARK: migrations

    private func start(
        _ index: Int, plan: FlowMigrationPlan, configuration: FlowMigrationExecutor.Configuration,
        watching link: (name: String, link: EmbeddedLink)?
    ) {
        let now = simulator.now
        let migration = RunningMigration(
            executor: FlowMigrationExecutor(plan: plan, configuration: configuration), trigger: now)
        running[index] = migration
        if let link { watch(index, link: link.link, baseline: link.link.totalCounters.delivered) }
        take(index, migration.executor.start(now: now))
    }

    /// Checks the link every ``Options/detectionResolution`` until a frame crosses it.
    private func watch(_ index: Int, link: EmbeddedLink, baseline: UInt64) {
        simulator.schedule(after: options.detectionResolution) { [unowned self] in
            guard let migration = running[index], migration.firstNewPathPacket == nil else { return }
            if link.totalCounters.delivered > baseline {
                migration.firstNewPathPacket = simulator.now
                migrationResults[index]?.totalMigrationMilliseconds = milliseconds(simulator.now - migration.trigger)
            } else {
                watch(index, link: link, baseline: baseline)
            }
        }
    }

    private func take(_ index: Int, _ actions: [FlowMigrationExecutor.Action]) {
        guard let migration = running[index] else { return }
        for action in actions {
            switch action {
            case .send(let datapathID, let messages):
                for outgoing in messages { controller.send(outgoing.message, xid: outgoing.xid, to: datapathID) }
            case .finished(let report):
                migration.report = report
                migrationResults[index]?.outcome = report.outcome.rawValue
                migrationResults[index]?.reason = report.reason
                migrationResults[index]?.confirmedMilliseconds = report.confirmedMilliseconds
                migrationResults[index]?.finishedMilliseconds = report.finishedMilliseconds
                migrationResults[index]?.flowMods = report.flowMods
                migrationResults[index]?.barriers = report.barriers
            }
        }
        if let timer = migration.timer { simulator.cancel(timer) }
        migration.timer = nil
        if let deadline = migration.executor.nextDeadline, !migration.executor.isFinished {
            migration.timer = simulator.schedule(at: deadline) { [unowned self] in
                guard let migration = running[index] else { return }
                migration.timer = nil
                take(index, migration.executor.timerFired(now: simulator.now))
            }
        }
    }

    private func dispatch(_ message: EmbeddedController.SwitchMessage) {
        for index in running.keys.sorted() {
            guard let migration = running[index], !migration.executor.isFinished else { continue }
            switch message.message {
            case .barrierReply:
                take(
                    index,
                    migration.executor.barrierReplied(
                        datapathID: message.datapathID, xid: message.xid, now: message.receivedAt))
            case .error(let error):
                take(
                    index,
                    migration.executor.errorReceived(
                        datapathID: message.datapathID, xid: message.xid, error: error, now: message.receivedAt))
            default:
                break
            }
        }
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
