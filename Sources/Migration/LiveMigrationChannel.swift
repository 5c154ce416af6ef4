import NIOCore

/// The separate link a live migration copies pages over (the paper's testbed has one, Fig. 4a):
/// bytes leave at `bandwidth` bytes per second, one after another, and arrive `latency` later.
public struct LiveMigrationChannel: Hashable, Sendable {
    /// Bytes per second.
    public var bandwidth: Int
    public var latency: TimeAmount
    /// When the channel breaks, if it is to (a fault to inject): the migration rolls back.
    public var breaksAt: NIODeadline?

    public init(bandwidth: Int, latency: TimeAmount = .microseconds(100), breaksAt: NIODeadline? = nil) {
        precondition(bandwidth > 0, "LiveMigrationChannel: bandwidth must be positive, not \(bandwidth) bytes/s")
        precondition(latency.nanoseconds >= 0, "LiveMigrationChannel: negative latency \(latency)")
        self.bandwidth = bandwidth
        self.latency = latency
        self.breaksAt = breaksAt
    }

    /// A gigabit link: 125 000 000 bytes/s.
    public static let gigabit = LiveMigrationChannel(bandwidth: 125_000_000)

    /// How long `bytes` take to leave.
    public func transmissionTime(_ bytes: Int) -> TimeAmount {
        .nanoseconds(Int64((Double(bytes) * 1e9 / Double(bandwidth)).rounded(.up)))
    }
}
