import NIOCore

/// What the guest program inside a VM does besides forwarding, modelled on a routing daemon
/// (BIRD, Quagga): its route table lives in guest pages and is rewritten on route changes and
/// periodically (aging, refresh), and its other activity (heap, timers, logs) writes a working
/// set of pages at a steady rate.
public struct GuestWorkload: Hashable, Sendable {
    /// Route-table entries the guest has room for (32 bytes each).
    public var routeCapacity: Int
    /// Background page writes per second (each write dirties one page of the working set).
    public var dirtyRate: Double
    /// Pages the background writes fall on, chosen uniformly with the VM's seeded generator.
    public var workingSetPages: Int
    /// How often the daemon rewrites every route's age (`nil`: never).
    public var refreshInterval: TimeAmount?
    /// Buffers of the ring where the guest copies the packets it forwards (one page each).
    public var packetRingSlots: Int
    /// Slots of the ring where the guest copies control packets it receives and sends.
    public var controlRingSlots: Int
    /// Entries of the guest's ARP table (16 bytes each).
    public var arpCapacity: Int

    public init(
        routeCapacity: Int = 1024, dirtyRate: Double = 200, workingSetPages: Int = 64,
        refreshInterval: TimeAmount? = .seconds(1), packetRingSlots: Int = 256, controlRingSlots: Int = 32,
        arpCapacity: Int = 256
    ) {
        self.routeCapacity = routeCapacity
        self.dirtyRate = dirtyRate
        self.workingSetPages = workingSetPages
        self.refreshInterval = refreshInterval
        self.packetRingSlots = packetRingSlots
        self.controlRingSlots = controlRingSlots
        self.arpCapacity = arpCapacity
    }

    /// A daemon that writes nothing unless told: no background writes, no refresh.
    public static let quiet = GuestWorkload(dirtyRate: 0, refreshInterval: nil)
}
