import Controller
import Migration
import NIOCore
import NetworkAddresses
import OpenFlow
import Substrate

/// The diamond of ``FlowMigrationLinuxBackend`` on the embedded substrate, on a virtual clock:
/// the same switches, ports, addresses and flows, with ``EmbeddedSwitch``es, ``EmbeddedHost``s
/// and an ``EmbeddedController`` in one process. Each trial builds the network afresh (seed
/// `seed + trial number`), installs the old path (and ARP along it, which the plan does not
/// move), sends the probes and carries out the plan at its trigger; the first probe on the new
/// path is seen on the s1–s3 link.
public final class FlowMigrationEmbeddedBackend: FlowMigrationBackend, @unchecked Sendable {
    public let name = "embedded"
    public let seed: UInt64
    /// Knobs of every switch (flow-mod delay, reordering).
    public let switchOptions: EmbeddedSwitch.Options
    public let linkOptions: EmbeddedLink.Options
    private static let client = IPv4Address(10, 0, 0, 1)
    private static let server = IPv4Address(10, 0, 0, 2)
    private var request: FlowMigrationRequest?
    private var trials: UInt64 = 0
    private var lastNetwork: EmbeddedNetwork?

    public init(
        seed: UInt64 = 1, switchOptions: EmbeddedSwitch.Options = .init(flowModDelay: .microseconds(100)),
        linkOptions: EmbeddedLink.Options = .init(latency: .microseconds(100), bandwidth: 1e9)
    ) {
        self.seed = seed
        self.switchOptions = switchOptions
        self.linkOptions = linkOptions
    }

    public func prepare(flows: Int) async throws -> FlowMigrationRequest {
        guard flows >= 1, flows <= Int(UInt16.max - FlowMigrationLinuxBackend.probePort) else {
            throw FlowMigrationExperimentError(
                "--flows must be between 1 and \(UInt16.max - FlowMigrationLinuxBackend.probePort), not \(flows)")
        }
        return FlowMigrationRequest(
            flows: FlowMigrationLinuxBackend.flows(flows, client: Self.client, server: Self.server),
            oldPath: FlowMigrationLinuxBackend.oldPath, newPath: FlowMigrationLinuxBackend.newPath, priority: 100,
            cookie: 0xF10)
    }

    /// Remembers the request: every trial starts from a fresh network with only the old path.
    public func installOldPath(_ request: FlowMigrationRequest) async throws {
        self.request = request
        let (simulator, network, _) = try build(request, seed: seed)
        simulator.run(for: .milliseconds(100))
        lastNetwork = network
    }

    private func build(_ request: FlowMigrationRequest, seed: UInt64) throws -> (
        EventSimulator, EmbeddedNetwork, EmbeddedController
    ) {
        let simulator = EventSimulator(seed: seed)
        let network = EmbeddedNetwork(clock: simulator)
        for dpid: UInt64 in 1...4 { try network.addSwitch("s\(dpid)", datapathID: dpid, options: switchOptions) }
        try network.addHost("h1", ip: Self.client)
        try network.addHost("h2", ip: Self.server)
        try network.addLink("h1", "s1", options: linkOptions, portB: 1)
        try network.addLink("s4", "h2", options: linkOptions, portA: 1)
        for ((a, aPort), (b, bPort)) in FlowMigrationLinuxBackend.cables {
            try network.addLink(
                "s\(a)", "s\(b)", options: linkOptions, portA: UInt32(aPort), portB: UInt32(bPort))
        }
        let controller = network.addController(apps: [])
        let arp = PathInstaller.flowMods(match: [.ethType(0x0806)], path: request.oldPath, priority: 50, cookie: 0xA4)
            + PathInstaller.flowMods(
                match: [.ethType(0x0806)], path: FlowMigrationDirection.reverse.hops(of: request.oldPath), priority: 50,
                cookie: 0xA4)
        controller.install(request.installation(of: request.oldPath) + arp)
        return (simulator, network, controller)
    }

    public func run(_ trial: FlowMigrationTrial) async throws -> FlowMigrationTrialResult {
        guard let request else { throw FlowMigrationExperimentError("installOldPath() first") }
        trials += 1
        let (simulator, network, controller) = try build(request, seed: seed &+ trials)
        simulator.run(for: .milliseconds(100))
        let sink = try ProbeSink(host: network.host("h2"), port: FlowMigrationLinuxBackend.probePort, flow: 1)
        let count = UInt64((trial.rate * Double(trial.duration.nanoseconds) / 1e9).rounded(.down))
        let generator = try TrafficGenerator(
            host: network.host("h1"),
            configuration: .init(
                destination: Self.server, destinationPort: FlowMigrationLinuxBackend.probePort, flow: 1, rate: trial.rate,
                datagramSize: trial.datagramSize, count: count))
        let start = simulator.now + .milliseconds(10)
        generator.start(at: start)
        let watched = network.links(between: "s1", and: "s3")[0]
        let watchedSide: EmbeddedLink.Side = watched.a.node.name == "s1" ? .a : .b
        var report: FlowMigrationReport?
        var firstOnNewPath: NIODeadline?
        let trigger = start + trial.triggerAfter
        if let plan = trial.plan {
            let migration = EmbeddedFlowMigration(plan: plan, configuration: trial.executor, controller: controller)
            migration.onFinished = { report = $0 }
            controller.onSwitchMessage = { migration.handle($0) }
            simulator.schedule(at: trigger) { migration.start() }
            func watch() {
                simulator.schedule(after: .microseconds(10)) {
                    if watched.counters(from: watchedSide).delivered > 0 {
                        firstOnNewPath = simulator.now
                    } else if simulator.now < start + trial.duration {
                        watch()
                    }
                }
            }
            simulator.schedule(at: trigger) { watch() }
        }
        simulator.run(until: start + trial.duration + .milliseconds(500))
        lastNetwork = network
        return FlowMigrationTrialResult(
            probe: sink.report(sent: generator.sent), migration: report,
            totalMigrationMilliseconds: firstOnNewPath.map { Double(($0 - trigger).nanoseconds) / 1e6 },
            newPathProbes: watched.counters(from: watchedSide).delivered)
    }

    /// The entries of the last network built, one line each in `ovs-ofctl dump-flows` style.
    public func flowTables() async throws -> [UInt64: [String]] {
        guard let network = lastNetwork else { return [:] }
        var result: [UInt64: [String]] = [:]
        for sw in network.switches.values {
            var datapath = sw.datapath
            let outputs = datapath.handle(
                .multipartRequest(OF13.MultipartRequest(body: .flow(.init()))), xid: 1, now: network.clock.now)
            var lines: [String] = []
            for output in outputs {
                guard case .message(.multipartReply(let reply), _) = output, case .flow(let stats) = reply.body else {
                    continue
                }
                for entry in stats.elements { lines.append(Self.line(entry)) }
            }
            result[sw.datapathID] = lines.sorted()
        }
        return result
    }

    static func line(_ entry: OF13.FlowStats) -> String {
        var fields: [String] = []
        for field in entry.match.fields.elements {
            switch field {
            case .inPort(let port, _): fields.append("in_port=\(port)")
            case .udpDst(let port, _): fields.append("tp_dst=\(port)")
            case .udpSrc(let port, _): fields.append("tp_src=\(port)")
            default: fields.append("\(field)")
            }
        }
        var outputs: [String] = []
        for instruction in entry.instructions.elements {
            if case .applyActions(let actions) = instruction {
                for action in actions.elements { if case .output(let port, _) = action { outputs.append("output:\(port)") } }
            }
        }
        return "cookie=0x\(String(entry.cookie, radix: 16)), table=\(entry.tableID), n_packets=\(entry.packetCount), "
            + "priority=\(entry.priority),\(fields.joined(separator: ",")) actions=\(outputs.joined(separator: ","))"
    }

    public func tearDown() async {
        lastNetwork = nil
    }
}
