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
/// first pending barrier: the oldest, or (when the policy reorders) one chosen by a seeded
/// generator. A barrier is taken only once everything before it has been applied, and
/// nothing after it is taken before it, so no message ever crosses a barrier.
///
/// Drive it in time order: ``submit(_:xid:arrival:)`` each message as it arrives, call
/// ``due(now:)`` at ``nextDeadline`` (and after submitting), and hand each result to
/// `Datapath.handle(_:xid:now:)` with its `appliedAt`.
public struct FlowModScheduler: Sendable {
    public struct Policy: Sendable, Hashable {
        /// Time to apply one FLOW_MOD, GROUP_MOD, METER_MOD or PORT_MOD.
        public var modificationDelay: TimeAmount
        /// Time for any other message but a barrier (which costs nothing itself).
        public var otherDelay: TimeAmount
        /// Whether messages between barriers may be applied in another order than sent.
        public var reorders: Bool
        /// How long the server waits after the oldest pending message arrived before
        /// choosing: messages arriving in the window compete with it, so a wider window
        /// reorders more even when the switch is not busy.
        public var window: TimeAmount
        /// The seed of the reordering choices: one seed, one schedule.
        public var seed: UInt64

        public init(
            modificationDelay: TimeAmount = .zero, otherDelay: TimeAmount = .zero, reorders: Bool = false,
            window: TimeAmount = .zero, seed: UInt64 = 0
        ) {
            self.modificationDelay = modificationDelay
            self.otherDelay = otherDelay
            self.reorders = reorders
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
    private var pending: [Pending] = []
    private var inService: (item: Pending, done: NIODeadline)?
    private var serverFreeAt = NIODeadline.uptimeNanoseconds(0)
    private var submitted = 0
    private var random: SplitMix64

    public init(policy: Policy = .immediate) {
        self.policy = policy
        self.random = SplitMix64(seed: policy.seed)
    }

    /// Messages submitted and not yet returned by ``due(now:)``.
    public var backlog: Int { pending.count + (inService == nil ? 0 : 1) }

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
        guard let first = pending.first else { return nil }
        let ready = first.isBarrier ? first.arrival : first.arrival + policy.window
        return max(serverFreeAt, ready)
    }

    private func delay(_ message: OF13.Message) -> TimeAmount {
        switch message {
        case .flowMod, .groupMod, .meterMod, .portMod: policy.modificationDelay
        case .barrierRequest: .zero
        default: policy.otherDelay
        }
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
            // barrier at the head of the queue stands alone.
            var candidates = 0
            for item in pending {
                guard item.arrival <= start else { break }
                if item.isBarrier {
                    if candidates == 0 { candidates = 1 }
                    break
                }
                candidates += 1
            }
            let pick = policy.reorders && candidates > 1 ? Int(random.next() % UInt64(candidates)) : 0
            let item = pending.remove(at: pick)
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
