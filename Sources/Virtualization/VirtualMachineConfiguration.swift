import NIOCore

/// Everything needed to create a VM, and what a migration sends ahead of its pages (Xen's
/// domain configuration): the router it runs, its memory size, its workload and seed.
public struct VirtualMachineConfiguration: Hashable, Sendable {
    public var router: VirtualRouterID
    public var interfaces: [VirtualInterface]
    public var forwarding: ForwardingMode
    public var memoryPages: Int
    public var workload: GuestWorkload
    /// The vCPU's time slice: the guest runs its background work slice by slice.
    public var timeSlice: TimeAmount
    /// Seeds the guest's generator, so that a run is repeatable.
    public var seed: UInt64

    public init(
        router: VirtualRouterID, interfaces: [VirtualInterface], forwarding: ForwardingMode,
        memoryPages: Int = 1024, workload: GuestWorkload = GuestWorkload(), timeSlice: TimeAmount = .milliseconds(1),
        seed: UInt64 = 1
    ) {
        self.router = router
        self.interfaces = interfaces
        self.forwarding = forwarding
        self.memoryPages = memoryPages
        self.workload = workload
        self.timeSlice = timeSlice
        self.seed = seed
    }

    /// Throws unless the configuration describes a VM that can run.
    public func validate() throws(VirtualizationError) {
        func fail(_ field: String, _ why: String) -> VirtualizationError {
            .invalidConfiguration(router: router, field: field, reason: why)
        }
        guard !interfaces.isEmpty else { throw fail("interfaces", "a router needs at least one interface") }
        guard interfaces.count <= GuestLayout.maximumInterfaces else {
            throw fail("interfaces", "\(interfaces.count) interfaces, at most \(GuestLayout.maximumInterfaces)")
        }
        for (i, interface) in interfaces.enumerated() where !(0...32).contains(interface.prefixLength) {
            throw fail("interfaces[\(i)].prefixLength", "\(interface.prefixLength) is outside 0...32")
        }
        guard timeSlice.nanoseconds > 0 else { throw fail("timeSlice", "must be positive") }
        guard workload.dirtyRate >= 0, workload.dirtyRate.isFinite else {
            throw fail("workload.dirtyRate", "\(workload.dirtyRate) is not a rate")
        }
        if let refresh = workload.refreshInterval, refresh.nanoseconds <= 0 {
            throw fail("workload.refreshInterval", "must be positive")
        }
        for (field, value) in [
            ("workload.routeCapacity", workload.routeCapacity), ("workload.workingSetPages", workload.workingSetPages),
            ("workload.packetRingSlots", workload.packetRingSlots),
            ("workload.controlRingSlots", workload.controlRingSlots), ("workload.arpCapacity", workload.arpCapacity),
        ] where value < 1 {
            throw fail(field, "\(value) must be at least 1")
        }
        let layout = GuestLayout(workload)
        guard memoryPages >= layout.minimumPages else {
            throw fail("memoryPages", "\(memoryPages) pages cannot hold the guest's \(layout.minimumPages)")
        }
    }
}
