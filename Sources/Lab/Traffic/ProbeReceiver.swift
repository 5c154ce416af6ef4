import NIOCore

/// The receiving end of a probe flow (pure: packets and their arrival times in, a report out).
///
/// Counts distinct packets, duplicates and reordering with a bitmap over sequence numbers, the
/// longest gap between consecutive arrivals, and latency percentiles from every sample. The
/// same type serves the embedded substrate (virtual or real clock) and the linux backend
/// (kernel sockets), so the definitions of DESIGN.md are identical across backends.
public struct ProbeReceiver: Sendable {
    public let flow: UInt32
    private var seen: [UInt64] = []
    private var highest: UInt64?
    private var received: UInt64 = 0
    private var duplicates: UInt64 = 0
    private var reordered: UInt64 = 0
    private var foreign: UInt64 = 0
    private var firstArrival: NIODeadline?
    private var lastArrival: NIODeadline?
    private var longestGap: Int64 = 0
    private var longestGapStart: NIODeadline?
    private var latencies: [Int64] = []

    public init(flow: UInt32) {
        self.flow = flow
    }

    /// Distinct packets received so far.
    public var receivedCount: UInt64 { received }
    /// When the last packet arrived.
    public var lastArrivalTime: NIODeadline? { lastArrival }

    /// Records a datagram's payload that arrived at `now`. Not a probe of this flow → counted
    /// as foreign.
    public mutating func receive(payload: ByteBuffer, now: NIODeadline) {
        guard let probe = ProbePayload(payload: payload), probe.flow == flow else {
            foreign += 1
            return
        }
        receive(probe, now: now)
    }

    /// Records a probe that arrived at `now`; `now` and `probe.sentAt` are on the same clock.
    public mutating func receive(_ probe: ProbePayload, now: NIODeadline) {
        guard probe.flow == flow else {
            foreign += 1
            return
        }
        let sequence = probe.sequence
        let word = Int(sequence / 64)
        let bit = UInt64(1) << (sequence % 64)
        if word >= seen.count { seen.append(contentsOf: repeatElement(0, count: word - seen.count + 1)) }
        if seen[word] & bit != 0 {
            duplicates += 1
            return
        }
        seen[word] |= bit
        received += 1
        if let highest, sequence < highest {
            reordered += 1
        } else {
            highest = sequence
        }
        if let lastArrival {
            let gap = now.uptimeNanoseconds >= lastArrival.uptimeNanoseconds
                ? Int64(now.uptimeNanoseconds - lastArrival.uptimeNanoseconds) : 0
            if gap > longestGap {
                longestGap = gap
                longestGapStart = lastArrival
            }
        } else {
            firstArrival = now
        }
        lastArrival = now
        let latency = Int64(bitPattern: now.uptimeNanoseconds &- probe.sentAt)
        latencies.append(max(0, latency))
    }

    /// The report once the sender says it sent `sent` packets (sequence numbers 0..<sent).
    public func report(sent: UInt64) -> ProbeReport {
        var inRange: UInt64 = 0
        if sent > 0 {
            let fullWords = Int(sent / 64)
            for index in 0..<min(fullWords, seen.count) { inRange += UInt64(seen[index].nonzeroBitCount) }
            let rest = sent % 64
            if rest > 0, fullWords < seen.count {
                inRange += UInt64((seen[fullWords] & ((UInt64(1) << rest) - 1)).nonzeroBitCount)
            }
        }
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            // Nearest-rank percentile.
            let rank = max(1, Int((p / 100 * Double(sorted.count)).rounded(.up)))
            return Double(sorted[min(rank, sorted.count) - 1]) / 1e6
        }
        return ProbeReport(
            sent: sent, received: received, lost: sent - inRange, duplicates: duplicates, reordered: reordered,
            longestGapMilliseconds: Double(longestGap) / 1e6,
            longestGapStartMilliseconds: longestGapStart.flatMap { start in
                firstArrival.map { Double(start.uptimeNanoseconds - $0.uptimeNanoseconds) / 1e6 }
            },
            latencyP50Milliseconds: percentile(50), latencyP99Milliseconds: percentile(99),
            latencyMaxMilliseconds: sorted.last.map { Double($0) / 1e6 }, foreign: foreign)
    }
}
