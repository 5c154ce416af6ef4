import NIOCore
import NetworkAddresses
import Routing
import Testing
import Virtualization

@testable import Substrate

@Suite struct EmbeddedPhysicalNodeTests {
    static func router(_ name: VirtualRouterID, _ mac: UInt8, _ address: IPv4Address, stub: IPv4Address)
        -> (VirtualMachineConfiguration, OSPFConfiguration)
    {
        let vm = VirtualMachineConfiguration(
            router: name,
            interfaces: [
                VirtualInterface(name: "eth0", mac: MACAddress(0x02, 0, 0, 0, 1, mac), address: address, prefixLength: 24),
                VirtualInterface(name: "eth1", mac: MACAddress(0x02, 0, 0, 0, 2, mac), address: stub, prefixLength: 24),
            ],
            forwarding: .planeSeparated, memoryPages: 1024)
        let ospf = OSPFConfiguration(
            routerID: address,
            interfaces: [OSPFInterfaceConfiguration(name: "eth0", address: address, prefixLength: 24, helloInterval: 1, routerDeadInterval: 4, retransmitInterval: 1)],
            stubNetworks: [OSPFStubNetwork(OSPFPrefix(stub, length: 24))])
        return (vm, ospf)
    }

    @Test func twoNodesFormAFullAdjacencyAndInstallEachOthersRoutes() throws {
        let clock = EventSimulator(seed: 2)
        let a = EmbeddedPhysicalNode(name: "a", clock: clock)
        let b = EmbeddedPhysicalNode(name: "b", clock: clock)
        _ = EmbeddedLink(name: "a-b", a: (a, 1), b: (b, 1), options: .init(latency: .microseconds(50)), clock: clock)
        var sent = 0
        var delivered = 0
        a.onControlSent = { _, _, _ in sent += 1 }
        b.onControlDelivered = { _, _, _ in delivered += 1 }
        let (vmA, ospfA) = Self.router("ra", 1, IPv4Address(10, 0, 0, 1), stub: IPv4Address(10, 1, 0, 1))
        let (vmB, ospfB) = Self.router("rb", 2, IPv4Address(10, 0, 0, 2), stub: IPv4Address(10, 2, 0, 1))
        try a.boot(vmA, ospf: ospfA, bindings: [0: .physical(port: 1)])
        try b.boot(vmB, ospf: ospfB, bindings: [0: .physical(port: 1)])
        clock.run(for: .milliseconds(15_500))
        #expect(a.daemon("ra")?.neighbors.first?.state == .full)
        #expect(b.daemon("rb")?.neighbors.first?.state == .full)
        // The route to b's stub network is in a's data plane and in the VM's table in guest memory.
        let route = a.node.dataPlane["ra"]?.fib.lookup(IPv4Address(10, 2, 0, 9))
        #expect(route?.nextHop == IPv4Address(10, 0, 0, 2) && route?.interface == 0)
        #expect(a.node.machine("ra")?.lookup(IPv4Address(10, 2, 0, 9))?.nextHop == IPv4Address(10, 0, 0, 2))
        #expect(sent > 10 && delivered == sent)
    }

    @Test func aPausedVMsDaemonSendsNothingAndResumesItsTimers() throws {
        let clock = EventSimulator(seed: 2)
        let a = EmbeddedPhysicalNode(name: "a", clock: clock)
        let b = EmbeddedPhysicalNode(name: "b", clock: clock)
        _ = EmbeddedLink(name: "a-b", a: (a, 1), b: (b, 1), options: .init(latency: .microseconds(50)), clock: clock)
        var sentTimes: [NIODeadline] = []
        a.onControlSent = { _, _, now in sentTimes.append(now) }
        let (vmA, ospfA) = Self.router("ra", 1, IPv4Address(10, 0, 0, 1), stub: IPv4Address(10, 1, 0, 1))
        let (vmB, ospfB) = Self.router("rb", 2, IPv4Address(10, 0, 0, 2), stub: IPv4Address(10, 2, 0, 1))
        try a.boot(vmA, ospf: ospfA, bindings: [0: .physical(port: 1)])
        try b.boot(vmB, ospf: ospfB, bindings: [0: .physical(port: 1)])
        clock.run(for: .seconds(10))
        try a.node.pause("ra", now: clock.now)
        a.reschedule()
        let pausedAt = clock.now
        clock.run(for: .seconds(2))
        #expect(sentTimes.allSatisfy { $0 <= pausedAt })
        try a.node.resume("ra", now: clock.now)
        a.runDaemons()
        clock.run(for: .milliseconds(10))
        #expect(sentTimes.last! > pausedAt)
        #expect(b.daemon("rb")?.neighbors.first?.state == .full)  // paused 2 s, less than the dead interval
    }
}
