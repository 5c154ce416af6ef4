import NIOCore
import NetworkAddresses
import Packets

/// A physical node: a hypervisor hosting VMs, each running one virtual router's control plane
/// (or, in standard mode, both planes), and one shared data plane (Domain 0) that holds each
/// router's forwarding table and connects the routers to the node's physical interfaces.
///
/// Sans-I/O: the substrate hands it frames that came in on a physical interface at `now`
/// (``receive(_:on:now:)``), calls ``advance(to:)`` by ``nextDeadline`` so the VMs' vCPUs run,
/// and carries out the ``NodeOutput``s: frames out of physical interfaces, and control packets
/// for the routing daemons inside the VMs. The daemons answer through ``sendControl(_:router:interface:now:)``
/// and ``applyRouteUpdate(_:router:now:)``.
public struct PhysicalNode: Sendable {
    /// What the node saw that belonged to no router.
    public struct Counters: Hashable, Sendable {
        public var malformed = 0
        public var unclaimed = 0
        public var tunnelFrames = 0
        public init() {}
    }

    public let name: String
    public internal(set) var machines: [VirtualRouterID: VirtualMachine] = [:]
    public var dataPlane: SharedDataPlane
    public internal(set) var counters = Counters()

    public init(name: String) {
        self.name = name
        dataPlane = SharedDataPlane(node: name)
    }

    // MARK: Hypervisor

    /// Boots a VM for a virtual router at `now`, gives the router a share of the data plane and
    /// binds its interfaces (index → binding).
    public mutating func boot(
        _ configuration: VirtualMachineConfiguration, bindings: [Int: InterfaceBinding] = [:], now: NIODeadline
    ) throws(VirtualizationError) {
        guard machines[configuration.router] == nil else { throw .duplicateRouter(configuration.router, node: name) }
        let vm = try VirtualMachine(configuration: configuration, now: now)
        try admit(vm, bindings: bindings)
    }

    /// Takes in a VM (a migrated one, resumed here): the router gets a share of the data plane if
    /// it has none, its interfaces are bound, and its control packets go to the VM.
    public mutating func admit(_ vm: VirtualMachine, bindings: [Int: InterfaceBinding] = [:])
        throws(VirtualizationError)
    {
        let router = vm.id
        guard machines[router] == nil else { throw .duplicateRouter(router, node: name) }
        if dataPlane[router] == nil {
            try dataPlane.addRouter(router, interfaces: vm.interfaces, mode: vm.configuration.forwarding)
        }
        for (index, binding) in bindings.sorted(by: { $0.key < $1.key }) {
            try dataPlane.bind(VirtualInterfaceID(router: router, index: index), to: binding)
        }
        try dataPlane.setControlPath(router, .vm)
        machines[router] = vm
    }

    /// Removes a VM from the hypervisor (after it migrated away); its data plane stays.
    @discardableResult
    public mutating func evict(_ router: VirtualRouterID) -> VirtualMachine? { machines.removeValue(forKey: router) }

    public func machine(_ router: VirtualRouterID) -> VirtualMachine? { machines[router] }

    /// Runs `body` on the VM in place (no copy of its memory).
    public mutating func withMachine<R>(_ router: VirtualRouterID, _ body: (inout VirtualMachine) throws -> R) rethrows
        -> R?
    {
        guard machines[router] != nil else { return nil }
        return try body(&machines[router]!)
    }

    public mutating func pause(_ router: VirtualRouterID, now: NIODeadline) throws(VirtualizationError) {
        guard machines[router] != nil else { throw .unknownRouter(router, node: name) }
        machines[router]!.pause(now: now)
    }

    public mutating func resume(_ router: VirtualRouterID, now: NIODeadline) throws(VirtualizationError) {
        guard machines[router] != nil else { throw .unknownRouter(router, node: name) }
        machines[router]!.resume(now: now)
    }

    // MARK: Time

    /// When ``advance(to:)`` must next be called: the end of the earliest vCPU slice.
    public var nextDeadline: NIODeadline? { machines.values.compactMap(\.nextDeadline).min() }

    /// Runs every VM's vCPU up to `now`.
    public mutating func advance(to now: NIODeadline) -> [NodeOutput] {
        for router in machines.keys.sorted() { machines[router]!.run(until: now) }
        return []
    }

    // MARK: The routing daemons' side

    /// The routing daemon in `router`'s VM sends `frame` on its interface `interface`.
    /// Nothing is sent while the VM does not run here.
    public mutating func sendControl(_ frame: ByteBuffer, router: VirtualRouterID, interface: Int, now: NIODeadline)
        -> [NodeOutput]
    {
        guard machines[router] != nil else { return [] }
        let outputs = machines[router]!.sendControl(frame, on: interface, now: now)
        return carryOut(outputs, router: router)
    }

    /// The routing daemon changed a route: the VM writes it into its table, and in
    /// plane-separated mode Domain 0's copy follows (the RIB→FIB synchronisation).
    /// Returns false when the VM is not running here (nothing changed).
    @discardableResult
    public mutating func applyRouteUpdate(_ update: RouteUpdate, router: VirtualRouterID, now: NIODeadline) -> Bool {
        guard machines[router] != nil, machines[router]!.apply(update, now: now) else { return false }
        if dataPlane[router]?.mode == .planeSeparated {
            try? dataPlane.installFIB(router, entries: machines[router]!.routes)
        }
        return true
    }

    /// Domain 0 builds the router's forwarding table from the RIB in its VM's memory, and its
    /// neighbour table from the VM's ARP table (after a migration, on the new node).
    public mutating func syncForwardingTable(_ router: VirtualRouterID) throws(VirtualizationError) {
        guard let vm = machines[router] else { throw .unknownRouter(router, node: name) }
        try dataPlane.installFIB(router, entries: vm.routes)
        for (address, mac) in vm.neighbors.sorted(by: { $0.key < $1.key }) {
            try dataPlane.setNeighbor(router, address, at: mac)
        }
    }

    // MARK: Migration support (plane separation, paper §2.2)

    /// Control packets for `router` are held in the control buffer from now on (its VM is paused).
    public mutating func startBufferingControl(_ router: VirtualRouterID) throws(VirtualizationError) {
        try dataPlane.setControlPath(router, .buffer)
    }

    /// Sends the buffered control packets through `tunnel`, in order, and every later one too.
    public mutating func redirectControl(_ router: VirtualRouterID, to tunnel: TunnelID, now: NIODeadline)
        throws(VirtualizationError) -> [NodeOutput]
    {
        try dataPlane.setControlPath(router, .tunnel(tunnel))
        var outputs: [NodeOutput] = []
        for entry in dataPlane.drainBuffer(router) {
            if let output = dataPlane.encapsulate(entry.frame, router: router, interface: entry.interface, through: tunnel) {
                outputs.append(output)
                dataPlane.count(router, \.controlTunneled)
            }
        }
        return outputs
    }

    /// The VM runs here again (a migration rolled back): the buffered control packets go to it in
    /// order, and later ones too.
    public mutating func deliverBufferedControl(_ router: VirtualRouterID, now: NIODeadline)
        throws(VirtualizationError) -> [NodeOutput]
    {
        try dataPlane.setControlPath(router, .vm)
        var outputs: [NodeOutput] = []
        for entry in dataPlane.drainBuffer(router) {
            outputs += control(entry.frame, to: VirtualInterfaceID(router: router, index: entry.interface), now: now)
        }
        return outputs
    }

    /// Gratuitous ARP replies from every router interface bound to a physical interface here,
    /// so that switches and neighbours move the links to this node.
    public func announce(_ router: VirtualRouterID) throws(VirtualizationError) -> [NodeOutput] {
        guard let plane = dataPlane[router] else { throw .unknownRouter(router, node: name) }
        return plane.interfaces.indices.compactMap { index -> NodeOutput? in
            guard case .physical(let port) = plane.bindings[index] else { return nil }
            return .transmit(ARPRequest.gratuitousReply(for: plane.interfaces[index]), port: port)
        }
    }

    /// Removes the router's share of the data plane (on the old node, once traffic has moved).
    @discardableResult
    public mutating func removeDataPlane(_ router: VirtualRouterID) -> RouterDataPlane? {
        dataPlane.removeRouter(router)
    }

    // MARK: VM outputs

    mutating func carryOut(_ outputs: [VMOutput], router: VirtualRouterID) -> [NodeOutput] {
        var result: [NodeOutput] = []
        for output in outputs {
            switch output {
            case .transmit(let frame, let interface):
                if let sent = dataPlane.emit(frame, from: VirtualInterfaceID(router: router, index: interface)) {
                    result.append(sent)
                } else {
                    dataPlane.count(router, \.droppedUnbound)
                }
            case .toDaemon(let frame, let interface):
                result.append(.deliver(frame, router: router, interface: interface))
            }
        }
        return result
    }
}
