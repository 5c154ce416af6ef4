import Migration
import NIOCore

/// Runs the flow schemes of the sweep (`flows-paper`, `flows-consistent`) on the diamond of the
/// flow-migration experiment (``FlowMigrationExperiment``): one flow of UDP probes from h1 to h2,
/// its entries moved from the s2 path to the s3 path half-way through the traffic, the first
/// probe on the new path timed on the s1–s3 link.
///
/// Embedded: every run builds its own network on the virtual clock, seeded with the point's
/// seed, so a run's result depends on its point only. Linux: one Open vSwitch diamond for the
/// whole sweep (built at the first run, torn down by ``tearDown()``), the old path reinstalled
/// before every run. With `baseline`, each run is preceded by the same traffic without a
/// migration, whose loss is the row's `baseline_lost`.
public final class FlowSchemeRunner: PaperPointRunner, @unchecked Sendable {
    public enum Substrate: Sendable {
        case embedded
        /// `name` labels the testbed's run directory; `log` hears the testbed's steps.
        case linux(name: String, log: @Sendable (String) -> Void)
    }

    let substrate: Substrate
    let baseline: Bool
    private var linux: (backend: FlowMigrationLinuxBackend, request: FlowMigrationRequest)?

    public init(substrate: Substrate, baseline: Bool) {
        self.substrate = substrate
        self.baseline = baseline
    }

    static func algorithm(_ scheme: PaperScheme) -> FlowMigrationAlgorithm? {
        switch scheme {
        case .flowsPaper: .paper
        case .flowsConsistent: .consistent
        case .routerStandard, .routerPlaneSeparated: nil
        }
    }

    public func unavailability(of scheme: PaperScheme) -> String? {
        Self.algorithm(scheme) == nil ? "\(scheme) is not a flow migration" : nil
    }

    public func run(_ point: PaperPoint, sweep: PaperSweep) async throws -> PaperMeasurement {
        guard let algorithm = Self.algorithm(point.scheme) else {
            throw PaperExperimentError("\(point.scheme) is not a flow migration")
        }
        let backend: any FlowMigrationBackend
        let request: FlowMigrationRequest
        switch substrate {
        case .embedded:
            backend = FlowMigrationEmbeddedBackend(seed: point.seed)
            request = try await backend.prepare(flows: 1)
        case .linux(let name, let log):
            if let linux {
                (backend, request) = linux
            } else {
                let made = try FlowMigrationLinuxBackend(name: name, log: log)
                // Kept before prepare so that a half-built testbed is still torn down.
                let prepared: FlowMigrationRequest
                do {
                    prepared = try await made.prepare(flows: 1)
                } catch {
                    await made.tearDown()
                    throw error
                }
                linux = (made, prepared)
                (backend, request) = (made, prepared)
            }
        }
        let configuration = FlowMigrationExperiment.Configuration(
            algorithm: algorithm, rate: point.rate, datagramSize: point.datagramSize, duration: sweep.flowTrafficDuration,
            baseline: baseline)
        try configuration.validate()
        let plan = try FlowMigrationPlanner.plan(request, algorithm: algorithm, options: configuration.planner)
        var baselineLost: UInt64?
        if baseline {
            try await backend.installOldPath(request)
            baselineLost = try await backend.run(FlowMigrationExperiment.trial(configuration, plan: nil)).probe.lost
        }
        try await backend.installOldPath(request)
        let run = FlowMigrationResult.Run(try await backend.run(FlowMigrationExperiment.trial(configuration, plan: plan)))
        if case .embedded = substrate { await backend.tearDown() }
        return PaperMeasurement(
            backend: backend.name, probe: run.probe, downtimeMilliseconds: nil,
            totalMigrationMilliseconds: run.totalMigrationMilliseconds, confirmedMilliseconds: run.confirmedMilliseconds,
            flowMods: run.flowMods, baselineLost: baselineLost, outcome: run.outcome)
    }

    public func tearDown() async {
        if let linux { await linux.backend.tearDown() }
        linux = nil
    }
}
