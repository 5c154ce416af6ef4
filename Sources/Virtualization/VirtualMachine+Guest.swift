import NIOCore
import NetworkAddresses
import Packets

/// The guest program: what the routing daemon and, in standard mode, the guest's forwarding do
/// with guest memory.
extension VirtualMachine {
    // MARK: Routes (the RIB copy in guest memory)

    /// Routes in the guest's table.
    public var routeCount: Int { Int(memory.load(UInt32.self, at: GuestLayout.routeCountOffset)) }

    /// The guest's routes, read from its pages: what the data plane builds its table from.
    public var routes: [FIBEntry] {
        (0..<routeCount).map { readRoute(slot: $0) }
    }

    /// The guest's own lookup (standard mode forwards with it).
    public func lookup(_ destination: IPv4Address) -> FIBEntry? { routeIndex.lookup(destination) }

    /// The routing daemon applies a route change to its table in guest memory at `now`.
    /// Returns false, changing nothing, when the VM is not running (a paused daemon decides
    /// nothing) or when the table is full.
    @discardableResult
    public mutating func apply(_ update: RouteUpdate, now: NIODeadline) -> Bool {
        guard isRunning else { return false }
        run(until: now)
        switch update {
        case .add(let entry):
            guard entry.interface >= 0, entry.interface < interfaces.count else { return false }
            let key = Self.routeKey(entry.prefix, entry.prefixLength)
            if let slot = routeSlots[key] {
                writeRoute(entry, slot: slot, now: now)
            } else {
                let slot = routeCount
                guard slot < configuration.workload.routeCapacity else { return false }
                writeRoute(entry, slot: slot, now: now)
                routeSlots[key] = slot
                memory.store(UInt32(slot + 1), at: GuestLayout.routeCountOffset)
            }
            routeIndex.insert(entry)
        case .withdraw(let prefix, let length):
            let masked = IPv4Address(rawValue: prefix.rawValue & IPv4Address.mask(prefixLength: length).rawValue)
            let key = Self.routeKey(masked, length)
            guard let slot = routeSlots.removeValue(forKey: key) else { return true }
            let last = routeCount - 1
            if slot != last {
                let moved = memory.read(at: layout.routeOffset(last), count: GuestLayout.routeEntrySize)
                memory.write(moved, at: layout.routeOffset(slot))
                let entry = readRoute(slot: slot)
                routeSlots[Self.routeKey(entry.prefix, entry.prefixLength)] = slot
            }
            memory.write([UInt8](repeating: 0, count: GuestLayout.routeEntrySize), at: layout.routeOffset(last))
            memory.store(UInt32(last), at: GuestLayout.routeCountOffset)
            routeIndex.remove(prefix: masked, prefixLength: length)
        case .replaceAll(let entries):
            var unique = VirtualRouterFIB()
            for entry in entries where entry.interface >= 0 && entry.interface < interfaces.count {
                unique.insert(entry)
            }
            let kept = Array(unique.entries.prefix(configuration.workload.routeCapacity))
            let old = routeCount
            for (slot, entry) in kept.enumerated() { writeRoute(entry, slot: slot, now: now) }
            if old > kept.count {
                memory.write(
                    [UInt8](repeating: 0, count: (old - kept.count) * GuestLayout.routeEntrySize),
                    at: layout.routeOffset(kept.count))
            }
            memory.store(UInt32(kept.count), at: GuestLayout.routeCountOffset)
            rebuildRouteIndex()
        }
        let generation = memory.load(UInt64.self, at: GuestLayout.generationOffset)
        memory.store(generation &+ 1, at: GuestLayout.generationOffset)
        return true
    }

    /// How many times the route table changed.
    public var tableGeneration: UInt64 { memory.load(UInt64.self, at: GuestLayout.generationOffset) }

    /// How many times the daemon refreshed its whole table.
    public var refreshCount: UInt64 { memory.load(UInt64.self, at: GuestLayout.refreshCountOffset) }

    /// The daemon rewrites every route's age field (LSA aging, table refresh).
    mutating func refreshRoutes(now: NIODeadline) {
        let stamp = Int64(now.uptimeNanoseconds)
        for slot in 0..<routeCount { memory.store(stamp, at: layout.routeOffset(slot) + 24) }
        memory.store(refreshCount &+ 1, at: GuestLayout.refreshCountOffset)
    }

    mutating func rebuildRouteIndex() {
        routeIndex = VirtualRouterFIB()
        routeSlots = [:]
        for slot in 0..<routeCount {
            let entry = readRoute(slot: slot)
            routeIndex.insert(entry)
            routeSlots[Self.routeKey(entry.prefix, entry.prefixLength)] = slot
        }
    }

    private static func routeKey(_ prefix: IPv4Address, _ length: Int) -> UInt64 {
        UInt64(prefix.rawValue) << 8 | UInt64(length)
    }

    private func readRoute(slot: Int) -> FIBEntry {
        let base = layout.routeOffset(slot)
        let flags = memory.load(UInt8.self, at: base + 5)
        return FIBEntry(
            prefix: IPv4Address(rawValue: memory.load(UInt32.self, at: base)),
            prefixLength: Int(memory.load(UInt8.self, at: base + 4)),
            nextHop: flags & 1 != 0 ? IPv4Address(rawValue: memory.load(UInt32.self, at: base + 8)) : nil,
            interface: Int(memory.load(UInt16.self, at: base + 6)))
    }

    private mutating func writeRoute(_ entry: FIBEntry, slot: Int, now: NIODeadline) {
        let base = layout.routeOffset(slot)
        let stamp = Int64(now.uptimeNanoseconds)
        memory.store(entry.prefix.rawValue, at: base)
        memory.store(UInt8(entry.prefixLength), at: base + 4)
        memory.store(UInt8(entry.nextHop == nil ? 0 : 1), at: base + 5)
        memory.store(UInt16(entry.interface), at: base + 6)
        memory.store(entry.nextHop?.rawValue ?? 0, at: base + 8)
        memory.store(UInt32(0), at: base + 12)
        memory.store(stamp, at: base + 16)
        memory.store(stamp, at: base + 24)
    }

    // MARK: ARP table

    /// The MAC the guest has learnt for `address`.
    public func neighbor(_ address: IPv4Address) -> MACAddress? {
        guard let slot = arpSlot(address), memory.load(UInt32.self, at: layout.arpOffset(slot) + 4) != 0 else {
            return nil
        }
        return MACAddress(rawValue: memory.load(UInt64.self, at: layout.arpOffset(slot) + 8))
    }

    /// Every entry of the guest's ARP table.
    public var neighbors: [IPv4Address: MACAddress] {
        var result: [IPv4Address: MACAddress] = [:]
        for slot in 0..<configuration.workload.arpCapacity {
            let base = layout.arpOffset(slot)
            guard memory.load(UInt32.self, at: base + 4) != 0 else { continue }
            result[IPv4Address(rawValue: memory.load(UInt32.self, at: base))] =
                MACAddress(rawValue: memory.load(UInt64.self, at: base + 8))
        }
        return result
    }

    /// Records `address` at `mac` in the guest's ARP table.
    mutating func learn(_ address: IPv4Address, at mac: MACAddress) {
        let capacity = configuration.workload.arpCapacity
        let slot = arpSlot(address) ?? Self.arpHome(address, capacity)
        let base = layout.arpOffset(slot)
        if memory.load(UInt32.self, at: base + 4) != 0, memory.load(UInt32.self, at: base) == address.rawValue,
            memory.load(UInt64.self, at: base + 8) == mac.rawValue
        {
            return  // already known: a real ARP cache does not rewrite an unchanged entry
        }
        if memory.load(UInt32.self, at: base + 4) == 0 {
            let count = memory.load(UInt32.self, at: GuestLayout.arpCountOffset)
            memory.store(count &+ 1, at: GuestLayout.arpCountOffset)
        }
        memory.store(address.rawValue, at: base)
        memory.store(UInt32(1), at: base + 4)
        memory.store(mac.rawValue, at: base + 8)
    }

    /// The slot holding `address`, or the empty slot where it would go (nil: table full).
    private func arpSlot(_ address: IPv4Address) -> Int? {
        let capacity = configuration.workload.arpCapacity
        var slot = Self.arpHome(address, capacity)
        for _ in 0..<capacity {
            let base = layout.arpOffset(slot)
            if memory.load(UInt32.self, at: base + 4) == 0 || memory.load(UInt32.self, at: base) == address.rawValue {
                return slot
            }
            slot = (slot + 1) % capacity
        }
        return nil
    }

    private static func arpHome(_ address: IPv4Address, _ capacity: Int) -> Int {
        Int((UInt64(address.rawValue) &* 2_654_435_761) % UInt64(capacity))
    }

    // MARK: Counters

    public func counter(_ counter: GuestLayout.Counter) -> UInt64 { memory.load(UInt64.self, at: layout.counterOffset(counter)) }

    /// Packets and bytes received and sent on virtual interface `interface`.
    public func interfaceCounters(_ interface: Int) -> (rxPackets: UInt64, rxBytes: UInt64, txPackets: UInt64, txBytes: UInt64) {
        (
            memory.load(UInt64.self, at: layout.interfaceCounterOffset(interface, 0)),
            memory.load(UInt64.self, at: layout.interfaceCounterOffset(interface, 1)),
            memory.load(UInt64.self, at: layout.interfaceCounterOffset(interface, 2)),
            memory.load(UInt64.self, at: layout.interfaceCounterOffset(interface, 3))
        )
    }

    mutating func count(_ counter: GuestLayout.Counter) {
        let offset = layout.counterOffset(counter)
        memory.store(memory.load(UInt64.self, at: offset) &+ 1, at: offset)
    }

    private mutating func countInterface(_ interface: Int, sent: Bool, bytes: Int) {
        let packets = layout.interfaceCounterOffset(interface, sent ? 2 : 0)
        let octets = layout.interfaceCounterOffset(interface, sent ? 3 : 1)
        memory.store(memory.load(UInt64.self, at: packets) &+ 1, at: packets)
        memory.store(memory.load(UInt64.self, at: octets) &+ UInt64(bytes), at: octets)
    }

    // MARK: Packets

    /// A frame the node delivers to the VM on virtual interface `interface` at `now`. ARP is
    /// answered and learnt by the guest; OSPF, multicast and packets addressed to the router go
    /// to the routing daemon; other IPv4 packets are forwarded in standard mode and refused in
    /// plane-separated mode (the data plane forwards them). Returns nothing when not running.
    public mutating func receive(_ frame: ByteBuffer, on interface: Int, now: NIODeadline) -> [VMOutput] {
        guard isRunning, interface >= 0, interface < interfaces.count else { return [] }
        run(until: now)
        guard let ethernet = try? EthernetFrame(parsing: frame) else { return [] }
        if ethernet.etherType == .arp {
            return receiveARP(ethernet, on: interface, frame: frame, now: now)
        }
        guard ethernet.etherType == .ipv4, let packet = try? IPv4Packet(parsing: ethernet.payload) else { return [] }
        if Self.isControl(packet, for: interfaces) {
            copy(frame, toControlRing: interface, sent: false, now: now)
            count(.controlReceived)
            countInterface(interface, sent: false, bytes: frame.readableBytes)
            return [.toDaemon(frame, interface: interface)]
        }
        guard configuration.forwarding == .standard else {
            count(.dataRefused)
            return []
        }
        return forward(ethernet, packet, frame: frame, on: interface, now: now)
    }

    /// The routing daemon sends `frame` on `interface` at `now` (the guest copies it to its
    /// control ring and counts it). Returns nothing when not running.
    public mutating func sendControl(_ frame: ByteBuffer, on interface: Int, now: NIODeadline) -> [VMOutput] {
        guard isRunning, interface >= 0, interface < interfaces.count else { return [] }
        run(until: now)
        copy(frame, toControlRing: interface, sent: true, now: now)
        count(.controlSent)
        countInterface(interface, sent: true, bytes: frame.readableBytes)
        return [.transmit(frame, interface: interface)]
    }

    /// Whether a router with `interfaces` treats `packet` as control: OSPF, link-local
    /// multicast, or addressed to one of its addresses.
    public static func isControl(_ packet: IPv4Packet, for interfaces: [VirtualInterface]) -> Bool {
        if packet.protocolNumber == .ospf { return true }
        if packet.destination.rawValue >> 8 == 0xE000_00 { return true }  // 224.0.0.0/24
        return interfaces.contains { $0.address == packet.destination }
    }

    private mutating func receiveARP(_ ethernet: EthernetFrame, on interface: Int, frame: ByteBuffer, now: NIODeadline)
        -> [VMOutput]
    {
        guard let arp = try? ARPPacket(parsing: ethernet.payload) else { return [] }
        countInterface(interface, sent: false, bytes: frame.readableBytes)
        let own = interfaces[interface]
        if arp.senderProtocolAddress != .any, own.onSubnet(arp.senderProtocolAddress) {
            learn(arp.senderProtocolAddress, at: arp.senderHardwareAddress)
        }
        guard arp.operation == .request, arp.targetProtocolAddress == own.address else { return [] }
        let reply = ARPPacket(
            operation: .reply, senderHardwareAddress: own.mac, senderProtocolAddress: own.address,
            targetHardwareAddress: arp.senderHardwareAddress, targetProtocolAddress: arp.senderProtocolAddress)
        let out = EthernetFrame(
            destination: arp.senderHardwareAddress, source: own.mac, etherType: .arp, payload: reply.encoded()
        ).encoded()
        count(.arpRepliesSent)
        countInterface(interface, sent: true, bytes: out.readableBytes)
        return [.transmit(out, interface: interface)]
    }

    /// Standard mode: the guest forwards a data packet itself, copying it into its packet ring.
    private mutating func forward(
        _ ethernet: EthernetFrame, _ packet: IPv4Packet, frame: ByteBuffer, on interface: Int, now: NIODeadline
    ) -> [VMOutput] {
        let head = Int(memory.load(UInt32.self, at: GuestLayout.packetRingHeadOffset))
        copy(frame, to: layout.packetSlotOffset(head), size: GuestLayout.packetSlotSize, interface: interface, sent: false, now: now)
        memory.store(UInt32((head + 1) % configuration.workload.packetRingSlots), at: GuestLayout.packetRingHeadOffset)
        countInterface(interface, sent: false, bytes: frame.readableBytes)
        guard packet.timeToLive > 1 else {
            count(.droppedTTL)
            return []
        }
        guard let route = routeIndex.lookup(packet.destination) else {
            count(.droppedNoRoute)
            return []
        }
        let nextHop = route.nextHop ?? packet.destination
        let out = interfaces[route.interface]
        guard let mac = neighbor(nextHop) else {
            count(.droppedUnresolved)
            count(.arpRequestsSent)
            let request = ARPRequest.frame(asking: nextHop, from: out)
            countInterface(route.interface, sent: true, bytes: request.readableBytes)
            return [.transmit(request, interface: route.interface)]
        }
        var forwarded = packet
        forwarded.timeToLive -= 1
        let outFrame = EthernetFrame(destination: mac, source: out.mac, etherType: .ipv4, payload: forwarded.encoded())
            .encoded()
        count(.forwarded)
        countInterface(route.interface, sent: true, bytes: outFrame.readableBytes)
        return [.transmit(outFrame, interface: route.interface)]
    }

    private mutating func copy(_ frame: ByteBuffer, toControlRing interface: Int, sent: Bool, now: NIODeadline) {
        let head = Int(memory.load(UInt32.self, at: GuestLayout.controlRingHeadOffset))
        copy(frame, to: layout.controlSlotOffset(head), size: GuestLayout.slotSize, interface: interface, sent: sent, now: now)
        memory.store(UInt32((head + 1) % configuration.workload.controlRingSlots), at: GuestLayout.controlRingHeadOffset)
    }

    /// A ring slot: length, interface, direction, time, then the frame (cut to the slot).
    private mutating func copy(
        _ frame: ByteBuffer, to base: Int, size: Int, interface: Int, sent: Bool, now: NIODeadline
    ) {
        let length = min(frame.readableBytes, size - GuestLayout.slotHeader)
        memory.store(UInt16(length), at: base)
        memory.store(UInt16(interface), at: base + 2)
        memory.store(UInt32(sent ? 1 : 0), at: base + 4)
        memory.store(Int64(now.uptimeNanoseconds), at: base + 8)
        if let bytes = frame.getSlice(at: frame.readerIndex, length: length) {
            memory.write(bytes, at: base + GuestLayout.slotHeader)
        }
    }
}
