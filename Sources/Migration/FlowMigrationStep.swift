import NIOCore

/// A group of changes sent together. The executor sends a step once every step it depends on
/// is done and `delay` has passed since the last of them was; a `confirmed` step is done when
/// every switch it touched has answered a barrier sent after it, an unconfirmed one as soon as
/// it is sent.
public struct FlowMigrationStep: Hashable, Sendable {
    public var kind: FlowMigrationChange.Kind
    /// The batch (``FlowMigrationAlgorithm/bulk``) or round (several rounds of redirections
    /// when paths cross) this step belongs to; 0 otherwise.
    public var batch: Int
    /// In sending order; one switch's changes keep their relative order.
    public var changes: [FlowMigrationChange]
    /// Indices of earlier steps of the plan.
    public var dependencies: [Int]
    /// Wait after the dependencies are done (the drain interval before old entries go).
    public var delay: TimeAmount
    public var confirmed: Bool

    public init(
        kind: FlowMigrationChange.Kind, batch: Int = 0, changes: [FlowMigrationChange], dependencies: [Int] = [],
        delay: TimeAmount = .zero, confirmed: Bool
    ) {
        self.kind = kind
        self.batch = batch
        self.changes = changes
        self.dependencies = dependencies
        self.delay = delay
        self.confirmed = confirmed
    }

    /// The switches the step touches, in the order they first appear.
    public var datapathIDs: [UInt64] {
        var seen = Set<UInt64>()
        return changes.compactMap { seen.insert($0.datapathID).inserted ? $0.datapathID : nil }
    }

    /// A short name for reports: "add", "modify#2", ...
    public var name: String { batch == 0 ? kind.rawValue : "\(kind.rawValue)#\(batch)" }
}
