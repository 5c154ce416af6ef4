import Migration

/// Runs `router-standard` and `router-plane-separated` through ``RouterMigrationExperiment``:
/// one repetition per sweep point, seeded with the point's seed, and maps its run onto a
/// ``PaperMeasurement`` (downtime, total migration time, pre-copy rounds, migrated bytes,
/// control-plane loss and delay, adjacency drops).
public final class RouterSchemeRunner: PaperPointRunner, @unchecked Sendable {
    public init() {}

    static func scheme(_ scheme: PaperScheme) -> RouterMigrationScheme? {
        switch scheme {
        case .routerStandard: .standard
        case .routerPlaneSeparated: .planeSeparated
        case .flowsPaper, .flowsConsistent: nil
        }
    }

    public func unavailability(of scheme: PaperScheme) -> String? {
        Self.scheme(scheme) == nil ? "\(scheme) is not a router migration" : nil
    }

    public func run(_ point: PaperPoint, sweep: PaperSweep) async throws -> PaperMeasurement {
        guard let scheme = Self.scheme(point.scheme) else {
            throw PaperExperimentError("\(point.scheme) is not a router migration")
        }
        let configuration = RouterMigrationExperiment.Configuration(
            scheme: scheme, rate: point.rate, datagramSize: point.datagramSize, repetitions: 1, seed: point.seed)
        let result = try RouterMigrationExperiment.run(configuration, progress: nil)
        guard let run = result.runs.first else {
            throw PaperExperimentError("the router-migration experiment returned no run for \(point)")
        }
        return PaperMeasurement(
            backend: "embedded", probe: run.probe, downtimeMilliseconds: Self.double(run.downtimeMilliseconds),
            totalMigrationMilliseconds: Self.double(run.totalMigrationMilliseconds),
            precopyRounds: Self.integer(run.precopyRounds), migratedBytes: Self.integer(run.migratedBytes).map(UInt64.init),
            controlLost: Self.integer(run.controlLost).map(UInt64.init),
            controlMaxDelayMilliseconds: Self.double(run.controlMaxDelayMilliseconds),
            adjacencyDrops: Self.integer(run.adjacencyDrops))
    }

    public func tearDown() async {}

    // The contract names the quantities, not whether each is optional or which integer type it
    // has: these accept either.
    static func double(_ value: Double?) -> Double? { value }
    static func integer<T: BinaryInteger>(_ value: T?) -> Int? { value.map { Int(clamping: $0) } }
}

extension RouterSchemeRunner {
    /// The runner of the router schemes, or why there is none.
    static func make() -> Result<any PaperPointRunner, PaperExperimentError> { .success(RouterSchemeRunner()) }
}
