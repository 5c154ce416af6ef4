import NIOCore
import NetworkAddresses
import Packets

@testable import Routing

/// OSPFRouter instances wired by in-memory point-to-point links on a virtual clock. Every packet
/// crosses a link as bytes (encoded, then parsed by the receiver), delivered at once in order.
struct TestNetwork {
    struct Endpoint: Hashable {
        var router: String
        var interface: String
    }

    struct Link {
        var a: Endpoint
        var b: Endpoint
        var aAddress: IPv4Address
        var bAddress: IPv4Address
        /// Whether the link carries packets.
        var carrying = true
    }

    var routers: [String: OSPFRouter] = [:]
    var links: [Link] = []
    var now = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    var queue: [(to: Endpoint, source: IPv4Address, bytes: ByteBuffer)] = []
    /// Every output, in order, with the router that produced it.
    var log: [(router: String, output: OSPFOutput)] = []
    /// Drops a transmission when it returns true (to lose packets on purpose).
    var drop: ((String, OSPFTransmission) -> Bool)?
    var hopLimit = 100_000

    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    /// The router called `name` with router ID `id`, interfaces listed by `links` later.
    mutating func addRouter(
        _ name: String, id: IPv4Address, interfaces: [OSPFInterfaceConfiguration], stubs: [OSPFStubNetwork] = [],
        tweak: (inout OSPFConfiguration) -> Void = { _ in }
    ) {
        var configuration = OSPFConfiguration(routerID: id, interfaces: interfaces, stubNetworks: stubs)
        tweak(&configuration)
        routers[name] = OSPFRouter(configuration: configuration, now: now)
    }

    mutating func connect(_ a: Endpoint, _ b: Endpoint) {
        let aAddress = routers[a.router]!.configuration.interfaces.first { $0.name == a.interface }!.address
        let bAddress = routers[b.router]!.configuration.interfaces.first { $0.name == b.interface }!.address
        links.append(Link(a: a, b: b, aAddress: aAddress, bAddress: bAddress))
    }

    mutating func startAll() {
        for name in routers.keys.sorted() {
            let outputs = routers[name]!.start(now: now)
            handle(name, outputs)
        }
    }

    mutating func handle(_ router: String, _ outputs: [OSPFOutput]) {
        for output in outputs {
            log.append((router, output))
            guard let transmission = output.transmission else { continue }
            if let drop, drop(router, transmission) { continue }
            let from = Endpoint(router: router, interface: transmission.interface)
            for link in links where link.carrying {
                if link.a == from {
                    queue.append((link.b, transmission.source, transmission.bytes))
                } else if link.b == from {
                    queue.append((link.a, transmission.source, transmission.bytes))
                }
            }
        }
    }

    mutating func deliverAll() {
        while !queue.isEmpty {
            hopLimit -= 1
            precondition(hopLimit > 0, "packet storm: more than 100,000 deliveries")
            let (to, source, bytes) = queue.removeFirst()
            let outputs = try! routers[to.router]!.receive(bytes, on: to.interface, from: source, now: now)
            handle(to.router, outputs)
        }
    }

    /// Runs the network until `duration` of virtual time has passed.
    mutating func run(for duration: TimeAmount) {
        let end = now + duration
        while true {
            deliverAll()
            guard let next = routers.values.compactMap(\.nextDeadline).min(), next <= end else { break }
            now = max(now, next)
            for name in routers.keys.sorted() {
                if let deadline = routers[name]!.nextDeadline, deadline <= now {
                    let outputs = routers[name]!.tick(now: now)
                    handle(name, outputs)
                }
            }
        }
        deliverAll()
        now = end
    }

    /// Stops link `index` carrying packets; with `notify`, both ends also see InterfaceDown.
    mutating func cut(_ index: Int, notify: Bool) {
        links[index].carrying = false
        guard notify else { return }
        for end in [links[index].a, links[index].b] {
            let outputs = routers[end.router]!.interfaceDown(end.interface, now: now)
            handle(end.router, outputs)
        }
    }

    mutating func restore(_ index: Int) {
        links[index].carrying = true
        for end in [links[index].a, links[index].b] {
            let outputs = routers[end.router]!.interfaceUp(end.interface, now: now)
            handle(end.router, outputs)
        }
    }

    func state(_ router: String, _ interface: String) -> OSPFNeighborState? {
        routers[router]!.neighbors.first { $0.interface == interface }?.state
    }

    func route(_ router: String, _ prefix: String) -> OSPFRoute? {
        routers[router]!.routes.first { $0.prefix == OSPFPrefix(prefix)! }
    }

    /// The neighbour state changes of `router`, in order.
    func transitions(_ router: String) -> [(OSPFNeighborState, OSPFNeighborState, String)] {
        log.compactMap { entry in
            guard entry.router == router, case .neighborStateChanged(_, _, let from, let to, let event) = entry.output
            else { return nil }
            return (from, to, event)
        }
    }

    func sent(_ router: String, _ type: OSPFv2Packet.PacketType) -> [OSPFTransmission] {
        log.compactMap { entry in
            guard entry.router == router, let transmission = entry.output.transmission, transmission.packet.type == type
            else { return nil }
            return transmission
        }
    }
}

extension OSPFInterfaceConfiguration {
    /// A fast point-to-point interface for tests: Hello 1 s, dead 4 s, retransmit 2 s.
    static func fast(_ name: String, _ cidr: String, cost: UInt16 = 10) -> OSPFInterfaceConfiguration {
        let parts = cidr.split(separator: "/")
        return OSPFInterfaceConfiguration(
            name: name, address: IPv4Address(parts[0])!, prefixLength: Int(parts[1])!, cost: cost, helloInterval: 1,
            routerDeadInterval: 4, retransmitInterval: 2)
    }
}

extension TestNetwork {
    /// R1 — R2 — R3 with a long R1 — R3 link: costs 10, 10 and 30; each Rn announces 192.168.n.0/24.
    static func triangle() -> TestNetwork {
        var network = TestNetwork()
        network.addRouter(
            "r1", id: IPv4Address(1, 1, 1, 1),
            interfaces: [.fast("r1-r2", "10.0.12.1/30"), .fast("r1-r3", "10.0.13.1/30", cost: 30)],
            stubs: [OSPFStubNetwork(OSPFPrefix("192.168.1.0/24")!)])
        network.addRouter(
            "r2", id: IPv4Address(2, 2, 2, 2),
            interfaces: [.fast("r2-r1", "10.0.12.2/30"), .fast("r2-r3", "10.0.23.1/30")],
            stubs: [OSPFStubNetwork(OSPFPrefix("192.168.2.0/24")!)])
        network.addRouter(
            "r3", id: IPv4Address(3, 3, 3, 3),
            interfaces: [.fast("r3-r2", "10.0.23.2/30"), .fast("r3-r1", "10.0.13.2/30", cost: 30)],
            stubs: [OSPFStubNetwork(OSPFPrefix("192.168.3.0/24")!)])
        network.connect(.init(router: "r1", interface: "r1-r2"), .init(router: "r2", interface: "r2-r1"))
        network.connect(.init(router: "r2", interface: "r2-r3"), .init(router: "r3", interface: "r3-r2"))
        network.connect(.init(router: "r1", interface: "r1-r3"), .init(router: "r3", interface: "r3-r1"))
        return network
    }

    /// Two routers on one link: r1 (1.1.1.1) and r2 (2.2.2.2).
    static func pair(tweak: (inout OSPFConfiguration) -> Void = { _ in }) -> TestNetwork {
        var network = TestNetwork()
        network.addRouter(
            "r1", id: IPv4Address(1, 1, 1, 1), interfaces: [.fast("r1-r2", "10.0.12.1/30")],
            stubs: [OSPFStubNetwork(OSPFPrefix("192.168.1.0/24")!)], tweak: tweak)
        network.addRouter(
            "r2", id: IPv4Address(2, 2, 2, 2), interfaces: [.fast("r2-r1", "10.0.12.2/30")],
            stubs: [OSPFStubNetwork(OSPFPrefix("192.168.2.0/24")!)], tweak: tweak)
        network.connect(.init(router: "r1", interface: "r1-r2"), .init(router: "r2", interface: "r2-r1"))
        return network
    }
}
