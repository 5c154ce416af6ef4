/// How flows are moved (issue #5; paper §2.2, Fig. 3).
public enum FlowMigrationAlgorithm: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Fig. 3 as published: new entries, then the divergence switch redirected, then the old
    /// entries deleted, sent back to back without confirmation (OpenFlow 0.8.9 had no barrier).
    case paper
    /// The same three phases, each confirmed by a barrier from every switch it touched before
    /// the next, old entries deleted after a drain interval.
    case consistent
    /// `consistent` for many flows: batches, each switch's share of a batch in one go, the
    /// batches' phases overlapping.
    case bulk
    /// The wrong order, on purpose: the old path removed before the new one is installed. It
    /// must lose packets, which shows the measurement can see loss.
    case deleteFirst = "delete-first"

    public var description: String { rawValue }
}
