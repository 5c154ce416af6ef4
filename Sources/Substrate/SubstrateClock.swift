import NIOCore

/// The time source and scheduler every embedded component runs on: the switch, host, link and
/// controller code is written once against this protocol and runs unchanged on
/// ``EventSimulator`` (virtual time, seeded, deterministic, faster than real time) and on
/// ``RealClock`` (a NIO event loop and the machine's clock).
///
/// Both are single-threaded: every component of one network, and every action scheduled on
/// its clock, runs on one thread (the simulator's caller, or the event loop), so components
/// keep plain mutable state with no locks.
public protocol SubstrateClock: AnyObject {
    /// The current time. On the simulator it only moves between events.
    var now: NIODeadline { get }
    /// The seed every component derives its random streams from (``randomStream(_:)``).
    var seed: UInt64 { get }
    /// Runs `action` at `deadline` (at once, but not re-entrantly, if it has passed). Actions
    /// due at the same time run in the order they were scheduled.
    @discardableResult
    func schedule(at deadline: NIODeadline, _ action: @escaping () -> Void) -> ScheduledEvent
    /// Cancels an action that has not run yet; does nothing otherwise.
    func cancel(_ event: ScheduledEvent)
}

/// A handle on a scheduled action, for ``SubstrateClock/cancel(_:)``.
public struct ScheduledEvent: Hashable, Sendable {
    public let id: UInt64
    public init(id: UInt64) { self.id = id }
}

extension SubstrateClock {
    /// Runs `action` after `delay`.
    @discardableResult
    public func schedule(after delay: TimeAmount, _ action: @escaping () -> Void) -> ScheduledEvent {
        schedule(at: now + delay, action)
    }

    /// A random stream of its own for the component called `name`: the same seed and name give
    /// the same numbers whatever else the network does, so adding a link does not change the
    /// loss pattern of another one.
    public func randomStream(_ name: String) -> SeededRandom {
        SeededRandom(seed: seed, stream: name)
    }
}
