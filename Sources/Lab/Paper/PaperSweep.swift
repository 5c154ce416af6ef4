import NIOCore

/// What `vnm experiment paper` measures: the schemes, packet sizes and data packet rates, the
/// repetitions per point and how long the data traffic of one run lasts.
///
/// The paper (§3) gives its figures as images without the rate values, so the full sweep's
/// range is ours: 1,000 to 10,000 packets/s, a decade that a 2010 Xen software router forwarded
/// and that Open vSwitch in network namespaces carries without loss on a 2-core machine
/// (../shared/notes/linux-testbed.md: 0 lost at 20,000 packets/s). Five rates, so that a line
/// fitted to the losses is tested by more than two points; five repetitions for the spread.
/// `--quick` keeps three rates (the fewest for which a line's r² says anything), two
/// repetitions and a short traffic run, for CI.
public struct PaperSweep: Sendable, Hashable, Codable {
    public var schemes: [PaperScheme]
    /// IP datagram sizes in bytes.
    public var sizes: [Int]
    /// Data packets per second, ascending.
    public var rates: [Double]
    public var repetitions: Int
    /// Seconds of data traffic per flow-migration run; the migration is triggered half-way.
    public var flowTrafficSeconds: Double
    /// Seed of the first point; point `i` (in ``points`` order) gets `seed + i`.
    public var seed: UInt64

    public init(
        schemes: [PaperScheme] = PaperScheme.allCases, sizes: [Int] = [64, 1500], rates: [Double], repetitions: Int,
        flowTrafficSeconds: Double, seed: UInt64 = 1
    ) {
        self.schemes = schemes
        self.sizes = sizes
        self.rates = rates
        self.repetitions = repetitions
        self.flowTrafficSeconds = flowTrafficSeconds
        self.seed = seed
    }

    /// The default: the paper's two packet sizes, five rates, five repetitions.
    public static func full(seed: UInt64 = 1) -> PaperSweep {
        PaperSweep(rates: [1000, 2500, 5000, 7500, 10000], repetitions: 5, flowTrafficSeconds: 2, seed: seed)
    }

    /// `--quick`: the same schemes and sizes, three rates, two repetitions, half a second of
    /// traffic per flow run.
    public static func quick(seed: UInt64 = 1) -> PaperSweep {
        PaperSweep(rates: [1000, 2000, 4000], repetitions: 2, flowTrafficSeconds: 0.5, seed: seed)
    }

    public func validate() throws {
        guard !schemes.isEmpty else { throw PaperExperimentError("the sweep has no scheme") }
        guard !sizes.isEmpty else { throw PaperExperimentError("the sweep has no packet size") }
        for size in sizes {
            do { _ = try ProbePayload.payloadSize(forDatagramSize: size) } catch {
                throw PaperExperimentError("packet size \(size): \(error)")
            }
        }
        guard !rates.isEmpty else { throw PaperExperimentError("the sweep has no data packet rate") }
        for rate in rates where !(rate > 0 && rate.isFinite) {
            throw PaperExperimentError("data packet rate \(rate) must be a number above 0")
        }
        guard repetitions >= 1 else { throw PaperExperimentError("repetitions must be at least 1, not \(repetitions)") }
        guard flowTrafficSeconds > 0, flowTrafficSeconds.isFinite else {
            throw PaperExperimentError("the traffic of a flow run must last more than 0 s, not \(flowTrafficSeconds)")
        }
        // At least a few packets each side of the trigger, or there is nothing to measure.
        let fewest = (rates.min() ?? 0) * flowTrafficSeconds
        guard fewest >= 10 else {
            throw PaperExperimentError(
                "\(PaperFormat.number(rates.min() ?? 0)) packets/s for \(flowTrafficSeconds) s is fewer than 10 packets")
        }
    }

    /// Every run in the order they are carried out: repetition by repetition, and within one,
    /// every size, rate and scheme, so that a stopped sweep has covered all points evenly and
    /// a slow spell of the machine spreads over all schemes rather than hitting one.
    public var points: [PaperPoint] {
        var points: [PaperPoint] = []
        for run in 1...max(1, repetitions) {
            for size in sizes {
                for rate in rates {
                    for scheme in schemes {
                        points.append(
                            PaperPoint(
                                scheme: scheme, datagramSize: size, rate: rate, run: run,
                                seed: seed &+ UInt64(points.count)))
                    }
                }
            }
        }
        return points
    }

    enum CodingKeys: String, CodingKey {
        case schemes, sizes, rates, repetitions, seed
        case flowTrafficSeconds = "flow_traffic_s"
    }

    /// The flow runs' traffic duration as NIO's time amount.
    var flowTrafficDuration: TimeAmount { .nanoseconds(Int64((flowTrafficSeconds * 1e9).rounded())) }
}
