import NIOCore
import NetworkAddresses
import Packets

/// A node's shared data plane (Xen's Domain 0 in the paper's prototype): one forwarding table
/// per virtual router, the binding table from virtual to physical interfaces, the neighbours
/// learnt, the control buffers and the tunnel endpoints.
///
/// Frames for a router are recognised by its interfaces' MACs (each VM interface has its own,
/// as on a Xen bridge); broadcast and multicast frames go to the routers with an interface
/// bound to the port they came in on.
public struct SharedDataPlane: Sendable {
    public let node: String
    public private(set) var routers: [VirtualRouterID: RouterDataPlane] = [:]
    private var macIndex: [MACAddress: VirtualInterfaceID] = [:]
    public internal(set) var tunnels: [TunnelID: TunnelEndpoint] = [:]

    public init(node: String) { self.node = node }

    // MARK: Routers

    /// Gives `router` a share of the data plane, with no routes and no bindings yet.
    public mutating func addRouter(_ router: VirtualRouterID, interfaces: [VirtualInterface], mode: ForwardingMode)
        throws(VirtualizationError)
    {
        guard routers[router] == nil else { throw .duplicateRouter(router, node: node) }
        for interface in interfaces where macIndex[interface.mac] != nil {
            throw .macInUse(interface, node: node)
        }
        routers[router] = RouterDataPlane(router: router, interfaces: interfaces, mode: mode)
        for (i, interface) in interfaces.enumerated() {
            macIndex[interface.mac] = VirtualInterfaceID(router: router, index: i)
        }
    }

    /// Removes the router's data plane: its table, bindings, neighbours and buffered packets.
    @discardableResult
    public mutating func removeRouter(_ router: VirtualRouterID) -> RouterDataPlane? {
        guard let removed = routers.removeValue(forKey: router) else { return nil }
        for interface in removed.interfaces where macIndex[interface.mac]?.router == router {
            macIndex[interface.mac] = nil
        }
        return removed
    }

    public subscript(router: VirtualRouterID) -> RouterDataPlane? { routers[router] }

    /// The router interface whose MAC is `mac`.
    public func interface(forMAC mac: MACAddress) -> VirtualInterfaceID? { macIndex[mac] }

    /// The router interfaces bound to physical interface `port`.
    public func interfaces(boundTo port: UInt32) -> [VirtualInterfaceID] {
        routers.values.flatMap { plane in
            plane.bindings.compactMap { index, binding in
                binding == .physical(port: port) ? VirtualInterfaceID(router: plane.router, index: index) : nil
            }
        }.sorted { ($0.router, $0.index) < ($1.router, $1.index) }
    }

    // MARK: Binding table

    /// Binds (or rebinds, at run time) a virtual interface.
    public mutating func bind(_ interface: VirtualInterfaceID, to binding: InterfaceBinding) throws(VirtualizationError) {
        try checkInterface(interface)
        if case .tunnel(let id) = binding, tunnels[id] == nil { throw .unknownTunnel(id, node: node) }
        routers[interface.router]!.bindings[interface.index] = binding
    }

    public mutating func unbind(_ interface: VirtualInterfaceID) throws(VirtualizationError) {
        try checkInterface(interface)
        routers[interface.router]!.bindings[interface.index] = nil
    }

    public func binding(of interface: VirtualInterfaceID) -> InterfaceBinding? {
        routers[interface.router]?.bindings[interface.index]
    }

    // MARK: Forwarding tables

    /// Replaces the router's table (Domain 0 building it from the VM's RIB).
    public mutating func installFIB(_ router: VirtualRouterID, entries: [FIBEntry]) throws(VirtualizationError) {
        guard routers[router] != nil else { throw .unknownRouter(router, node: node) }
        routers[router]!.fib = VirtualRouterFIB(entries)
    }

    public mutating func apply(_ update: RouteUpdate, to router: VirtualRouterID) throws(VirtualizationError) {
        guard routers[router] != nil else { throw .unknownRouter(router, node: node) }
        routers[router]!.fib.apply(update)
    }

    public mutating func setNeighbor(_ router: VirtualRouterID, _ address: IPv4Address, at mac: MACAddress)
        throws(VirtualizationError)
    {
        guard routers[router] != nil else { throw .unknownRouter(router, node: node) }
        routers[router]!.neighbors[address] = mac
    }

    // MARK: Control path

    public mutating func setControlPath(_ router: VirtualRouterID, _ path: RouterDataPlane.ControlPath)
        throws(VirtualizationError)
    {
        guard routers[router] != nil else { throw .unknownRouter(router, node: node) }
        if case .tunnel(let id) = path, tunnels[id] == nil { throw .unknownTunnel(id, node: node) }
        routers[router]!.controlPath = path
    }

    mutating func drainBuffer(_ router: VirtualRouterID) -> [ControlBuffer.Entry] {
        routers[router]?.buffer.drain() ?? []
    }

    mutating func buffer(_ frame: ByteBuffer, router: VirtualRouterID, interface: Int, now: NIODeadline) {
        if routers[router]!.buffer.append(frame, interface: interface, arrival: now) {
            routers[router]!.counters.controlBuffered += 1
        } else {
            routers[router]!.counters.controlLost += 1
        }
    }

    mutating func count(_ router: VirtualRouterID, _ field: WritableKeyPath<DataPlaneCounters, Int>) {
        routers[router]?.counters[keyPath: field] += 1
    }

    // MARK: Tunnels

    public mutating func addTunnel(_ configuration: TunnelEndpoint.Configuration) {
        tunnels[configuration.id] = TunnelEndpoint(configuration)
    }

    @discardableResult
    public mutating func removeTunnel(_ id: TunnelID) -> TunnelEndpoint? { tunnels.removeValue(forKey: id) }

    /// The tunnel `packet` belongs to, if any.
    func tunnel(claiming packet: IPv4Packet) -> TunnelID? {
        guard packet.protocolNumber == .udp else { return nil }
        return tunnels.first { $0.value.claims(packet) }?.key
    }

    mutating func encapsulate(_ frame: ByteBuffer, router: VirtualRouterID, interface: Int, through id: TunnelID)
        -> NodeOutput?
    {
        guard tunnels[id] != nil else { return nil }
        let outer = tunnels[id]!.encapsulate(frame, router: router, interface: interface)
        return .transmit(outer, port: tunnels[id]!.configuration.port)
    }

    mutating func decapsulate(_ packet: IPv4Packet, tunnel id: TunnelID) -> [TunnelEndpoint.Inner] {
        (try? tunnels[id]?.decapsulate(packet)) ?? []
    }

    // MARK: Sending and forwarding

    /// Sends `frame` out of where the router's interface is bound here (nil when unbound).
    mutating func emit(_ frame: ByteBuffer, from interface: VirtualInterfaceID) -> NodeOutput? {
        switch binding(of: interface) {
        case .physical(let port): .transmit(frame, port: port)
        case .tunnel(let id): encapsulate(frame, router: interface.router, interface: interface.index, through: id)
        case nil: nil
        }
    }

    /// Learns the sender of an ARP packet the router received on `interface`, as Domain 0
    /// snoops the VM's ARP to resolve next hops.
    mutating func snoop(_ arp: ARPPacket, router: VirtualRouterID, interface: Int) {
        guard let plane = routers[router], interface < plane.interfaces.count,
            arp.senderProtocolAddress != .any, plane.interfaces[interface].onSubnet(arp.senderProtocolAddress)
        else { return }
        routers[router]!.neighbors[arp.senderProtocolAddress] = arp.senderHardwareAddress
    }

    /// Forwards a data packet with the router's table: TTL, longest-prefix match, next hop's MAC,
    /// out of the bound interface. An unknown next hop gets an ARP request and the packet is dropped.
    mutating func forward(_ packet: IPv4Packet, router: VirtualRouterID) -> NodeOutput? {
        guard let plane = routers[router] else { return nil }
        guard packet.timeToLive > 1 else {
            count(router, \.droppedTTL)
            return nil
        }
        guard let route = plane.fib.lookup(packet.destination), route.interface < plane.interfaces.count else {
            count(router, \.droppedNoRoute)
            return nil
        }
        let out = VirtualInterfaceID(router: router, index: route.interface)
        let interface = plane.interfaces[route.interface]
        let nextHop = route.nextHop ?? packet.destination
        guard let mac = plane.neighbors[nextHop] else {
            count(router, \.droppedUnresolved)
            return emit(ARPRequest.frame(asking: nextHop, from: interface), from: out)
        }
        var forwarded = packet
        forwarded.timeToLive -= 1
        let frame = EthernetFrame(destination: mac, source: interface.mac, etherType: .ipv4, payload: forwarded.encoded())
            .encoded()
        guard let output = emit(frame, from: out) else {
            count(router, \.droppedUnbound)
            return nil
        }
        count(router, \.forwarded)
        return output
    }

    private func checkInterface(_ interface: VirtualInterfaceID) throws(VirtualizationError) {
        guard let plane = routers[interface.router] else { throw .unknownRouter(interface.router, node: node) }
        guard interface.index >= 0, interface.index < plane.interfaces.count else {
            throw .unknownInterface(interface, node: node)
        }
    }
}
