import Migration
import NIOCore
import Substrate

/// `vnm experiment router-migration`: constant-rate UDP traffic from the client to the server
/// through r1 on the paper's testbed (``RouterMigrationTestbed``, Fig. 4a), while OSPF runs with
/// r1's neighbours; r1's VM is live-migrated from node-a to node-b mid-stream under the chosen
/// scheme. Each repetition builds the testbed afresh on a virtual clock seeded with
/// `seed + repetition - 1`, waits for OSPF to converge and for ARP along the path, then sends
/// the traffic and triggers the migration ``Configuration/triggerAfter`` after it starts.
///
/// Runs synchronously (a simulation on a virtual clock): the same configuration gives the same
/// result.
public enum RouterMigrationExperiment {
    public struct Configuration: Sendable, Hashable {
        public var scheme: RouterMigrationScheme
        /// Packets per second.
        public var rate: Double
        /// IP datagram size in bytes.
        public var datagramSize: Int
        public var repetitions: Int
        public var seed: UInt64
        /// How long the traffic runs.
        public var duration: TimeAmount
        /// When the migration starts, after the traffic does.
        public var triggerAfter: TimeAmount
        /// r1's memory in 4 KiB pages, its background writes per second and its hot set in pages.
        public var memoryPages: Int
        public var dirtyRate: Double
        public var workingSetPages: Int
        /// The migration link in bits per second.
        public var migrationBandwidth: Double
        /// r1's OSPF hello and dead intervals, in seconds (1 and 4 as in the scenario).
        public var helloInterval: UInt16
        public var deadInterval: UInt32
        public var preCopy: PreCopyConfiguration
        /// How long node-a's data plane keeps forwarding after r1 resumed on node-b (plane-separated).
        public var oldDataPlaneLinger: TimeAmount
        /// A fault to inject: the migration channel breaks this long after the trigger.
        public var channelBreaksAfter: TimeAmount?

        public init(
            scheme: RouterMigrationScheme, rate: Double = 5000, datagramSize: Int = 64, repetitions: Int = 1,
            seed: UInt64 = 1, duration: TimeAmount = .seconds(2), triggerAfter: TimeAmount = .milliseconds(500),
            memoryPages: Int = 16384, dirtyRate: Double = 200, workingSetPages: Int = 64, migrationBandwidth: Double = 1e9,
            helloInterval: UInt16 = 1, deadInterval: UInt32 = 4, preCopy: PreCopyConfiguration = .init(), oldDataPlaneLinger: TimeAmount = .milliseconds(100),
            channelBreaksAfter: TimeAmount? = nil
        ) {
            self.scheme = scheme
            self.rate = rate
            self.datagramSize = datagramSize
            self.repetitions = repetitions
            self.seed = seed
            self.duration = duration
            self.triggerAfter = triggerAfter
            self.memoryPages = memoryPages
            self.dirtyRate = dirtyRate
            self.workingSetPages = workingSetPages
            self.migrationBandwidth = migrationBandwidth
            self.helloInterval = helloInterval
            self.deadInterval = deadInterval
            self.preCopy = preCopy
            self.oldDataPlaneLinger = oldDataPlaneLinger
            self.channelBreaksAfter = channelBreaksAfter
        }

        public func validate() throws {
            func fail(_ text: String) -> RouterMigrationExperimentError { RouterMigrationExperimentError(text) }
            guard rate > 0, rate.isFinite else { throw fail("--rate must be more than 0 packets/s, not \(rate)") }
            do { _ = try ProbePayload.payloadSize(forDatagramSize: datagramSize) } catch {
                throw fail("--size: \(error)")
            }
            guard datagramSize <= 1500 else { throw fail("--size must be at most 1500 bytes (the links' MTU), not \(datagramSize)") }
            guard repetitions >= 1 else { throw fail("--repeat must be at least 1, not \(repetitions)") }
            guard duration > .zero, triggerAfter >= .zero, triggerAfter < duration else {
                throw fail("the migration trigger must fall inside the traffic's duration")
            }
            guard memoryPages >= 64 else { throw fail("r1's memory must be at least 64 pages, not \(memoryPages)") }
            guard helloInterval >= 1, deadInterval > UInt32(helloInterval) else {
                throw fail("the OSPF dead interval (\(deadInterval) s) must exceed the hello interval (\(helloInterval) s)")
            }
            guard migrationBandwidth > 0 else { throw fail("the migration link's bandwidth must be positive") }
        }
    }

    /// Runs every repetition; `progress` hears one line per repetition.
    public static func run(_ configuration: Configuration, progress: ((String) -> Void)? = nil) throws
        -> RouterMigrationResult
    {
        try configuration.validate()
        var runs: [RouterMigrationResult.Run] = []
        for repetition in 1...configuration.repetitions {
            let run = try runOnce(configuration, seed: configuration.seed &+ UInt64(repetition - 1))
            runs.append(run)
            progress?(
                "\(configuration.scheme.rawValue) \(repetition)/\(configuration.repetitions): lost \(run.probe.lost) of "
                    + "\(run.probe.sent), downtime \(format(run.downtimeMilliseconds)) ms, total "
                    + "\(format(run.totalMigrationMilliseconds)) ms, \(run.precopyRounds) rounds, control lost "
                    + "\(run.controlLost), adjacency drops \(run.adjacencyDrops), \(run.outcome)")
        }
        return RouterMigrationResult(configuration: configuration, runs: runs)
    }

    static func format(_ value: Double?) -> String {
        guard let value else { return "-" }
        let thousandths = (value * 1000).rounded()
        let whole = Int(thousandths / 1000)
        let fraction = Int(abs(thousandths.truncatingRemainder(dividingBy: 1000)))
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
    }

    /// One repetition on a fresh testbed.
    public static func runOnce(_ configuration: Configuration, seed: UInt64) throws -> RouterMigrationResult.Run {
        let testbed = try RouterMigrationTestbed(
            .init(
                scheme: configuration.scheme, seed: seed, memoryPages: configuration.memoryPages,
                dirtyRate: configuration.dirtyRate, workingSetPages: configuration.workingSetPages,
                migrationBandwidth: configuration.migrationBandwidth, helloInterval: configuration.helloInterval,
                deadInterval: configuration.deadInterval))
        let simulator = testbed.simulator
        try testbed.waitForConvergence()
        try testbed.primeForwarding()

        let sink = try ProbeSink(host: testbed.server, port: 9000, flow: 1)
        let count = UInt64((configuration.rate * Double(configuration.duration.nanoseconds) / 1e9).rounded(.down))
        let generator = try TrafficGenerator(
            host: testbed.client,
            configuration: .init(
                destination: RouterMigrationTestbed.serverAddress, destinationPort: 9000, flow: 1, rate: configuration.rate,
                datagramSize: configuration.datagramSize, count: count))
        let start = simulator.now + .milliseconds(10)
        generator.start(at: start)

        let trigger = start + configuration.triggerAfter
        var migration: EmbeddedRouterMigration?
        var startError: Error?
        var finishedAt: NIODeadline?
        simulator.schedule(at: trigger) {
            let m = testbed.migration(
                preCopy: configuration.preCopy, oldDataPlaneLinger: configuration.oldDataPlaneLinger,
                channelBreaksAt: configuration.channelBreaksAfter.map { trigger + $0 })
            m.onFinish = { _ in finishedAt = simulator.now }
            migration = m
            do { try m.start() } catch { startError = error }
        }
        let end = start + configuration.duration + .milliseconds(300)
        simulator.run(until: end)
        if let startError { throw startError }
        guard let migration else { throw RouterMigrationExperimentError("the migration never started") }
        var waited = TimeAmount.zero
        while !migration.isFinished, waited < .seconds(30) {
            simulator.run(for: .milliseconds(100))
            waited = waited + .milliseconds(100)
        }
        guard let finishedAt else {
            throw RouterMigrationExperimentError("the migration did not finish within 30 s after the traffic (\(migration.migration.phase))")
        }
        simulator.run(for: .milliseconds(200))  // control packets of the window still in flight

        let statistics = migration.migration.statistics
        let outcome: String
        switch migration.migration.phase {
        case .completed: outcome = "completed"
        case .rolledBack(let reason): outcome = "rolled-back (\(reason.rawValue))"
        case .failed(let reason): outcome = "failed (\(reason))"
        default: outcome = "\(migration.migration.phase)"
        }
        let control = testbed.controlSummary(from: trigger, to: finishedAt)
        let paused = statistics.pausedAt.map { pausedAt in
            testbed.controlSummary(from: pausedAt, to: statistics.resumedAt ?? finishedAt).sent
        }
        let firstOnB = testbed.nodeB.firstDataForwarded[RouterMigrationTestbed.router]
        return RouterMigrationResult.Run(
            seed: seed, probe: sink.report(sent: generator.sent),
            downtimeMilliseconds: statistics.downtime.map { Double($0.nanoseconds) / 1e6 },
            totalMigrationMilliseconds: firstOnB.map { Double(($0 - trigger).nanoseconds) / 1e6 },
            precopyRounds: statistics.preCopyRounds, migratedBytes: statistics.bytesSent,
            stopAndCopyPages: statistics.stopAndCopyPages, controlSent: control.sent, controlLost: control.lost,
            controlMaxDelayMilliseconds: control.maxExtraDelayMilliseconds, controlDuringPause: paused ?? 0,
            adjacencyDrops: testbed.adjacencyDrops,
            outcome: outcome)
    }
}
