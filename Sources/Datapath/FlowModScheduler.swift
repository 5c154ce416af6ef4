import NIOCore
import OpenFlow

/// When a switch applies the messages it receives: the knob of the embedded substrate for
/// switches that are slow to install flows, or that apply them out of order between
/// barriers (as hardware switches may: spec 1.3.5 §6.2 only orders messages around a
/// BARRIER_REQUEST).
///
/// Pure and separate from ``Datapath``, which applies what it is given, in order. The
/// scheduler models the switch's control path as one server: it takes one message at a
/// time, spends a processing delay on it, and then the message takes effect. When the
/// server is free it picks the next message among those that have arrived and precede the
/// first pending barrier: the oldest, or (when the policy reorders, with probability
/// ``Policy/reorderProbability`` at each choice) one chosen by a seeded generator. A
/// modification's processing delay may vary (``Policy/modificationJitter``, drawn from the
/// same seeded generator). A barrier is taken only once everything before it has been applied,
/// and nothing after it is taken before it, so no message ever crosses a barrier.
///
/// Drive it in time order: ``submit(_:xid:arrival:)`` each message as it arrives, call
/// ``due(now:)`` at ``nextDeadline`` (and after submitting), and hand each result to
/// `Datapath.handle(_:xid:now:)` with its `appliedAt`.
public struct FlowModScheduler: Sendable {
    public struct Policy: Sendable, Hashable {
        /// Time to apply one FLOW_MOD, GROUP_MOD, METER_MOD or PORT_MOD.
        public var modificationDelay: TimeAmount
        /// Up to this much more per modification: each one's delay is `modificationDelay` plus
        /// a seeded uniform draw in `0...modificationJitter`.
        public var modificationJitter: TimeAmount
        /// Time for any other message but a barrier (which costs nothing itself).
        public var otherDelay: TimeAmount
        /// The chance, at each choice among several waiting messages, that the switch takes a
        /// random one of them instead of the oldest: 0 never reorders, 1 always draws.
        public var reorderProbability: Double
        /// Whether messages between barriers may be applied in another order than sent
        /// (``reorderProbability`` above 0; setting it to true means probability 1).
        public var reorders: Bool {
            get { reorderProbability > 0 }
            set { reorderProbability = newValue ? 1 : 0 }
        }
        /// How long the server waits after the oldest pending message arrived before
        /// choosing: messages arriving in the window compete with it, so a wider window
        /// reorders more even when the switch is not busy.
        public var window: TimeAmount
        /// The seed of the reordering choices: one seed, one schedule.
        public var seed: UInt64

        /// `reorderProbability` (0...1, clamped) wins over `reorders` when given.
        public init(
            modificationDelay: TimeAmount = .zero, modificationJitter: TimeAmount = .zero, otherDelay: TimeAmount = .zero,
            reorders: Bool = false, reorderProbability: Double? = nil, window: TimeAmount = .zero, seed: UInt64 = 0
        ) {
            self.modificationDelay = modificationDelay
            self.modificationJitter = max(.zero, modificationJitter)
            self.otherDelay = otherDelay
            let probability = reorderProbability ?? (reorders ? 1 : 0)
            self.reorderProbability = probability.isNaN ? 0 : min(1, max(0, probability))
            self.window = window
            self.seed = seed
        }

        /// Everything at once, in order: what ``Datapath`` does by itself.
        public static let immediate = Policy()
    }

    /// A message and when it takes effect.
    public struct Applied: Hashable, Sendable {
        public var message: OF13.Message
        public var xid: UInt32
        public var arrival: NIODeadline
        public var appliedAt: NIODeadline
        /// The position in which it was submitted, from 0.
        public var sequence: Int
    }

    private struct Pending: Sendable {
        var message: OF13.Message
        var xid: UInt32
        var arrival: NIODeadline
        var sequence: Int
        var isBarrier: Bool { if case .barrierRequest = message { true } else { false } }
    }

    public let policy: Policy
    /// Waiting messages: `pending[head...]` (taking the oldest only moves `head`, so a backlog
    /// of thousands costs no copying).
    private var pending: [Pending] = []
    private var head = 0
    private var inService: (item: Pending, done: NIODeadline)?
    private var serverFreeAt = NIODeadline.uptimeNanoseconds(0)
    private var submitted = 0
    private var random: SplitMix64

    public init(policy: Policy = .immediate) {
        self.policy = policy
        self.random = SplitMix64(seed: policy.seed)
    }

    /// Messages submitted and not yet returned by ``due(now:)``.
    public var backlog: Int { pending.count - head + (inService == nil ? 0 : 1) }

    /// A message arrives. Arrivals must come in time order, and not before a `now` already
    /// passed to ``due(now:)``.
    public mutating func submit(_ message: OF13.Message, xid: UInt32, arrival: NIODeadline) {
        pending.append(Pending(message: message, xid: xid, arrival: arrival, sequence: submitted))
        submitted += 1
    }

    /// When the next message will be applied or chosen: call ``due(now:)`` then.
    public var nextDeadline: NIODeadline? {
        if let inService { return inService.done }
        return nextStart
    }

    /// When the server will next choose a message, if one is pending.
    private var nextStart: NIODeadline? {
        guard head < pending.count else { return nil }
        let first = pending[head]
        let ready = first.isBarrier ? first.arrival : first.arrival + policy.window
        return max(serverFreeAt, ready)
    }

    private mutating func delay(_ message: OF13.Message) -> TimeAmount {
        switch message {
        case .flowMod, .groupMod, .meterMod, .portMod:
            guard policy.modificationJitter > .zero else { return policy.modificationDelay }
            let jitter = UInt64(policy.modificationJitter.nanoseconds)
            let draw = jitter == .max ? random.next() : random.next() % (jitter + 1)
            return policy.modificationDelay + .nanoseconds(Int64(draw))
        case .barrierRequest: return .zero
        default: return policy.otherDelay
        }
    }

    /// Which of `candidates` waiting messages to take next (0: the oldest).
    private mutating func choose(among candidates: Int) -> Int {
        guard candidates > 1, policy.reorderProbability > 0 else { return 0 }
        if policy.reorderProbability < 1 {
            // 53 random bits as a fraction in [0, 1).
            let coin = Double(random.next() >> 11) / Double(1 << 53)
            guard coin < policy.reorderProbability else { return 0 }
        }
        return Int(random.next() % UInt64(candidates))
    }

    /// The messages applied by `now`, in the order they take effect.
    public mutating func due(now: NIODeadline) -> [Applied] {
        var applied: [Applied] = []
        while true {
            if let (item, done) = inService {
                guard done <= now else { break }
                applied.append(
                    Applied(message: item.message, xid: item.xid, arrival: item.arrival, appliedAt: done,
                        sequence: item.sequence))
                inService = nil
                serverFreeAt = done
            }
            guard let start = nextStart, start <= now else { break }
            // Candidates: what has arrived by `start` and precedes the first barrier; a
            // barrier at the head of the queue stands alone. (Counted only when the switch
            // may reorder: in order, the oldest is taken.)
            var candidates = 1
            if policy.reorderProbability > 0 {
                candidates = 0
                for item in pending[head...] {
                    guard item.arrival <= start else { break }
                    if item.isBarrier {
                        if candidates == 0 { candidates = 1 }
                        break
                    }
                    candidates += 1
                }
            }
            let pick = choose(among: candidates)
            let item: Pending
            if pick == 0 {
                item = pending[head]
                head += 1
                if head >= 1024, head * 2 >= pending.count {
                    pending.removeFirst(head)
                    head = 0
                }
            } else {
                item = pending.remove(at: head + pick)
            }
            inService = (item, start + delay(item.message))
        }
        return applied
    }

    /// Schedules a whole list of arrivals (in time order) and returns every message with
    /// the time it takes effect, in that order.
    public static func schedule(
        _ arrivals: [(message: OF13.Message, xid: UInt32, arrival: NIODeadline)], policy: Policy
    ) -> [Applied] {
        var scheduler = FlowModScheduler(policy: policy)
        var result: [Applied] = []
        for arrival in arrivals {
            // Decisions strictly before this arrival cannot see it.
            if arrival.arrival.uptimeNanoseconds > 0 {
                result += scheduler.due(now: arrival.arrival - .nanoseconds(1))
            }
            scheduler.submit(arrival.message, xid: arrival.xid, arrival: arrival.arrival)
        }
        while let deadline = scheduler.nextDeadline { result += scheduler.due(now: deadline) }
        return result
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seedable generator.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
