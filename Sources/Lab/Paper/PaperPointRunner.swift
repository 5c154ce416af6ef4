/// Carries out one run of the paper's sweep. ``PaperRunner`` runs the real migrations; tests
/// give ``PaperExperiment`` a deterministic fake.
public protocol PaperPointRunner: AnyObject, Sendable {
    /// Nil when this runner can run `scheme`; otherwise why it cannot, in words for the
    /// terminal and the report ("router migration is not built in yet: ...").
    func unavailability(of scheme: PaperScheme) -> String?
    /// Runs `point` with the sweep's settings (traffic duration) and says what was measured.
    func run(_ point: PaperPoint, sweep: PaperSweep) async throws -> PaperMeasurement
    /// Stops whatever the runner started (Open vSwitch, namespaces). Called once, at the end.
    func tearDown() async
}
