/// Where the guest keeps its state in its memory. Regions are page-aligned, in this order:
///
/// | pages | region |
/// |---|---|
/// | 1 | superblock: magic, route count, ring heads, table generation |
/// | 1 | counters: totals, then per interface rx/tx packets and bytes |
/// | routeCapacity × 32 B | route table (the RIB copy the data plane syncs from) |
/// | arpCapacity × 16 B | ARP table (open addressing, linear probing) |
/// | controlRingSlots × 2 KiB | control packets received and sent |
/// | packetRingSlots × 4 KiB | packets forwarded (standard mode), one page per buffer as in Xen's netfront |
/// | workingSetPages | the daemon's heap, written in the background |
/// | the rest | cold memory: kernel and program text, written once at boot |
public struct GuestLayout: Hashable, Sendable {
    public static let magic: UInt64 = 0x564E_4D47_5545_5354  // "VNMGUEST"
    public static let maximumInterfaces = 64
    public static let routeEntrySize = 32
    public static let arpEntrySize = 16
    /// A control-ring slot.
    public static let slotSize = 2048
    /// A packet buffer: one page, as Xen's netfront grants one page per receive buffer.
    public static let packetSlotSize = 4096
    /// Bytes of a slot before the frame: length, interface, direction, time.
    public static let slotHeader = 16

    // Superblock fields.
    static let magicOffset = 0
    static let routeCountOffset = 8
    static let arpCountOffset = 12
    static let packetRingHeadOffset = 16
    static let controlRingHeadOffset = 20
    static let generationOffset = 24
    static let refreshCountOffset = 32

    // Counters (offsets within the counters page).
    public enum Counter: Int, CaseIterable, Sendable {
        case forwarded = 0, droppedNoRoute, droppedTTL, droppedUnresolved, controlReceived, controlSent
        case arpRepliesSent, arpRequestsSent, dataRefused
    }
    static let interfaceCountersOffset = 128
    static let interfaceCountersSize = 32

    public let superblockPage = 0
    public let countersPage = 1
    public let routeTablePage: Int
    public let routeTablePages: Int
    public let arpTablePage: Int
    public let arpTablePages: Int
    public let controlRingPage: Int
    public let controlRingPages: Int
    public let packetRingPage: Int
    public let packetRingPages: Int
    public let heapPage: Int
    public let heapPages: Int
    /// Pages the guest needs; the memory may be larger (cold pages).
    public let minimumPages: Int

    public init(_ workload: GuestWorkload) {
        func pages(_ bytes: Int) -> Int { (bytes + GuestMemory.pageSize - 1) / GuestMemory.pageSize }
        routeTablePage = 2
        routeTablePages = pages(workload.routeCapacity * Self.routeEntrySize)
        arpTablePage = routeTablePage + routeTablePages
        arpTablePages = pages(workload.arpCapacity * Self.arpEntrySize)
        controlRingPage = arpTablePage + arpTablePages
        controlRingPages = pages(workload.controlRingSlots * Self.slotSize)
        packetRingPage = controlRingPage + controlRingPages
        packetRingPages = pages(workload.packetRingSlots * Self.packetSlotSize)
        heapPage = packetRingPage + packetRingPages
        heapPages = workload.workingSetPages
        minimumPages = heapPage + heapPages
    }

    func offset(page: Int) -> Int { page << GuestMemory.pageShift }
    func counterOffset(_ counter: Counter) -> Int { offset(page: countersPage) + counter.rawValue * 8 }
    func interfaceCounterOffset(_ interface: Int, _ field: Int) -> Int {
        offset(page: countersPage) + Self.interfaceCountersOffset + interface * Self.interfaceCountersSize + field * 8
    }
    func routeOffset(_ slot: Int) -> Int { offset(page: routeTablePage) + slot * Self.routeEntrySize }
    func arpOffset(_ slot: Int) -> Int { offset(page: arpTablePage) + slot * Self.arpEntrySize }
    func controlSlotOffset(_ slot: Int) -> Int { offset(page: controlRingPage) + slot * Self.slotSize }
    func packetSlotOffset(_ slot: Int) -> Int { offset(page: packetRingPage) + slot * Self.packetSlotSize }
}
