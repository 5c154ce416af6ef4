import Migration

/// The JSON of `vnm experiment router-migration --json`: the probe's keys over every run
/// (counts summed, longest gap and p99 the worst, p50 the median), the migration's figures
/// (medians over the runs): `downtime_ms`, `total_migration_ms`, `precopy_rounds`,
/// `migrated_bytes`, `control_max_delay_ms`; `control_lost` and `adjacency_drops` summed; and
/// every run with the same keys.
///
/// - `downtime_ms`: r1's VM paused on node-a until it resumed on node-b (null if it never did).
/// - `total_migration_ms`: the trigger until node-b first forwarded a data packet for r1.
/// - `control_lost`: OSPF packets r1's neighbours sent it between the trigger and the end of the
///   migration that its daemon never received; `control_max_delay_ms`: the longest delay one of
///   them saw beyond the usual one (the shortest delay before the trigger).
/// - `adjacency_drops`: times any adjacency left Full after OSPF had converged.
public struct RouterMigrationResult: Sendable, Encodable {
    public struct Run: Sendable, Encodable, Equatable {
        public var seed: UInt64
        public var probe: ProbeReport
        public var downtimeMilliseconds: Double?
        public var totalMigrationMilliseconds: Double?
        public var precopyRounds: Int
        public var migratedBytes: Int
        public var stopAndCopyPages: Int
        public var controlSent: Int
        public var controlLost: Int
        public var controlMaxDelayMilliseconds: Double?
        /// Control packets r1's neighbours sent it while its VM was paused.
        public var controlDuringPause: Int
        public var adjacencyDrops: Int
        /// `completed`, `rolled-back (reason)` or `failed (reason)`.
        public var outcome: String

        enum CodingKeys: String, CodingKey {
            case seed, outcome
            case downtimeMilliseconds = "downtime_ms"
            case totalMigrationMilliseconds = "total_migration_ms"
            case precopyRounds = "precopy_rounds"
            case migratedBytes = "migrated_bytes"
            case stopAndCopyPages = "stop_and_copy_pages"
            case controlSent = "control_sent"
            case controlLost = "control_lost"
            case controlMaxDelayMilliseconds = "control_max_delay_ms"
            case controlDuringPause = "control_during_pause"
            case adjacencyDrops = "adjacency_drops"
        }

        public func encode(to encoder: any Encoder) throws {
            try probe.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seed, forKey: .seed)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(downtimeMilliseconds, forKey: .downtimeMilliseconds)
            try container.encode(totalMigrationMilliseconds, forKey: .totalMigrationMilliseconds)
            try container.encode(precopyRounds, forKey: .precopyRounds)
            try container.encode(migratedBytes, forKey: .migratedBytes)
            try container.encode(stopAndCopyPages, forKey: .stopAndCopyPages)
            try container.encode(controlSent, forKey: .controlSent)
            try container.encode(controlLost, forKey: .controlLost)
            try container.encode(controlMaxDelayMilliseconds, forKey: .controlMaxDelayMilliseconds)
            try container.encode(controlDuringPause, forKey: .controlDuringPause)
            try container.encode(adjacencyDrops, forKey: .adjacencyDrops)
        }
    }

    public var scheme: RouterMigrationScheme
    public var rate: Double
    public var datagramSize: Int
    public var repetitions: Int
    public var seed: UInt64
    public var memoryBytes: Int
    /// Over every run (see the type's documentation).
    public var probe: ProbeReport
    public var downtimeMilliseconds: Double?
    public var totalMigrationMilliseconds: Double?
    public var precopyRounds: Double?
    public var migratedBytes: Double?
    public var controlLost: Int
    public var controlMaxDelayMilliseconds: Double?
    public var adjacencyDrops: Int
    public var runs: [Run]

    public init(configuration: RouterMigrationExperiment.Configuration, runs: [Run]) {
        scheme = configuration.scheme
        rate = configuration.rate
        datagramSize = configuration.datagramSize
        repetitions = configuration.repetitions
        seed = configuration.seed
        memoryBytes = configuration.memoryPages * 4096
        let reports = runs.map(\.probe)
        probe = ProbeReport(
            sent: reports.reduce(0) { $0 + $1.sent }, received: reports.reduce(0) { $0 + $1.received },
            lost: reports.reduce(0) { $0 + $1.lost }, duplicates: reports.reduce(0) { $0 + $1.duplicates },
            reordered: reports.reduce(0) { $0 + $1.reordered },
            longestGapMilliseconds: reports.map(\.longestGapMilliseconds).max() ?? 0, longestGapStartMilliseconds: nil,
            latencyP50Milliseconds: Self.median(reports.compactMap(\.latencyP50Milliseconds)),
            latencyP99Milliseconds: reports.compactMap(\.latencyP99Milliseconds).max(),
            latencyMaxMilliseconds: reports.compactMap(\.latencyMaxMilliseconds).max(),
            foreign: reports.reduce(0) { $0 + $1.foreign })
        downtimeMilliseconds = Self.median(runs.compactMap(\.downtimeMilliseconds))
        totalMigrationMilliseconds = Self.median(runs.compactMap(\.totalMigrationMilliseconds))
        precopyRounds = Self.median(runs.map { Double($0.precopyRounds) })
        migratedBytes = Self.median(runs.map { Double($0.migratedBytes) })
        controlLost = runs.reduce(0) { $0 + $1.controlLost }
        controlMaxDelayMilliseconds = Self.median(runs.compactMap(\.controlMaxDelayMilliseconds))
        adjacencyDrops = runs.reduce(0) { $0 + $1.adjacencyDrops }
        self.runs = runs
    }

    /// The median (mean of the two middle values for an even count); nil for no values.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    enum CodingKeys: String, CodingKey {
        case scheme, rate, seed, runs
        case datagramSize = "size"
        case repetitions = "repeat"
        case memoryBytes = "memory_bytes"
        case downtimeMilliseconds = "downtime_ms"
        case totalMigrationMilliseconds = "total_migration_ms"
        case precopyRounds = "precopy_rounds"
        case migratedBytes = "migrated_bytes"
        case controlLost = "control_lost"
        case controlMaxDelayMilliseconds = "control_max_delay_ms"
        case adjacencyDrops = "adjacency_drops"
    }

    public func encode(to encoder: any Encoder) throws {
        try probe.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scheme, forKey: .scheme)
        try container.encode(rate, forKey: .rate)
        try container.encode(datagramSize, forKey: .datagramSize)
        try container.encode(repetitions, forKey: .repetitions)
        try container.encode(seed, forKey: .seed)
        try container.encode(memoryBytes, forKey: .memoryBytes)
        try container.encode(downtimeMilliseconds, forKey: .downtimeMilliseconds)
        try container.encode(totalMigrationMilliseconds, forKey: .totalMigrationMilliseconds)
        try container.encode(precopyRounds, forKey: .precopyRounds)
        try container.encode(migratedBytes, forKey: .migratedBytes)
        try container.encode(controlLost, forKey: .controlLost)
        try container.encode(controlMaxDelayMilliseconds, forKey: .controlMaxDelayMilliseconds)
        try container.encode(adjacencyDrops, forKey: .adjacencyDrops)
        try container.encode(runs, forKey: .runs)
    }
}
