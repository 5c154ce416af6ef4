import NIOCore

/// A log of what happened in an embedded network, in order: frames delivered and dropped on
/// links, messages between switches and controller, flow-mods applied. Two runs of the same
/// scenario with the same seed on the virtual clock give equal traces.
public final class EventTrace {
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        /// Nanoseconds on the network's clock.
        public var time: UInt64
        public var event: String

        public var description: String { "\(time) \(event)" }
    }

    public private(set) var entries: [Entry] = []
    /// Entries beyond this are counted but not kept.
    public let capacity: Int
    public private(set) var dropped = 0

    public init(capacity: Int = 1_000_000) {
        self.capacity = capacity
    }

    public func record(_ now: NIODeadline, _ event: @autoclosure () -> String) {
        guard entries.count < capacity else {
            dropped += 1
            return
        }
        entries.append(Entry(time: now.uptimeNanoseconds, event: event()))
    }
}
