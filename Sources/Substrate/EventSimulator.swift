import NIOCore

/// A seeded discrete-event simulator: the virtual clock of the embedded substrate.
///
/// Time stands still while an action runs and jumps to the next scheduled action when it
/// returns, so a network runs as fast as its events can be processed, whatever the simulated
/// delays. Actions due at the same time run in the order they were scheduled (a sequence
/// number breaks ties), and all randomness comes from ``SubstrateClock/randomStream(_:)``
/// under ``seed``: the same build of the same network with the same seed runs identically.
///
/// Not thread-safe, by design: drive it from one thread (or task).
public final class EventSimulator: SubstrateClock {
    private struct Entry {
        var deadline: UInt64
        var sequence: UInt64

        func precedes(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence
        }
    }

    public let seed: UInt64
    public private(set) var now: NIODeadline
    /// Actions run so far.
    public private(set) var eventsRun: UInt64 = 0
    private var heap: [Entry] = []
    /// The actions not yet run nor cancelled, by sequence number (the heap holds only times).
    private var actions: [UInt64: () -> Void] = [:]
    private var nextSequence: UInt64 = 0

    /// A simulator at virtual time `start` (0 by default: probe timestamps are then simply
    /// nanoseconds since the start of the run).
    public init(seed: UInt64 = 0, start: NIODeadline = .uptimeNanoseconds(0)) {
        self.seed = seed
        self.now = start
    }

    /// Actions waiting.
    public var pendingCount: Int { actions.count }

    /// When the next action is due; nil if none is.
    public var nextEventTime: NIODeadline? {
        pruneCancelled()
        return heap.first.map { .uptimeNanoseconds($0.deadline) }
    }

    private func pruneCancelled() {
        while let first = heap.first, actions[first.sequence] == nil { _ = pop() }
    }

    @discardableResult
    public func schedule(at deadline: NIODeadline, _ action: @escaping () -> Void) -> ScheduledEvent {
        let sequence = nextSequence
        nextSequence += 1
        actions[sequence] = action
        push(Entry(deadline: max(deadline, now).uptimeNanoseconds, sequence: sequence))
        return ScheduledEvent(id: sequence)
    }

    public func cancel(_ event: ScheduledEvent) {
        actions[event.id] = nil
    }

    /// Runs the next action, if any; returns false when there is none.
    @discardableResult
    public func step() -> Bool {
        while let entry = pop() {
            guard let action = actions.removeValue(forKey: entry.sequence) else { continue }
            now = .uptimeNanoseconds(entry.deadline)
            eventsRun += 1
            action()
            return true
        }
        return false
    }

    /// Runs every action due up to and including `deadline`, then sets the clock to
    /// `deadline`.
    public func run(until deadline: NIODeadline) {
        while let next = nextEventTime, next <= deadline {
            step()
        }
        if deadline > now { now = deadline }
    }

    /// Runs for `duration` of virtual time.
    public func run(for duration: TimeAmount) {
        run(until: now + duration)
    }

    /// Runs until no action is left or `limit` actions have run (periodic timers never
    /// leave the queue empty: prefer ``run(until:)`` for networks with a controller).
    /// Returns the number of actions run.
    @discardableResult
    public func runUntilIdle(limit: Int = 10_000_000) -> Int {
        var count = 0
        while count < limit, step() { count += 1 }
        return count
    }

    // MARK: binary heap

    private func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            var best = left
            if left + 1 < count, heap[left + 1].precedes(heap[left]) { best = left + 1 }
            guard heap[best].precedes(heap[parent]) else { break }
            heap.swapAt(best, parent)
            parent = best
        }
        return top
    }
}
