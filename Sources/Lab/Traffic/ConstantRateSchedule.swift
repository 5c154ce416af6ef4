import NIOCore

/// When each packet of a constant-rate flow is due: packet `n` at `start + n / rate`, computed
/// from `n` rather than accumulated, so the rate does not drift over long runs. Pure: the
/// generator on either clock asks it which packets are due at `now`.
public struct ConstantRateSchedule: Sendable, Equatable {
    public let start: NIODeadline
    /// Packets per second.
    public let rate: Double
    /// Packets in the whole flow; nil for a flow that runs until stopped.
    public let count: UInt64?
    /// Sequence number of the next packet to send.
    public private(set) var next: UInt64 = 0

    public init(start: NIODeadline, rate: Double, count: UInt64? = nil) throws(ProbeError) {
        guard rate > 0, rate.isFinite else { throw .rateNotPositive(rate) }
        self.start = start
        self.rate = rate
        self.count = count
    }

    /// A flow of `duration` at `rate`: `rate × duration` packets, rounded down.
    public init(start: NIODeadline, rate: Double, duration: TimeAmount) throws(ProbeError) {
        guard rate > 0, rate.isFinite else { throw .rateNotPositive(rate) }
        let packets = UInt64((rate * Double(duration.nanoseconds) / 1e9).rounded(.down))
        try self.init(start: start, rate: rate, count: packets)
    }

    public var isFinished: Bool { count.map { next >= $0 } ?? false }

    /// When packet `sequence` is due.
    public func deadline(of sequence: UInt64) -> NIODeadline {
        start + .nanoseconds(Int64((Double(sequence) * 1e9 / rate).rounded()))
    }

    /// When the next packet is due; nil once the flow has sent all its packets.
    public var nextDeadline: NIODeadline? { isFinished ? nil : deadline(of: next) }

    /// The sequence numbers due at `now` (and not yet taken), at most `limit` of them; marks
    /// them taken. A sender that fell behind catches up in bursts of at most `limit`.
    public mutating func takeDue(now: NIODeadline, limit: Int = .max) -> Range<UInt64> {
        let first = next
        var last = first
        var taken = 0
        while taken < limit, !(count.map { last >= $0 } ?? false), deadline(of: last) <= now {
            last += 1
            taken += 1
        }
        next = last
        return first..<last
    }
}
