/// What a ``PaperPointRunner`` measured in one run. Quantities that do not apply to a scheme
/// are nil (a flow migration pauses nothing, so it has no downtime; a router migration sends no
/// flow-mods) and appear as `null` in results.json and an empty field in results.csv.
public struct PaperMeasurement: Sendable, Equatable {
    /// Where it ran: `embedded` or `linux`.
    public var backend: String
    /// What the receiver saw of the data traffic.
    public var probe: ProbeReport
    /// The interval during which the migrating element did not run (VM paused until resumed at
    /// the destination, DESIGN.md). Nil for flow migrations.
    public var downtimeMilliseconds: Double?
    /// From the migration's trigger until data packets start passing through the destination.
    public var totalMigrationMilliseconds: Double?
    /// From the trigger until the last confirmation (flow migrations: the last barrier reply).
    public var confirmedMilliseconds: Double?
    public var flowMods: Int?
    public var precopyRounds: Int?
    public var migratedBytes: UInt64?
    /// Routing-protocol packets of the migrating router lost, and the longest extra delay one
    /// of them saw.
    public var controlLost: UInt64?
    public var controlMaxDelayMilliseconds: Double?
    public var adjacencyDrops: Int?
    /// Packets lost by the same traffic without a migration just before (the machine's own loss).
    public var baselineLost: UInt64?
    /// How the migration ended (`completed`, `rolledBack`, ...), when the scheme reports it.
    public var outcome: String?

    public init(
        backend: String, probe: ProbeReport, downtimeMilliseconds: Double? = nil, totalMigrationMilliseconds: Double? = nil,
        confirmedMilliseconds: Double? = nil, flowMods: Int? = nil, precopyRounds: Int? = nil, migratedBytes: UInt64? = nil,
        controlLost: UInt64? = nil, controlMaxDelayMilliseconds: Double? = nil, adjacencyDrops: Int? = nil,
        baselineLost: UInt64? = nil, outcome: String? = nil
    ) {
        self.backend = backend
        self.probe = probe
        self.downtimeMilliseconds = downtimeMilliseconds
        self.totalMigrationMilliseconds = totalMigrationMilliseconds
        self.confirmedMilliseconds = confirmedMilliseconds
        self.flowMods = flowMods
        self.precopyRounds = precopyRounds
        self.migratedBytes = migratedBytes
        self.controlLost = controlLost
        self.controlMaxDelayMilliseconds = controlMaxDelayMilliseconds
        self.adjacencyDrops = adjacencyDrops
        self.baselineLost = baselineLost
        self.outcome = outcome
    }
}
