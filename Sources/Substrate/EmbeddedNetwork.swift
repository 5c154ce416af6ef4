import Controller
import NIOCore
import NetworkAddresses

/// A whole network in one process: switches, hosts, links and (optionally) a controller, on
/// one clock. Build it by name, then run the clock:
///
/// ```swift
/// let simulator = EventSimulator(seed: 7)
/// let network = EmbeddedNetwork(clock: simulator)
/// try network.addSwitch("s1")
/// try network.addHost("h1", ip: IPv4Address("10.0.0.1")!)
/// try network.addLink("h1", "s1", options: .init(latency: .milliseconds(1)))
/// network.addController(apps: [LLDPDiscovery()])
/// simulator.run(for: .seconds(5))
/// ```
///
/// Switch ports are numbered from 1 in the order links are added (or as given); datapath ids
/// count from 1 and MAC addresses of hosts from 02:00:00:00:00:01 unless given.
public final class EmbeddedNetwork {
    public let clock: any SubstrateClock
    public private(set) var switches: [String: EmbeddedSwitch] = [:]
    public private(set) var hosts: [String: EmbeddedHost] = [:]
    public private(set) var links: [String: EmbeddedLink] = [:]
    /// Names in the order they were added (switches, hosts and links together).
    public private(set) var order: [String] = []
    public private(set) var controller: EmbeddedController?
    /// One-way latency of the control channels the controller opens.
    public private(set) var controlLatency: TimeAmount = .zero
    /// The trace every element records to, if tracing.
    public let trace: EventTrace?
    private var usedDatapathIDs: Set<UInt64> = []
    private var nextPort: [String: UInt32] = [:]

    public init(clock: any SubstrateClock, tracing: Bool = false) {
        self.clock = clock
        self.trace = tracing ? EventTrace() : nil
    }

    /// A switch; `datapathID` defaults to the number of switches so far plus one.
    @discardableResult
    public func addSwitch(_ name: String, datapathID: UInt64? = nil, options: EmbeddedSwitch.Options = .init())
        throws(EmbeddedNetworkError) -> EmbeddedSwitch
    {
        try checkNew(name)
        guard (1...254).contains(options.tableCount) else {
            throw .invalidOption(element: name, "tableCount must be 1 to 254, not \(options.tableCount)")
        }
        var id = datapathID ?? UInt64(switches.count + 1)
        if datapathID == nil { while usedDatapathIDs.contains(id) { id += 1 } }
        guard !usedDatapathIDs.contains(id) else { throw .duplicateDatapathID(id, name: name) }
        usedDatapathIDs.insert(id)
        let sw = EmbeddedSwitch(name: name, datapathID: id, options: options, clock: clock)
        sw.trace = trace
        switches[name] = sw
        order.append(name)
        nextPort[name] = 1
        controller?.connect(sw, latency: controlLatency)
        return sw
    }

    /// A host with one interface.
    @discardableResult
    public func addHost(
        _ name: String, ip: IPv4Address, prefixLength: Int = 24, gateway: IPv4Address? = nil, mac: MACAddress? = nil
    ) throws(EmbeddedNetworkError) -> EmbeddedHost {
        try checkNew(name)
        guard (0...32).contains(prefixLength) else {
            throw .invalidOption(element: name, "prefix length must be 0 to 32, not \(prefixLength)")
        }
        let address = mac ?? MACAddress(rawValue: 0x0200_0000_0000 | UInt64(hosts.count + 1))
        let host = EmbeddedHost(
            name: name, interface: HostInterface(mac: address, ip: ip, prefixLength: prefixLength, gateway: gateway),
            clock: clock)
        host.trace = trace
        hosts[name] = host
        order.append(name)
        return host
    }

    /// A link between two switches, or a switch and a host (or two hosts). A switch end takes
    /// `portA`/`portB` or its next free port; a host end is its interface. Named `a-b` unless
    /// `name` is given.
    @discardableResult
    public func addLink(
        _ a: String, _ b: String, options: EmbeddedLink.Options = .init(), portA: UInt32? = nil, portB: UInt32? = nil,
        name: String? = nil
    ) throws(EmbeddedNetworkError) -> EmbeddedLink {
        let linkName = name ?? "\(a)-\(b)"
        try checkNew(linkName)
        guard options.loss >= 0, options.loss <= 1 else {
            throw .invalidOption(element: linkName, "loss must be between 0 and 1, not \(options.loss)")
        }
        if let limit = options.queueLength, limit < 1 {
            throw .invalidOption(element: linkName, "queue length must be at least 1 packet, not \(limit)")
        }
        if let bandwidth = options.bandwidth, !(bandwidth > 0) {
            throw .invalidOption(element: linkName, "bandwidth must be more than 0 bits/s, not \(bandwidth)")
        }
        guard options.latency >= .zero else {
            throw .invalidOption(element: linkName, "latency must not be negative")
        }
        let endA = try end(a, port: portA)
        let endB = try end(b, port: portB)
        if a == b, endA.port == endB.port { throw .portInUse(node: a, port: endA.port) }
        let link = EmbeddedLink(name: linkName, a: endA, b: endB, options: options, clock: clock)
        link.trace = trace
        links[linkName] = link
        order.append(linkName)
        return link
    }

    /// The controller, with a control channel of one-way `latency` to every switch (present
    /// and future); its tick starts at once.
    @discardableResult
    public func addController(
        apps: [any ControllerApp] = [], latency: TimeAmount = .zero, tickInterval: TimeAmount = .milliseconds(100)
    ) -> EmbeddedController {
        let controller = EmbeddedController(apps: apps, tickInterval: tickInterval, clock: clock)
        controller.trace = trace
        self.controller = controller
        controlLatency = latency
        for name in order { if let sw = switches[name] { controller.connect(sw, latency: latency) } }
        controller.start()
        return controller
    }

    /// The switch or host called `name`.
    public func node(_ name: String) throws(EmbeddedNetworkError) -> any EmbeddedNode {
        if let sw = switches[name] { return sw }
        if let host = hosts[name] { return host }
        throw .unknownNode(name)
    }

    /// The host called `name`.
    public func host(_ name: String) throws(EmbeddedNetworkError) -> EmbeddedHost {
        guard let host = hosts[name] else { throw .unknownNode(name) }
        return host
    }

    /// The switch called `name`.
    public func `switch`(_ name: String) throws(EmbeddedNetworkError) -> EmbeddedSwitch {
        guard let sw = switches[name] else { throw .unknownNode(name) }
        return sw
    }

    /// The links between `a` and `b`, in either direction.
    public func links(between a: String, and b: String) -> [EmbeddedLink] {
        order.compactMap { links[$0] }.filter {
            ($0.a.node.name == a && $0.b.node.name == b) || ($0.a.node.name == b && $0.b.node.name == a)
        }
    }

    private func checkNew(_ name: String) throws(EmbeddedNetworkError) {
        guard !name.isEmpty else { throw .invalidOption(element: name, "a name must not be empty") }
        guard switches[name] == nil, hosts[name] == nil, links[name] == nil else { throw .duplicateName(name) }
    }

    private func end(_ name: String, port: UInt32?) throws(EmbeddedNetworkError) -> (
        node: any EmbeddedNode, port: UInt32
    ) {
        if let sw = switches[name] {
            var number = port ?? nextPort[name, default: 1]
            if port == nil { while sw.link(on: number) != nil { number += 1 } }
            guard sw.link(on: number) == nil else { throw .portInUse(node: name, port: number) }
            guard number >= 1, number < 0xFFFF_FF00 else {
                throw .invalidOption(element: name, "port \(number) is not a physical port number")
            }
            nextPort[name] = max(nextPort[name, default: 1], number + 1)
            return (sw, number)
        }
        if let host = hosts[name] {
            guard !links.values.contains(where: { $0.a.node === host || $0.b.node === host }) else {
                throw .hostAlreadyLinked(name)
            }
            return (host, 0)
        }
        throw .unknownNode(name)
    }
}
