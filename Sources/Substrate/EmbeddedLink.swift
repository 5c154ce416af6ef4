import NIOCore

/// A full-duplex cable between two ports, with what real links have: propagation latency,
/// bandwidth (a frame occupies the transmitter for `bits / bandwidth`), a transmit queue of
/// limited length (tail drop), random loss (seeded) and an up/down state. Each direction has
/// its own queue and counters.
///
/// A frame handed to ``transmit(_:from:)`` at `now` starts serialisation when the frames
/// queued before it are out, finishes `size × 8 / bandwidth` later and arrives `latency`
/// after that. A frame that finds `queueLength` frames in its direction's queue (the one
/// being serialised included) is dropped. A lost frame still occupies the wire. Frames in
/// flight when the link goes down are lost.
public final class EmbeddedLink {
    public struct Options: Hashable, Sendable {
        /// One-way propagation delay.
        public var latency: TimeAmount
        /// Bits per second; nil: no serialisation delay.
        public var bandwidth: Double?
        /// Frames a direction's transmit queue holds; nil: unlimited.
        public var queueLength: Int?
        /// Probability that a frame is lost on the wire, 0 to 1.
        public var loss: Double

        public init(latency: TimeAmount = .zero, bandwidth: Double? = nil, queueLength: Int? = 1000, loss: Double = 0) {
            self.latency = latency
            self.bandwidth = bandwidth
            self.queueLength = queueLength
            self.loss = loss
        }
    }

    /// The two ends: a frame sent from `a` goes to `b` and the other way round.
    public enum Side: Hashable, Sendable {
        case a, b
        public var other: Side { self == .a ? .b : .a }
    }

    /// What one direction carried and dropped.
    public struct Counters: Hashable, Sendable, Codable {
        /// Frames handed to the link.
        public var offered: UInt64 = 0
        public var delivered: UInt64 = 0
        public var deliveredBytes: UInt64 = 0
        /// Tail drops: the transmit queue was full.
        public var queueDrops: UInt64 = 0
        /// Lost on the wire (``Options/loss``).
        public var lossDrops: UInt64 = 0
        /// Sent while the link was down, or in flight when it went down.
        public var downDrops: UInt64 = 0

        public init() {}
    }

    private struct Direction {
        /// When each queued frame finishes serialisation, oldest first (from `head`).
        var finishTimes: [NIODeadline] = []
        var head = 0
        var counters = Counters()

        mutating func occupancy(now: NIODeadline) -> Int {
            while head < finishTimes.count, finishTimes[head] <= now { head += 1 }
            if head > 1024, head * 2 > finishTimes.count {
                finishTimes.removeFirst(head)
                head = 0
            }
            return finishTimes.count - head
        }

        var lastFinish: NIODeadline? { head < finishTimes.count ? finishTimes[finishTimes.count - 1] : nil }
    }

    public let name: String
    public let clock: any SubstrateClock
    public var options: Options
    public let a: (node: any EmbeddedNode, port: UInt32)
    public let b: (node: any EmbeddedNode, port: UInt32)
    public private(set) var isUp = true
    /// Set by the network when tracing.
    public var trace: EventTrace?
    /// Called with every frame the link delivers, and the side it was sent from, just before the
    /// far end receives it: a tap for probes that must see what crosses a link (for example the
    /// first data packet on a migration's new path) without polling counters.
    public var onDeliver: ((ByteBuffer, Side) -> Void)?
    private var directions = [Direction(), Direction()]
    /// Bumped when the link goes down: frames in flight from an earlier generation are lost.
    private var generation: UInt64 = 0
    private var random: SeededRandom

    public init(
        name: String, a: (node: any EmbeddedNode, port: UInt32), b: (node: any EmbeddedNode, port: UInt32),
        options: Options, clock: any SubstrateClock
    ) {
        self.name = name
        self.a = a
        self.b = b
        self.options = options
        self.clock = clock
        self.random = clock.randomStream("link \(name)")
        a.node.attach(self, side: .a, port: a.port)
        b.node.attach(self, side: .b, port: b.port)
    }

    /// The counters of frames sent from `side`.
    public func counters(from side: Side) -> Counters { directions[side == .a ? 0 : 1].counters }

    /// Both directions added up.
    public var totalCounters: Counters {
        let x = directions[0].counters, y = directions[1].counters
        var sum = Counters()
        sum.offered = x.offered + y.offered
        sum.delivered = x.delivered + y.delivered
        sum.deliveredBytes = x.deliveredBytes + y.deliveredBytes
        sum.queueDrops = x.queueDrops + y.queueDrops
        sum.lossDrops = x.lossDrops + y.lossDrops
        sum.downDrops = x.downDrops + y.downDrops
        return sum
    }

    /// The serialisation time of a frame of `bytes` bytes.
    public func serialization(bytes: Int) -> TimeAmount {
        guard let bandwidth = options.bandwidth, bandwidth > 0 else { return .zero }
        return .nanoseconds(Int64((Double(bytes * 8) * 1e9 / bandwidth).rounded()))
    }

    /// Sends `frame` from the `side` end.
    public func transmit(_ frame: ByteBuffer, from side: Side) {
        let index = side == .a ? 0 : 1
        let now = clock.now
        directions[index].counters.offered += 1
        guard isUp else {
            directions[index].counters.downDrops += 1
            trace?.record(now, "\(name) \(side) drop down")
            return
        }
        let occupancy = directions[index].occupancy(now: now)
        if let limit = options.queueLength, occupancy >= limit {
            directions[index].counters.queueDrops += 1
            trace?.record(now, "\(name) \(side) drop queue")
            return
        }
        let start = directions[index].lastFinish.map { max($0, now) } ?? now
        let finish = start + serialization(bytes: frame.readableBytes)
        directions[index].finishTimes.append(finish)
        if random.chance(options.loss) {
            directions[index].counters.lossDrops += 1
            trace?.record(now, "\(name) \(side) drop loss")
            return
        }
        let destination = side == .a ? b : a
        let generation = self.generation
        clock.schedule(at: finish + options.latency) { [self] in
            guard self.generation == generation else {
                directions[index].counters.downDrops += 1
                trace?.record(clock.now, "\(name) \(side) drop down")
                return
            }
            directions[index].counters.delivered += 1
            directions[index].counters.deliveredBytes += UInt64(frame.readableBytes)
            trace?.record(clock.now, "\(name) \(side) deliver \(frame.readableBytes)")
            onDeliver?(frame, side)
            destination.node.receive(frame: frame, port: destination.port)
        }
    }

    /// Pulls or plugs the cable: both ends hear of it (a switch reports PORT_STATUS).
    public func setUp(_ up: Bool) {
        guard up != isUp else { return }
        isUp = up
        if !up {
            generation += 1
            for i in 0..<2 {
                directions[i].finishTimes.removeAll()
                directions[i].head = 0
            }
        }
        trace?.record(clock.now, "\(name) \(up ? "up" : "down")")
        a.node.linkStateChanged(port: a.port, isUp: up)
        b.node.linkStateChanged(port: b.port, isUp: up)
    }
}
