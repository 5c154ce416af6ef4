import Controller
import Foundation
import Lab
import Migration
import NIOCore
import NetworkAddresses
import OpenFlow
import Substrate

/// The workload of `vnm bench migration`: a detour on the embedded substrate, on the virtual
/// clock, with `flows` two-way flows moved from the old branch to the new one.
///
/// ```
///        o1 — o2 — ... — oK          old path: h1 → s1:1→2 → o1 … oK → e:2→1 → h2
///  h1 — s1                 e — h2
///        n1 — n2 — ... — nK          new path: h1 → s1:1→3 → n1 … nK → e:3→1 → h2
/// ```
/// A path of `pathLength` switches has `pathLength - 2` switches in each branch (3: the
/// paper's diamond). Every switch has its own control channel of one-way `controlLatency`.
///
/// Measured per run: the wall-clock time of the planner, and of carrying the plan out (every
/// FLOW_MOD and barrier through the switches' control channels, applied by their datapaths,
/// every reply back to the executor), from the trigger until the executor finished — vnm's own
/// cost; and the simulated times the executor reports (`confirmed_ms`), which also contain the
/// modelled latencies, flow-mod delays and the drain interval, none of which cost wall time.
public enum FlowMigrationBenchmark {
    public struct Setup: Sendable, Hashable {
        public var flows: Int
        public var pathLength: Int
        public var algorithm: FlowMigrationAlgorithm
        public var drain: TimeAmount
        public var batchSize: Int
        public var switchOptions: EmbeddedSwitch.Options
        public var linkLatency: TimeAmount
        public var controlLatency: TimeAmount

        public init(
            flows: Int, pathLength: Int = 3, algorithm: FlowMigrationAlgorithm, drain: TimeAmount = .milliseconds(20),
            batchSize: Int = 1000, switchOptions: EmbeddedSwitch.Options = .init(), linkLatency: TimeAmount = .microseconds(10),
            controlLatency: TimeAmount = .microseconds(10)
        ) {
            self.flows = flows
            self.pathLength = pathLength
            self.algorithm = algorithm
            self.drain = drain
            self.batchSize = batchSize
            self.switchOptions = switchOptions
            self.linkLatency = linkLatency
            self.controlLatency = controlLatency
        }
    }

    public struct Result: Sendable, Codable {
        public var flows: Int
        public var pathLength: Int
        public var algorithm: String
        public var outcome: String
        public var flowMods: Int
        public var barriers: Int
        /// Wall clock: planning.
        public var planWallMilliseconds: Double
        /// Wall clock: the trigger until the executor finished (the simulator runs the switches).
        public var executeWallMilliseconds: Double
        /// Simulated: the trigger until the last confirmation.
        public var simulatedConfirmedMilliseconds: Double?
        /// After the migration, the old branch holds none of the flows' entries and the new one all.
        public var verified: Bool

        public var totalWallMilliseconds: Double { planWallMilliseconds + executeWallMilliseconds }

        enum CodingKeys: String, CodingKey {
            case flows, algorithm, outcome, barriers, verified
            case pathLength = "path_length"
            case flowMods = "flow_mods"
            case planWallMilliseconds = "plan_wall_ms"
            case executeWallMilliseconds = "execute_wall_ms"
            case simulatedConfirmedMilliseconds = "simulated_confirmed_ms"
        }
    }

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The old and new paths of a detour of `pathLength` switches.
    public static func paths(pathLength: Int) -> (old: [PathHop], new: [PathHop]) {
        let middle = pathLength - 2
        func branch(base: UInt64, port: UInt32) -> [PathHop] {
            [PathHop(datapathID: 1, inPort: 1, outPort: port)]
                + (0..<middle).map { PathHop(datapathID: base + UInt64($0), inPort: 1, outPort: 2) }
                + [PathHop(datapathID: 2, inPort: port, outPort: 1)]
        }
        return (branch(base: 100, port: 2), branch(base: 200, port: 3))
    }

    public static func run(_ setup: Setup, seed: UInt64 = 1) throws -> Result {
        guard setup.pathLength >= 3 else { throw SetupError(description: "--path-length must be at least 3 (one switch per branch)") }
        guard setup.flows >= 1, setup.flows <= 60_000 else { throw SetupError(description: "flows must be 1...60000") }
        let simulator = EventSimulator(seed: seed)
        let network = EmbeddedNetwork(clock: simulator)
        let link = EmbeddedLink.Options(latency: setup.linkLatency)
        let (oldPath, newPath) = paths(pathLength: setup.pathLength)
        try network.addSwitch("s1", datapathID: 1, options: setup.switchOptions)
        try network.addSwitch("e", datapathID: 2, options: setup.switchOptions)
        try network.addHost("h1", ip: IPv4Address(10, 0, 0, 1))
        try network.addHost("h2", ip: IPv4Address(10, 0, 0, 2))
        try network.addLink("h1", "s1", options: link, portB: 1)
        try network.addLink("e", "h2", options: link, portA: 1)
        for (prefix, base, port) in [("o", UInt64(100), UInt32(2)), ("n", UInt64(200), UInt32(3))] {
            var previous = ("s1", port)
            for index in 0..<(setup.pathLength - 2) {
                let name = "\(prefix)\(index + 1)"
                try network.addSwitch(name, datapathID: base + UInt64(index), options: setup.switchOptions)
                try network.addLink(previous.0, name, options: link, portA: previous.1, portB: 1)
                previous = (name, 2)
            }
            try network.addLink(previous.0, "e", options: link, portA: previous.1, portB: port)
        }
        let controller = network.addController(apps: [], latency: setup.controlLatency, tickInterval: .seconds(3600))
        let request = FlowMigrationRequest(
            flows: FlowMigrationLinuxBackend.flows(
                setup.flows, client: IPv4Address(10, 0, 0, 1), server: IPv4Address(10, 0, 0, 2)),
            oldPath: oldPath, newPath: newPath, priority: 100, cookie: 0xF10)
        var installed = false
        controller.install(request.installation(of: oldPath)) { installed = true }
        while !installed, simulator.step() {}
        guard installed else { throw SetupError(description: "the old path was not confirmed") }

        let clock = ContinuousClock()
        let planStart = clock.now
        let plan = try FlowMigrationPlanner.plan(
            request, algorithm: setup.algorithm, options: .init(drainInterval: setup.drain, batchSize: setup.batchSize))
        let planWall = clock.now - planStart

        let migration = EmbeddedFlowMigration(
            plan: plan, configuration: .init(barrierTimeout: .seconds(60)), controller: controller)
        controller.onSwitchMessage = { migration.handle($0) }
        let executeStart = clock.now
        migration.start()
        while migration.report == nil, simulator.step() {}
        let executeWall = clock.now - executeStart
        guard let report = migration.report else { throw SetupError(description: "the migration did not finish") }

        // Each flow has one entry per hop per direction; the old branch keeps none.
        let oldBranch = oldPath.dropFirst().dropLast().map(\.datapathID)
        let newBranch = newPath.dropFirst().dropLast().map(\.datapathID)
        let byID = Dictionary(uniqueKeysWithValues: network.switches.values.map { ($0.datapathID, $0) })
        let verified =
            report.outcome == .completed
            && oldBranch.allSatisfy { byID[$0]?.datapath.flowCount == 0 }
            && newBranch.allSatisfy { byID[$0]?.datapath.flowCount == 2 * setup.flows }
        return Result(
            flows: setup.flows, pathLength: setup.pathLength, algorithm: setup.algorithm.rawValue, outcome: report.outcome.rawValue,
            flowMods: report.flowMods, barriers: report.barriers, planWallMilliseconds: milliseconds(planWall),
            executeWallMilliseconds: milliseconds(executeWall), simulatedConfirmedMilliseconds: report.confirmedMilliseconds,
            verified: verified)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    }
}
