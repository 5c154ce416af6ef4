import NIOCore

/// What a live migration reports as it goes (Clark et al.'s stages: pre-copy rounds,
/// stop-and-copy, commitment, activation).
public enum LiveMigrationEvent: Hashable, Sendable {
    /// The dirty log is on and the first round begins.
    case started(at: NIODeadline)
    case roundCompleted(PreCopyRound)
    /// The VM is paused; the remaining dirty pages and the vCPU state are being sent.
    case stopAndCopy(at: NIODeadline, reason: PreCopyStopReason, pages: Int)
    /// The destination holds the whole image; `verified` says its memory hashes like the
    /// source's did when paused.
    case imageReceived(at: NIODeadline, verified: Bool)
    /// The source got the destination's acknowledgement and committed: its copy is discarded.
    case acknowledged(at: NIODeadline)
    /// The VM runs at the destination: take it with ``PreCopyMigration/takeMigratedMachine()``.
    case resumedAtDestination(at: NIODeadline)
    /// The migration failed before committing: the VM runs on the source again.
    case rolledBack(at: NIODeadline, reason: LiveMigrationFailure)
    /// The migration failed after committing: the source copy was already discarded.
    case lost(at: NIODeadline, reason: LiveMigrationFailure)
}
