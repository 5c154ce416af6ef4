import NIOCore

/// The real-time clock of the embedded substrate: actions run on one NIO event loop at the
/// machine's monotonic time. Create it, build the network and start traffic **on that event
/// loop** (for example inside `eventLoop.execute` or `eventLoop.submit`): every component is
/// confined to the loop's thread, as on ``EventSimulator`` it is confined to the caller's.
public final class RealClock: SubstrateClock {
    public let eventLoop: any EventLoop
    public let seed: UInt64
    private var scheduled: [UInt64: Scheduled<Void>] = [:]
    private var nextID: UInt64 = 0

    public init(eventLoop: any EventLoop, seed: UInt64 = 0) {
        self.eventLoop = eventLoop
        self.seed = seed
    }

    public var now: NIODeadline { .now() }

    @discardableResult
    public func schedule(at deadline: NIODeadline, _ action: @escaping () -> Void) -> ScheduledEvent {
        eventLoop.preconditionInEventLoop()
        let id = nextID
        nextID += 1
        let loop = eventLoop.assumeIsolated()
        // A deadline already passed runs on the loop's next turn, never re-entrantly.
        scheduled[id] = loop.scheduleTask(deadline: deadline) { [self] in
            guard scheduled.removeValue(forKey: id) != nil else { return }
            action()
        }
        return ScheduledEvent(id: id)
    }

    public func cancel(_ event: ScheduledEvent) {
        scheduled.removeValue(forKey: event.id)?.cancel()
    }
}
