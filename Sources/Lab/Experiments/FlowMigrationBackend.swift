import Migration
import NIOCore

/// Where a flow-migration experiment runs: Open vSwitch in network namespaces
/// (``FlowMigrationLinuxBackend``), or the embedded substrate on a virtual clock. The
/// experiment (``FlowMigrationExperiment``) only plans, repeats and summarises; the backend
/// builds the diamond, installs flows, runs the traffic and carries out the plan.
public protocol FlowMigrationBackend: AnyObject, Sendable {
    var name: String { get }
    /// Builds the network (two paths between the client's and the server's switch) and
    /// connects the controller; returns the migration to perform: `flows` flows, the first
    /// carrying the probe traffic, all on the old path, to be moved to the new one.
    func prepare(flows: Int) async throws -> FlowMigrationRequest
    /// Leaves exactly the old path's entries of `request` on the switches (confirmed).
    func installOldPath(_ request: FlowMigrationRequest) async throws
    /// Runs probe traffic and, if the trial has a plan, the migration at its trigger time.
    func run(_ trial: FlowMigrationTrial) async throws -> FlowMigrationTrialResult
    /// Every switch's flow entries, one line each (`ovs-ofctl dump-flows` style), by datapath id.
    func flowTables() async throws -> [UInt64: [String]]
    func tearDown() async
}

/// One run of traffic, with or without a migration in the middle.
public struct FlowMigrationTrial: Sendable {
    /// Packets per second.
    public var rate: Double
    /// IP datagram size in bytes.
    public var datagramSize: Int
    public var duration: TimeAmount
    /// Time after the first packet at which the migration is triggered.
    public var triggerAfter: TimeAmount
    /// Nil: a baseline run without migration.
    public var plan: FlowMigrationPlan?
    public var executor: FlowMigrationExecutor.Configuration

    public init(
        rate: Double, datagramSize: Int, duration: TimeAmount, triggerAfter: TimeAmount, plan: FlowMigrationPlan?,
        executor: FlowMigrationExecutor.Configuration = .init()
    ) {
        self.rate = rate
        self.datagramSize = datagramSize
        self.duration = duration
        self.triggerAfter = triggerAfter
        self.plan = plan
        self.executor = executor
    }
}

/// What a backend measured in one trial.
public struct FlowMigrationTrialResult: Sendable {
    public var probe: ProbeReport
    public var migration: FlowMigrationReport?
    /// From the trigger until the first probe crossed the new path (nil: none did).
    public var totalMigrationMilliseconds: Double?
    /// Probes seen on the new path.
    public var newPathProbes: UInt64

    public init(probe: ProbeReport, migration: FlowMigrationReport?, totalMigrationMilliseconds: Double?, newPathProbes: UInt64) {
        self.probe = probe
        self.migration = migration
        self.totalMigrationMilliseconds = totalMigrationMilliseconds
        self.newPathProbes = newPathProbes
    }
}
