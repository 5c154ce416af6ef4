import NIOCore

/// The daemon in Domain 0 that holds a migrating router's control packets while its VM is
/// paused (paper §2.2), in arrival order, until they are delivered locally or sent through the
/// tunnel to the VM's new node. Past `capacity` packets, new ones are dropped and counted.
public struct ControlBuffer: Sendable {
    public struct Entry: Hashable, Sendable {
        public var frame: ByteBuffer
        /// The router's virtual interface the packet arrived for.
        public var interface: Int
        public var arrival: NIODeadline
    }

    public let capacity: Int
    public private(set) var entries: [Entry] = []
    public private(set) var dropped = 0
    /// The most packets held at once.
    public private(set) var highWater = 0

    public init(capacity: Int = 4096) {
        precondition(capacity > 0, "ControlBuffer: capacity must be positive, not \(capacity)")
        self.capacity = capacity
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Holds a packet; false (and counted as dropped) when full.
    @discardableResult
    public mutating func append(_ frame: ByteBuffer, interface: Int, arrival: NIODeadline) -> Bool {
        guard entries.count < capacity else {
            dropped += 1
            return false
        }
        entries.append(Entry(frame: frame, interface: interface, arrival: arrival))
        highWater = max(highWater, entries.count)
        return true
    }

    /// Every held packet, oldest first, leaving the buffer empty.
    public mutating func drain() -> [Entry] {
        defer { entries.removeAll() }
        return entries
    }
}
