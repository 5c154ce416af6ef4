import Migration

/// The JSON of `vnm experiment flow-migration --json`: the probe's keys (`sent`, `received`,
/// `lost`, ... summed or combined over the migration runs), `total_migration_ms` and
/// `confirmed_ms` (medians over the runs), `flow_mods` (per migration), every run, and the
/// baseline without migration in the same shape.
public struct FlowMigrationResult: Sendable, Encodable {
    /// One trial.
    public struct Run: Sendable, Encodable {
        public var probe: ProbeReport
        public var totalMigrationMilliseconds: Double?
        public var confirmedMilliseconds: Double?
        public var flowMods: Int?
        public var newPathProbes: UInt64
        public var outcome: String?
        public var migration: FlowMigrationReport?

        init(_ result: FlowMigrationTrialResult) {
            probe = result.probe
            totalMigrationMilliseconds = result.totalMigrationMilliseconds
            confirmedMilliseconds = result.migration?.confirmedMilliseconds
            flowMods = result.migration?.flowMods
            newPathProbes = result.newPathProbes
            outcome = result.migration?.outcome.rawValue
            migration = result.migration
        }

        enum CodingKeys: String, CodingKey {
            case totalMigrationMilliseconds = "total_migration_ms"
            case confirmedMilliseconds = "confirmed_ms"
            case flowMods = "flow_mods"
            case newPathProbes = "new_path_probes"
            case outcome, migration
        }

        public func encode(to encoder: any Encoder) throws {
            try probe.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(newPathProbes, forKey: .newPathProbes)
            guard migration != nil else { return }
            try container.encode(totalMigrationMilliseconds, forKey: .totalMigrationMilliseconds)
            try container.encode(confirmedMilliseconds, forKey: .confirmedMilliseconds)
            try container.encode(flowMods, forKey: .flowMods)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(migration, forKey: .migration)
        }
    }

    /// Several runs as one: counts summed, the longest gap and p99 the worst, p50 the median.
    public struct Summary: Sendable, Encodable {
        public var probe: ProbeReport
        public var runs: [Run]

        init(_ runs: [Run]) {
            let reports = runs.map(\.probe)
            probe = ProbeReport(
                sent: reports.reduce(0) { $0 + $1.sent }, received: reports.reduce(0) { $0 + $1.received },
                lost: reports.reduce(0) { $0 + $1.lost }, duplicates: reports.reduce(0) { $0 + $1.duplicates },
                reordered: reports.reduce(0) { $0 + $1.reordered },
                longestGapMilliseconds: reports.map(\.longestGapMilliseconds).max() ?? 0, longestGapStartMilliseconds: nil,
                latencyP50Milliseconds: median(reports.compactMap(\.latencyP50Milliseconds)),
                latencyP99Milliseconds: reports.compactMap(\.latencyP99Milliseconds).max(),
                latencyMaxMilliseconds: reports.compactMap(\.latencyMaxMilliseconds).max(),
                foreign: reports.reduce(0) { $0 + $1.foreign })
            self.runs = runs
        }

        enum CodingKeys: String, CodingKey { case runs }

        public func encode(to encoder: any Encoder) throws {
            try probe.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(runs, forKey: .runs)
        }
    }

    public var backend: String
    public var algorithm: FlowMigrationAlgorithm
    public var rate: Double
    public var datagramSize: Int
    public var flows: Int
    public var repetitions: Int
    public var durationSeconds: Double
    public var drainMilliseconds: Double
    public var plannedFlowMods: Int
    public var migration: Summary
    public var totalMigrationMilliseconds: Double?
    public var confirmedMilliseconds: Double?
    public var baseline: Summary?

    init(
        backend: String, configuration: FlowMigrationExperiment.Configuration, plannedFlowMods: Int, runs: [Run],
        baseline: Summary?
    ) {
        self.backend = backend
        algorithm = configuration.algorithm
        rate = configuration.rate
        datagramSize = configuration.datagramSize
        flows = configuration.flows
        repetitions = configuration.repetitions
        durationSeconds = Double(configuration.duration.nanoseconds) / 1e9
        drainMilliseconds = Double(configuration.planner.drainInterval.nanoseconds) / 1e6
        self.plannedFlowMods = plannedFlowMods
        migration = Summary(runs)
        totalMigrationMilliseconds = median(runs.compactMap(\.totalMigrationMilliseconds))
        confirmedMilliseconds = median(runs.compactMap(\.confirmedMilliseconds))
        self.baseline = baseline
    }

    enum CodingKeys: String, CodingKey {
        case backend, algorithm, rate, flows, baseline, runs
        case datagramSize = "size"
        case repetitions = "repeat"
        case durationSeconds = "duration_s"
        case drainMilliseconds = "drain_ms"
        case plannedFlowMods = "flow_mods"
        case totalMigrationMilliseconds = "total_migration_ms"
        case confirmedMilliseconds = "confirmed_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        try migration.probe.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(backend, forKey: .backend)
        try container.encode(algorithm, forKey: .algorithm)
        try container.encode(rate, forKey: .rate)
        try container.encode(datagramSize, forKey: .datagramSize)
        try container.encode(flows, forKey: .flows)
        try container.encode(repetitions, forKey: .repetitions)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(drainMilliseconds, forKey: .drainMilliseconds)
        try container.encode(plannedFlowMods, forKey: .plannedFlowMods)
        try container.encode(totalMigrationMilliseconds, forKey: .totalMigrationMilliseconds)
        try container.encode(confirmedMilliseconds, forKey: .confirmedMilliseconds)
        try container.encode(migration.runs, forKey: .runs)
        try container.encode(baseline, forKey: .baseline)
    }
}

/// The median (mean of the two middle values for an even count); nil for no values.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
