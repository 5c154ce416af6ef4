import NIOCore
import NetworkAddresses
import Packets
import Routing
import Virtualization

/// A physical node of the paper's Xen testbed on the embedded substrate: a ``PhysicalNode``
/// (hypervisor, VMs, shared data plane) whose physical interfaces are ports plugged into
/// ``EmbeddedLink``s, and whose VMs run a real routing daemon, an ``OSPFRouter``.
///
/// The routing daemon is part of its VM: it runs only while the VM runs on this node (its
/// timers wait while the VM is paused), it sends through the VM (so a paused VM sends nothing),
/// and it receives the control packets the data plane delivers to the VM. Its RIB changes go
/// into the VM's route table in guest memory and, for a plane-separated router, into the
/// node's data plane (``PhysicalNode/applyRouteUpdate(_:router:now:)``). When the VM migrates
/// the daemon's state goes with it (``releaseDaemon(_:)``, ``adoptDaemon(_:_:)``).
///
/// Every OSPF packet a daemon sends carries a per-router IPv4 identification number, so that an
/// observer (``onControlSent``, ``onControlDelivered``) can match each packet sent with its
/// delivery and measure control-plane loss and delay across a migration.
public final class EmbeddedPhysicalNode: EmbeddedNode {
    public struct Counters: Hashable, Sendable {
        /// Frames for a port with no link.
        public var unpluggedDrops: UInt64 = 0
        /// Control packets delivered to a daemon that could not parse them.
        public var malformedControl: UInt64 = 0
        public init() {}
    }

    public let name: String
    public let clock: any SubstrateClock
    /// The hypervisor and its shared data plane.
    public var node: PhysicalNode
    public private(set) var counters = Counters()
    private var ports: [UInt32: (link: EmbeddedLink, side: EmbeddedLink.Side)] = [:]
    private var daemons: [VirtualRouterID: OSPFRouter] = [:]
    /// Connected prefixes per router: installed at boot, never replaced by OSPF routes.
    private var connected: [VirtualRouterID: Set<OSPFPrefix>] = [:]
    private var identification: [VirtualRouterID: UInt16] = [:]
    private var wakeup: (event: ScheduledEvent, at: NIODeadline)?
    /// When each router first forwarded a data packet on this node.
    public private(set) var firstDataForwarded: [VirtualRouterID: NIODeadline] = [:]
    /// Routers watched for their first forwarded packet, with what they had forwarded before.
    private var watched: [VirtualRouterID: Int] = [:]

    /// A router's daemon sent an OSPF packet (it left the VM) at the given time.
    public var onControlSent: ((VirtualRouterID, IPv4Packet, NIODeadline) -> Void)?
    /// An OSPF packet reached a router's daemon at the given time.
    public var onControlDelivered: ((VirtualRouterID, IPv4Packet, NIODeadline) -> Void)?
    /// Everything a daemon outputs (neighbour state changes, route changes, sends), as it happens.
    public var onDaemonOutput: ((VirtualRouterID, OSPFOutput, NIODeadline) -> Void)?

    public init(name: String, clock: any SubstrateClock) {
        self.name = name
        self.clock = clock
        node = PhysicalNode(name: name)
    }

    // MARK: Routers

    /// Boots a VM for a router whose control plane is `ospf` (interface names as in the VM's
    /// interfaces), installs its connected routes and starts OSPF, now or `ospfStartDelay` later
    /// (routers that do not start in step do not send their hellos in step).
    public func boot(
        _ configuration: VirtualMachineConfiguration, ospf: OSPFConfiguration, bindings: [Int: InterfaceBinding],
        ospfStartDelay: TimeAmount = .zero
    ) throws {
        let now = clock.now
        let names = Set(configuration.interfaces.map(\.name))
        for interface in ospf.interfaces where !names.contains(interface.name) {
            throw VirtualizationError.invalidConfiguration(
                router: configuration.router, field: "ospf.interfaces",
                reason: "'\(interface.name)' is not one of the VM's interfaces \(configuration.interfaces.map(\.name))")
        }
        try node.boot(configuration, bindings: bindings, now: now)
        var prefixes: Set<OSPFPrefix> = []
        for (index, interface) in configuration.interfaces.enumerated() {
            let prefix = OSPFPrefix(interface.address, length: interface.prefixLength)
            prefixes.insert(prefix)
            node.applyRouteUpdate(
                .add(FIBEntry(prefix: prefix.address, prefixLength: prefix.length, nextHop: nil, interface: index)),
                router: configuration.router, now: now)
        }
        connected[configuration.router] = prefixes
        let router = configuration.router
        guard ospfStartDelay > .zero else {
            startDaemon(router, ospf)
            return
        }
        clock.schedule(after: ospfStartDelay) { [weak self] in self?.startDaemon(router, ospf) }
    }

    private func startDaemon(_ router: VirtualRouterID, _ ospf: OSPFConfiguration) {
        let now = clock.now
        _ = node.advance(to: now)
        var daemon = OSPFRouter(configuration: ospf, now: now)
        let outputs = daemon.start(now: now)
        daemons[router] = daemon
        carryOut(outputs, router: router)
        reschedule()
    }

    /// The router's routing daemon, as it is now (nil if it does not live here).
    public func daemon(_ router: VirtualRouterID) -> OSPFRouter? { daemons[router] }

    /// Takes the daemon's state away with its VM (the VM has left this node).
    public func releaseDaemon(_ router: VirtualRouterID) -> (daemon: OSPFRouter, connected: Set<OSPFPrefix>)? {
        guard let daemon = daemons.removeValue(forKey: router) else { return nil }
        let prefixes = connected.removeValue(forKey: router) ?? []
        reschedule()
        return (daemon, prefixes)
    }

    /// The daemon's state arrived with its VM (now running here): its timers run here from now.
    public func adoptDaemon(_ router: VirtualRouterID, _ moved: (daemon: OSPFRouter, connected: Set<OSPFPrefix>)) {
        daemons[router] = moved.daemon
        connected[router] = moved.connected
        runDaemons()
    }

    /// Records when `router` next forwards a data packet on this node (``firstDataForwarded``):
    /// a VM's counters travel with it, so only packets forwarded from now on count.
    public func watchFirstForward(_ router: VirtualRouterID) {
        guard firstDataForwarded[router] == nil else { return }
        watched[router] = dataForwarded(router)
    }

    /// Data packets `router` has forwarded on this node: by the data plane (plane-separated)
    /// or by its VM (standard).
    public func dataForwarded(_ router: VirtualRouterID) -> Int {
        switch node.dataPlane[router]?.mode {
        case .planeSeparated: node.dataPlane[router]?.counters.forwarded ?? 0
        case .standard: Int(node.machine(router)?.counter(.forwarded) ?? 0)
        case nil: 0
        }
    }

    // MARK: EmbeddedNode

    public func attach(_ link: EmbeddedLink, side: EmbeddedLink.Side, port: UInt32) {
        precondition(ports[port] == nil, "EmbeddedPhysicalNode \(name): port \(port) already has a link")
        ports[port] = (link, side)
    }

    public func linkStateChanged(port: UInt32, isUp: Bool) {}

    public func receive(frame: ByteBuffer, port: UInt32) {
        let now = clock.now
        _ = node.advance(to: now)
        let outputs = node.receive(frame, on: port, now: now)
        carryOut(outputs)
        if !watched.isEmpty { checkWatched(now) }
    }

    // MARK: Carrying out

    /// Sends frames out of their ports and hands control packets to the daemons.
    public func carryOut(_ outputs: [NodeOutput]) {
        var touched = false
        for output in outputs {
            switch output {
            case .transmit(let frame, let port):
                guard let end = ports[port] else {
                    counters.unpluggedDrops += 1
                    continue
                }
                end.link.transmit(frame, from: end.side)
            case .deliver(let frame, let router, let interface):
                deliver(frame, router: router, interface: interface)
                touched = true
            }
        }
        if touched { reschedule() }
    }

    private func deliver(_ frame: ByteBuffer, router: VirtualRouterID, interface: Int) {
        guard var daemon = daemons[router], isRunning(router),
            let vm = node.machine(router), interface < vm.interfaces.count
        else { return }
        guard let ethernet = try? EthernetFrame(parsing: frame), ethernet.etherType == .ipv4,
            let packet = try? IPv4Packet(parsing: ethernet.payload)
        else {
            counters.malformedControl += 1
            return
        }
        guard packet.protocolNumber == .ospf else { return }  // pings to the router: not modelled
        let now = clock.now
        onControlDelivered?(router, packet, now)
        let outputs: [OSPFOutput]
        do {
            outputs = try daemon.receive(packet.payload, on: vm.interfaces[interface].name, from: packet.source, now: now)
        } catch {
            counters.malformedControl += 1
            return
        }
        daemons[router] = daemon
        carryOut(outputs, router: router)
    }

    private func carryOut(_ outputs: [OSPFOutput], router: VirtualRouterID) {
        let now = clock.now
        for output in outputs {
            onDaemonOutput?(router, output, now)
            switch output {
            case .send(let transmission):
                send(transmission, router: router, now: now)
            case .routeAdded(let route), .routeChanged(_, let route):
                if let update = routeUpdate(adding: route, router: router) {
                    node.applyRouteUpdate(update, router: router, now: now)
                }
            case .routeRemoved(let route):
                guard connected[router]?.contains(route.prefix) != true else { continue }
                node.applyRouteUpdate(
                    .withdraw(prefix: route.prefix.address, prefixLength: route.prefix.length), router: router, now: now)
            case .neighborStateChanged, .discarded:
                break
            }
        }
    }

    /// The FIB entry for an OSPF route: its first next hop (by interface, then address).
    private func routeUpdate(adding route: OSPFRoute, router: VirtualRouterID) -> RouteUpdate? {
        guard connected[router]?.contains(route.prefix) != true, let hop = route.nextHops.first,
            let interfaces = node.machine(router)?.interfaces,
            let index = interfaces.firstIndex(where: { $0.name == hop.interface })
        else { return nil }
        return .add(FIBEntry(prefix: route.prefix.address, prefixLength: route.prefix.length, nextHop: hop.address, interface: index))
    }

    private func send(_ transmission: OSPFTransmission, router: VirtualRouterID, now: NIODeadline) {
        guard let interfaces = node.machine(router)?.interfaces,
            let index = interfaces.firstIndex(where: { $0.name == transmission.interface })
        else { return }
        var packet = transmission.ipv4Packet
        let id = identification[router, default: 0]
        packet.identification = id
        let destination = Self.multicastMAC(packet.destination) ?? .broadcast
        let frame = EthernetFrame(
            destination: destination, source: interfaces[index].mac, etherType: .ipv4, payload: packet.encoded()
        ).encoded()
        let outputs = node.sendControl(frame, router: router, interface: index, now: now)
        guard !outputs.isEmpty else { return }
        identification[router] = id &+ 1
        onControlSent?(router, packet, now)
        carryOut(outputs)
    }

    /// RFC 1112 §6.4: 01:00:5E and the group's low 23 bits.
    static func multicastMAC(_ group: IPv4Address) -> MACAddress? {
        guard group.rawValue >> 28 == 0xE else { return nil }
        return MACAddress(rawValue: 0x0100_5E00_0000 | UInt64(group.rawValue & 0x7F_FFFF))
    }

    // MARK: Time

    private func isRunning(_ router: VirtualRouterID) -> Bool { node.machine(router)?.isRunning == true }

    /// Runs the timers of every daemon whose VM runs here, then waits for the next one.
    public func runDaemons() {
        let now = clock.now
        _ = node.advance(to: now)
        for router in daemons.keys.sorted() where isRunning(router) {
            guard var daemon = daemons[router], let due = daemon.nextDeadline, due <= now else { continue }
            let outputs = daemon.tick(now: now)
            daemons[router] = daemon
            carryOut(outputs, router: router)
        }
        reschedule()
    }

    /// Schedules the wake-up for the earliest daemon timer (a paused VM's daemon waits).
    public func reschedule() {
        let next = daemons.keys.sorted().filter { isRunning($0) }.compactMap { daemons[$0]?.nextDeadline }.min()
        if let wakeup, let next, wakeup.at <= next, wakeup.at >= clock.now { return }
        if let wakeup { clock.cancel(wakeup.event) }
        wakeup = nil
        guard let next else { return }
        let at = max(next, clock.now)
        let event = clock.schedule(at: at) { [weak self] in
            guard let self else { return }
            self.wakeup = nil
            self.runDaemons()
        }
        wakeup = (event, at)
    }

    private func checkWatched(_ now: NIODeadline) {
        for (router, before) in watched.sorted(by: { $0.key < $1.key }) where dataForwarded(router) > before {
            firstDataForwarded[router] = now
            watched[router] = nil
        }
    }
}
