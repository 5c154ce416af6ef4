/// One line of results.csv and one object of results.json's `rows`: one run of one scheme at
/// one packet size and rate. Every key is always present; what does not apply is null.
///
/// `interruption_ms` is the receiver's view of a stop, for every scheme alike: the longest gap
/// between two consecutive received packets minus the sending interval (1000 / rate), never
/// below 0. It is what Fig. 5 shows for the flow migrations, which have no downtime of their
/// own (nothing is paused): the paper's "OpenFlow has no downtime" is then a number near 0.
public struct PaperRow: Sendable, Equatable, Codable {
    public var scheme: PaperScheme
    public var size: Int
    public var rate: Double
    public var run: Int
    public var seed: UInt64
    public var backend: String
    public var downtimeMilliseconds: Double?
    public var lost: UInt64
    public var sent: UInt64
    public var received: UInt64
    public var longestGapMilliseconds: Double
    public var interruptionMilliseconds: Double
    public var totalMigrationMilliseconds: Double?
    public var confirmedMilliseconds: Double?
    public var flowMods: Int?
    public var precopyRounds: Int?
    public var migratedBytes: UInt64?
    public var controlLost: UInt64?
    public var controlMaxDelayMilliseconds: Double?
    public var adjacencyDrops: Int?
    public var baselineLost: UInt64?
    public var outcome: String?

    public init(point: PaperPoint, measurement m: PaperMeasurement) {
        scheme = point.scheme
        size = point.datagramSize
        rate = point.rate
        run = point.run
        seed = point.seed
        backend = m.backend
        downtimeMilliseconds = m.downtimeMilliseconds.finite
        lost = m.probe.lost
        sent = m.probe.sent
        received = m.probe.received
        longestGapMilliseconds = m.probe.longestGapMilliseconds.isFinite ? m.probe.longestGapMilliseconds : 0
        interruptionMilliseconds = max(0, longestGapMilliseconds - 1000 / point.rate)
        totalMigrationMilliseconds = m.totalMigrationMilliseconds.finite
        confirmedMilliseconds = m.confirmedMilliseconds.finite
        flowMods = m.flowMods
        precopyRounds = m.precopyRounds
        migratedBytes = m.migratedBytes
        controlLost = m.controlLost
        controlMaxDelayMilliseconds = m.controlMaxDelayMilliseconds.finite
        adjacencyDrops = m.adjacencyDrops
        baselineLost = m.baselineLost
        outcome = m.outcome
    }

    /// The columns of results.csv, in order; the same names as the JSON keys.
    public static let columns = CodingKeys.allCases.map(\.rawValue)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case scheme, size, rate, run, seed, backend
        case downtimeMilliseconds = "downtime_ms"
        case lost, sent, received
        case longestGapMilliseconds = "longest_gap_ms"
        case interruptionMilliseconds = "interruption_ms"
        case totalMigrationMilliseconds = "total_migration_ms"
        case confirmedMilliseconds = "confirmed_ms"
        case flowMods = "flow_mods"
        case precopyRounds = "precopy_rounds"
        case migratedBytes = "migrated_bytes"
        case controlLost = "control_lost"
        case controlMaxDelayMilliseconds = "control_max_delay_ms"
        case adjacencyDrops = "adjacency_drops"
        case baselineLost = "baseline_lost"
        case outcome
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scheme, forKey: .scheme)
        try c.encode(size, forKey: .size)
        try c.encode(rate, forKey: .rate)
        try c.encode(run, forKey: .run)
        try c.encode(seed, forKey: .seed)
        try c.encode(backend, forKey: .backend)
        try c.encode(downtimeMilliseconds, forKey: .downtimeMilliseconds)
        try c.encode(lost, forKey: .lost)
        try c.encode(sent, forKey: .sent)
        try c.encode(received, forKey: .received)
        try c.encode(longestGapMilliseconds, forKey: .longestGapMilliseconds)
        try c.encode(interruptionMilliseconds, forKey: .interruptionMilliseconds)
        try c.encode(totalMigrationMilliseconds, forKey: .totalMigrationMilliseconds)
        try c.encode(confirmedMilliseconds, forKey: .confirmedMilliseconds)
        try c.encode(flowMods, forKey: .flowMods)
        try c.encode(precopyRounds, forKey: .precopyRounds)
        try c.encode(migratedBytes, forKey: .migratedBytes)
        try c.encode(controlLost, forKey: .controlLost)
        try c.encode(controlMaxDelayMilliseconds, forKey: .controlMaxDelayMilliseconds)
        try c.encode(adjacencyDrops, forKey: .adjacencyDrops)
        try c.encode(baselineLost, forKey: .baselineLost)
        try c.encode(outcome, forKey: .outcome)
    }

    /// The row's fields as CSV text, in ``columns`` order; nil is an empty field.
    var csvFields: [String] {
        func d(_ value: Double?) -> String { value.map(PaperFormat.csvNumber) ?? "" }
        func i<T: BinaryInteger>(_ value: T?) -> String { value.map { String($0) } ?? "" }
        return [
            scheme.rawValue, String(size), d(rate), String(run), String(seed), backend, d(downtimeMilliseconds),
            String(lost), String(sent), String(received), d(longestGapMilliseconds), d(interruptionMilliseconds),
            d(totalMigrationMilliseconds), d(confirmedMilliseconds), i(flowMods), i(precopyRounds), i(migratedBytes),
            i(controlLost), d(controlMaxDelayMilliseconds), i(adjacencyDrops), i(baselineLost), outcome ?? "",
        ]
    }
}

extension Optional where Wrapped == Double {
    /// The value if it is a finite number; NaN and infinities are not measurements.
    var finite: Double? { flatMap { $0.isFinite ? $0 : nil } }
}
