/// One run of the sweep: a scheme at one packet size and data packet rate, the `run`-th
/// repetition of that point, with its own seed (so one point's result does not depend on which
/// points ran before it).
public struct PaperPoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var scheme: PaperScheme
    /// IP datagram size in bytes (64 or 1500 in the paper).
    public var datagramSize: Int
    /// Data packets per second.
    public var rate: Double
    /// 1-based repetition number.
    public var run: Int
    public var seed: UInt64

    public init(scheme: PaperScheme, datagramSize: Int, rate: Double, run: Int, seed: UInt64) {
        self.scheme = scheme
        self.datagramSize = datagramSize
        self.rate = rate
        self.run = run
        self.seed = seed
    }

    public var description: String {
        "\(scheme) \(datagramSize) B \(PaperFormat.number(rate)) pps run \(run)"
    }
}
