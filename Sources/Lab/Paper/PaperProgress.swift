/// Where a running sweep is: the point being run, how many are done and left, and the time
/// left, estimated from the runs so far.
public struct PaperProgress: Sendable, Equatable {
    public var point: PaperPoint
    /// 1-based position of `point` among the runs.
    public var index: Int
    public var total: Int
    /// Seconds since the sweep started.
    public var elapsedSeconds: Double
    /// Seconds the remaining runs (including this one) are expected to take; nil before any
    /// run has finished.
    public var remainingSeconds: Double?

    public var left: Int { total - index + 1 }

    /// Estimates the time left: each remaining run is expected to take as long as the finished
    /// runs of its scheme took on average (a router migration and a flow migration differ by
    /// orders of magnitude), or all finished runs if its scheme has none yet.
    static func estimate(remaining: [PaperPoint], durations: [PaperScheme: [Double]]) -> Double? {
        let all = durations.values.flatMap { $0 }
        guard !all.isEmpty else { return nil }
        let overall = all.reduce(0, +) / Double(all.count)
        return remaining.reduce(0) { sum, point in
            guard let own = durations[point.scheme], !own.isEmpty else { return sum + overall }
            return sum + own.reduce(0, +) / Double(own.count)
        }
    }
}
