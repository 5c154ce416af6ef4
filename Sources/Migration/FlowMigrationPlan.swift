/// What a planner produced: steps in dependency order, for ``FlowMigrationExecutor``.
public struct FlowMigrationPlan: Hashable, Sendable {
    public var algorithm: FlowMigrationAlgorithm
    public var steps: [FlowMigrationStep]
    /// After the last step is sent, a barrier to every switch touched, only to learn when the
    /// switches have applied everything (``FlowMigrationReport/confirmedMilliseconds`` for the
    /// unconfirmed `paper` order); it changes nothing in what is sent or when.
    public var confirmAtEnd: Bool
    public var flowCount: Int

    public init(algorithm: FlowMigrationAlgorithm, steps: [FlowMigrationStep], confirmAtEnd: Bool, flowCount: Int) {
        self.algorithm = algorithm
        self.steps = steps
        self.confirmAtEnd = confirmAtEnd
        self.flowCount = flowCount
    }

    /// FLOW_MODs the plan sends when nothing goes wrong.
    public var flowModCount: Int { steps.reduce(0) { $0 + $1.changes.count } }

    /// Every switch the plan touches, in the order they first appear.
    public var datapathIDs: [UInt64] {
        var seen = Set<UInt64>()
        return steps.flatMap(\.datapathIDs).filter { seen.insert($0).inserted }
    }
}
