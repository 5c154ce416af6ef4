/// What a receiver probe saw of one flow: the final JSON object of traffic runs and
/// experiments. Keys are fixed by the issues and DESIGN.md ("Measured, not assumed"):
/// `sent`, `received`, `lost`, `duplicates`, `reordered`, `longest_gap_ms`,
/// `latency_p50_ms`, `latency_p99_ms`; the rest add detail.
public struct ProbeReport: Sendable, Equatable, Codable {
    /// Packets the sender handed to the network.
    public var sent: UInt64
    /// Distinct packets received (duplicates not counted again).
    public var received: UInt64
    /// Sequence numbers sent and never received.
    public var lost: UInt64
    /// Packets received more than once (each extra copy counts one).
    public var duplicates: UInt64
    /// Packets received after one with a higher sequence number.
    public var reordered: UInt64
    /// The longest interval between two consecutive received packets, in milliseconds.
    public var longestGapMilliseconds: Double
    /// When that gap began, in milliseconds since the first packet was received (nil if fewer
    /// than two packets arrived).
    public var longestGapStartMilliseconds: Double?
    public var latencyP50Milliseconds: Double?
    public var latencyP99Milliseconds: Double?
    public var latencyMaxMilliseconds: Double?
    /// Datagrams on the probe's port that were not probes of this flow.
    public var foreign: UInt64

    public init(
        sent: UInt64, received: UInt64, lost: UInt64, duplicates: UInt64, reordered: UInt64,
        longestGapMilliseconds: Double, longestGapStartMilliseconds: Double?,
        latencyP50Milliseconds: Double?, latencyP99Milliseconds: Double?, latencyMaxMilliseconds: Double?,
        foreign: UInt64
    ) {
        self.sent = sent
        self.received = received
        self.lost = lost
        self.duplicates = duplicates
        self.reordered = reordered
        self.longestGapMilliseconds = longestGapMilliseconds
        self.longestGapStartMilliseconds = longestGapStartMilliseconds
        self.latencyP50Milliseconds = latencyP50Milliseconds
        self.latencyP99Milliseconds = latencyP99Milliseconds
        self.latencyMaxMilliseconds = latencyMaxMilliseconds
        self.foreign = foreign
    }

    enum CodingKeys: String, CodingKey {
        case sent, received, lost, duplicates, reordered
        case longestGapMilliseconds = "longest_gap_ms"
        case longestGapStartMilliseconds = "longest_gap_start_ms"
        case latencyP50Milliseconds = "latency_p50_ms"
        case latencyP99Milliseconds = "latency_p99_ms"
        case latencyMaxMilliseconds = "latency_max_ms"
        case foreign
    }

    /// Every key is always present; a latency or gap start that could not be measured (no
    /// packet arrived) is `null`, never left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sent, forKey: .sent)
        try container.encode(received, forKey: .received)
        try container.encode(lost, forKey: .lost)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encode(reordered, forKey: .reordered)
        try container.encode(longestGapMilliseconds, forKey: .longestGapMilliseconds)
        try container.encode(longestGapStartMilliseconds, forKey: .longestGapStartMilliseconds)
        try container.encode(latencyP50Milliseconds, forKey: .latencyP50Milliseconds)
        try container.encode(latencyP99Milliseconds, forKey: .latencyP99Milliseconds)
        try container.encode(latencyMaxMilliseconds, forKey: .latencyMaxMilliseconds)
        try container.encode(foreign, forKey: .foreign)
    }
}
