@testable import Lab

/// A deterministic stand-in for the real migrations, shaped like the paper's results: the
/// standard router stops for a constant time, so its losses are linear in the rate; plane
/// separation stops its VM for less and loses nothing; flow migrations lose nothing and take
/// under a millisecond. Knobs break one of these at a time.
final class FakePaperRunner: PaperPointRunner, @unchecked Sendable {
    var standardDowntime = 300.0
    var planeSeparatedDowntime = 100.0
    /// Standard's losses by another law than the constant stop's line.
    var standardLoss: (@Sendable (PaperPoint) -> UInt64)?
    /// Plane separation loses this many packets per run.
    var planeSeparatedLoss: UInt64 = 0
    var flowTotal = 0.4
    var unavailable: [PaperScheme: String] = [:]
    /// Throw at this point.
    var failAt: PaperPoint?
    private(set) var ran: [PaperPoint] = []
    private(set) var tornDown = 0

    func unavailability(of scheme: PaperScheme) -> String? { unavailable[scheme] }

    func run(_ point: PaperPoint, sweep: PaperSweep) async throws -> PaperMeasurement {
        if point == failAt { throw PaperExperimentError("the fake failed on purpose") }
        ran.append(point)
        // A small deterministic jitter per run, so that the repetitions have a spread.
        let jitter = Double(point.run - 1) * 4
        let seconds = point.scheme.isRouter ? 30.0 : sweep.flowTrafficSeconds
        let sent = UInt64(point.rate * seconds)
        func probe(lost: UInt64, gap: Double) -> ProbeReport {
            ProbeReport(
                sent: sent, received: sent - lost, lost: lost, duplicates: 0, reordered: 0, longestGapMilliseconds: gap,
                longestGapStartMilliseconds: 1, latencyP50Milliseconds: 0.2, latencyP99Milliseconds: 0.5,
                latencyMaxMilliseconds: 0.6, foreign: 0)
        }
        switch point.scheme {
        case .routerStandard:
            let downtime = standardDowntime + jitter
            let lost = standardLoss?(point) ?? UInt64((point.rate * downtime / 1000).rounded())
            return PaperMeasurement(
                backend: "fake", probe: probe(lost: lost, gap: downtime + 1000 / point.rate), downtimeMilliseconds: downtime,
                totalMigrationMilliseconds: 9000 + jitter, precopyRounds: 4, migratedBytes: 64 << 20, controlLost: 3,
                controlMaxDelayMilliseconds: nil, adjacencyDrops: 0)
        case .routerPlaneSeparated:
            let downtime = planeSeparatedDowntime + jitter
            return PaperMeasurement(
                backend: "fake", probe: probe(lost: planeSeparatedLoss, gap: 1000 / point.rate + 0.05),
                downtimeMilliseconds: downtime, totalMigrationMilliseconds: 24000 + jitter, precopyRounds: 3,
                migratedBytes: 60 << 20, controlLost: 0, controlMaxDelayMilliseconds: downtime + 5, adjacencyDrops: 0)
        case .flowsPaper, .flowsConsistent:
            return PaperMeasurement(
                backend: "fake", probe: probe(lost: 0, gap: 1000 / point.rate + 0.1),
                totalMigrationMilliseconds: flowTotal + jitter / 100,
                confirmedMilliseconds: point.scheme == .flowsConsistent ? 25 : nil, flowMods: 6, baselineLost: 0,
                outcome: "completed")
        }
    }

    func tearDown() async { tornDown += 1 }

    /// A small sweep of every scheme, and its result with this fake.
    static func result(
        _ configure: (FakePaperRunner) -> Void = { _ in }, sweep: PaperSweep = PaperSweep(
            rates: [1000, 2000, 4000], repetitions: 2, flowTrafficSeconds: 0.5)
    ) async throws -> PaperResult {
        let runner = FakePaperRunner()
        configure(runner)
        var clock = 0.0
        return try await PaperExperiment(sweep: sweep, backend: "fake", clock: "virtual")
            .run(on: runner, now: { clock += 0.25; return clock })
    }
}
