import NIOCore

/// What one pre-copy round did.
public struct PreCopyRound: Hashable, Sendable {
    /// 1 for the first round, which sends every page.
    public var number: Int
    public var pagesSent: Int
    /// Pages not sent because the guest dirtied them again during the round: the next round
    /// sends them.
    public var pagesSkipped: Int
    /// Hot pages held back from this round (the writable working set).
    public var pagesHeldBack: Int
    public var bytes: Int
    public var started: NIODeadline
    public var ended: NIODeadline
    /// Pages still to send when the round ended (dirtied during it, plus those held back).
    public var dirtyAtEnd: Int

    public var duration: TimeAmount { ended - started }
}

/// Why pre-copy stopped and the VM was paused for stop-and-copy.
public enum PreCopyStopReason: String, Hashable, Sendable {
    /// The dirty set fell to the threshold.
    case dirtySetSmall = "dirty-set-small"
    /// The maximum number of rounds was reached.
    case maxRounds = "max-rounds"
    /// A round did not shrink the dirty set: the writable working set is reached.
    case noProgress = "no-progress"
    /// The memory was sent the maximum number of times over.
    case transferLimit = "transfer-limit"
}

/// Why a live migration failed.
public enum LiveMigrationFailure: String, Hashable, Sendable {
    case destinationFailed = "destination-failed"
    case channelBroken = "channel-broken"
}
