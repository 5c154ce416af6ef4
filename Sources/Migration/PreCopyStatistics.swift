import NIOCore

/// The measurements of one pre-copy migration.
public struct PreCopyStatistics: Hashable, Sendable {
    public var rounds: [PreCopyRound] = []
    public var startedAt: NIODeadline?
    public var pausedAt: NIODeadline?
    public var imageReceivedAt: NIODeadline?
    public var acknowledgedAt: NIODeadline?
    public var resumedAt: NIODeadline?
    public var stopReason: PreCopyStopReason?
    /// Pages sent while the VM was paused.
    public var stopAndCopyPages = 0
    public var stopAndCopyBytes = 0
    /// Everything put on the channel, pre-copy and stop-and-copy.
    public var bytesSent = 0
    public var pagesSent = 0
    /// Whether the destination's memory hashed like the source's at pause.
    public var verified: Bool?

    public init() {}

    /// The interval during which the VM did not run: paused on the source until resumed at the
    /// destination.
    public var downtime: TimeAmount? {
        guard let pausedAt, let resumedAt else { return nil }
        return resumedAt - pausedAt
    }

    /// From the start until the VM runs at the destination.
    public var totalTime: TimeAmount? {
        guard let startedAt, let resumedAt else { return nil }
        return resumedAt - startedAt
    }

    /// Pre-copy rounds before stop-and-copy.
    public var preCopyRounds: Int { rounds.count }
}
