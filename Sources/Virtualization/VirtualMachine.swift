import NIOCore
import NetworkAddresses

/// A VM hosting one virtual router's control plane (and, in standard mode, its data plane), as a
/// Xen domain: paged guest memory in which the guest's state really lives, and a vCPU that
/// runs the guest program in time slices at `now`.
///
/// The guest program is a routing daemon's footprint: its route table and ARP table are in
/// guest pages (written on route changes, on ARP, and when the daemon refreshes its table);
/// background activity writes a working set of pages at a configured rate; control packets
/// are copied into a ring in guest memory; in standard mode every forwarded packet is copied
/// into the packet ring and counted in the counters page. So the guest's work dirties pages, and
/// a VM rebuilt from its pages and vCPU state (``image()``, ``init(image:now:)``) is the same VM.
///
/// The only state outside guest memory and the vCPU is derived from memory (a lookup index of
/// the route table) and rebuilt from it when an image is restored.
public struct VirtualMachine: Sendable {
    public enum State: String, Hashable, Sendable {
        /// The vCPU runs.
        case running
        /// The vCPU runs while a pre-copy migration sends its pages (dirty log on).
        case migrating
        /// The vCPU does not run: paused by the hypervisor or for stop-and-copy.
        case paused
        /// The migration committed: this copy was discarded and runs no more.
        case migrated
    }

    public let configuration: VirtualMachineConfiguration
    public let layout: GuestLayout
    public internal(set) var memory: GuestMemory
    public internal(set) var vcpu: VCPUState
    public internal(set) var state: State
    /// Whether a migration is under way (the dirty log can also be on just to measure).
    private var migrationInProgress = false

    /// Derived from the route table in memory: the guest's lookup index, and each prefix's slot.
    var routeIndex = VirtualRouterFIB()
    var routeSlots: [UInt64: Int] = [:]

    public var id: VirtualRouterID { configuration.router }
    public var interfaces: [VirtualInterface] { configuration.interfaces }
    public var isRunning: Bool { state == .running || state == .migrating }

    /// Boots a VM at `now`: cold memory filled from the seed (kernel and program text), the
    /// guest's tables empty, the dirty log off.
    public init(configuration: VirtualMachineConfiguration, now: NIODeadline) throws(VirtualizationError) {
        try configuration.validate()
        self.configuration = configuration
        layout = GuestLayout(configuration.workload)
        var memory = GuestMemory(pageCount: configuration.memoryPages)
        var generator = VCPUState(generator: configuration.seed, clock: now, nextRefresh: nil)
        var words = [UInt64](repeating: 0, count: GuestMemory.pageSize / 8)
        for page in layout.heapPage..<configuration.memoryPages {
            for w in words.indices { words[w] = generator.next() }
            words.withUnsafeBytes { memory.write($0, at: page << GuestMemory.pageShift) }
        }
        memory.store(GuestLayout.magic, at: GuestLayout.magicOffset)
        self.memory = memory
        vcpu = VCPUState(
            generator: generator.generator, clock: now,
            nextRefresh: configuration.workload.refreshInterval.map { now + $0 })
        state = .running
    }

    /// Rebuilds a VM from its image (at a migration's destination), running from `now`.
    public init(image: MachineImage, now: NIODeadline) throws(VirtualizationError) {
        let configuration = image.configuration
        try configuration.validate()
        guard image.memory.pageCount == configuration.memoryPages else {
            throw .badImage(
                router: configuration.router,
                reason: "\(image.memory.pageCount) pages, the configuration says \(configuration.memoryPages)")
        }
        guard image.memory.load(UInt64.self, at: GuestLayout.magicOffset) == GuestLayout.magic else {
            throw .badImage(router: configuration.router, reason: "the superblock has no guest magic")
        }
        let decoded: VCPUState
        do { decoded = try VCPUState(decoding: image.vcpu) } catch {
            throw .badImage(router: configuration.router, reason: "vCPU state of \(image.vcpu.count) bytes")
        }
        self.configuration = configuration
        layout = GuestLayout(configuration.workload)
        memory = image.memory
        memory.disableDirtyLog()
        vcpu = decoded
        vcpu.clock = now
        state = .running
        rebuildRouteIndex()
        guard routeIndex.count == routeCount else {
            throw .badImage(router: configuration.router, reason: "the route table holds a prefix twice")
        }
    }

    /// The VM serialized: configuration, pages, vCPU context.
    public func image() -> MachineImage {
        MachineImage(configuration: configuration, memory: memory, vcpu: vcpu.encoded())
    }

    // MARK: vCPU

    /// When the vCPU's next slice ends (nil while it does not run).
    public var nextDeadline: NIODeadline? { isRunning ? vcpu.clock + configuration.timeSlice : nil }

    /// Runs the guest's slices that end by `now`.
    public mutating func run(until now: NIODeadline) {
        guard isRunning else { return }
        let slice = configuration.timeSlice
        while vcpu.clock + slice <= now { runSlice(ending: vcpu.clock + slice) }
    }

    /// Stops the vCPU at `now` (after running the slices due by then).
    public mutating func pause(now: NIODeadline) {
        run(until: now)
        if isRunning { state = .paused }
    }

    /// Runs the vCPU again from `now` (time spent paused is not caught up). The dirty log, if
    /// on, stays on; a VM resumed while migrating goes back to `.migrating`.
    public mutating func resume(now: NIODeadline) {
        guard state == .paused else { return }
        state = migrationInProgress ? .migrating : .running
        vcpu.clock = now
    }

    // MARK: Hypervisor operations for migration

    /// Turns the dirty log on: the VM now runs `.migrating`.
    public mutating func beginMigration() {
        memory.enableDirtyLog()
        migrationInProgress = true
        if state == .running { state = .migrating }
    }

    public func peekDirtyLog() -> DirtyBitmap { memory.peekDirtyLog() }

    public mutating func cleanDirtyLog() -> DirtyLogSnapshot { memory.cleanDirtyLog() }

    /// The migration failed: dirty log off, running again from `now`.
    public mutating func abortMigration(now: NIODeadline) {
        memory.disableDirtyLog()
        migrationInProgress = false
        if state == .paused { vcpu.clock = now }
        if state != .migrated { state = .running }
    }

    /// The migration committed: this copy is discarded.
    public mutating func completeMigration() {
        memory.disableDirtyLog()
        migrationInProgress = false
        state = .migrated
    }

    /// Turns the dirty log on outside a migration (to measure the guest's writes).
    public mutating func enableDirtyLog() { memory.enableDirtyLog() }

    // MARK: Private

    private mutating func runSlice(ending end: NIODeadline) {
        let workload = configuration.workload
        let seconds = Double(configuration.timeSlice.nanoseconds) / 1e9
        let writes = vcpu.writeCarry + workload.dirtyRate * seconds
        let whole = Int(writes)
        vcpu.writeCarry = writes - Double(whole)
        for _ in 0..<whole {
            let r = vcpu.next()
            let page = layout.heapPage + Int(r % UInt64(layout.heapPages))
            let word = Int((r >> 32) % UInt64(GuestMemory.pageSize / 8))
            memory.store(r, at: page << GuestMemory.pageShift + word * 8)
        }
        if let interval = workload.refreshInterval, var next = vcpu.nextRefresh, next <= end {
            refreshRoutes(now: end)
            while next <= end { next = next + interval }
            vcpu.nextRefresh = next
        }
        vcpu.clock = end
        vcpu.slices += 1
    }
}
