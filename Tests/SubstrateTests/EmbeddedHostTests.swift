import Controller
import NIOCore
import NetworkAddresses
import Substrate
import Testing

@Suite struct EmbeddedHostTests {
    @Test func arpThenPingAcrossAFourSwitchPathInstalledByTheController() throws {
        let simulator = EventSimulator(seed: 1)
        let fixture = try PathFixture(clock: simulator, link: .init(latency: .milliseconds(1)))
        var installed = false
        fixture.installPath { installed = true }
        simulator.run(for: .milliseconds(100))
        #expect(installed)
        #expect(fixture.controller.connected.count == 4)
        #expect(fixture.switches.allSatisfy { $0.datapath.flowCount == 2 })

        var results: [EmbeddedHost.PingResult] = []
        fixture.h1.ping(PathFixture.h2Address) { results.append($0) }
        simulator.run(for: .seconds(2))
        // 5 links of 1 ms: ARP request and reply, then echo request and reply.
        #expect(results == [.reply(roundTrip: .milliseconds(20))])
        #expect(fixture.h1.arpCache[PathFixture.h2Address] == fixture.h2.interface.mac)
        #expect(fixture.h2.arpCache[PathFixture.h1Address] == fixture.h1.interface.mac)
        #expect(fixture.h1.counters.arpRequestsSent == 1)

        fixture.h2.ping(PathFixture.h1Address) { results.append($0) }
        simulator.run(for: .seconds(2))
        #expect(results.last == .reply(roundTrip: .milliseconds(10)))
    }

    @Test func pingTimesOutWithoutAPathAndARPGivesUp() throws {
        let simulator = EventSimulator()
        let fixture = try PathFixture(clock: simulator)
        var results: [EmbeddedHost.PingResult] = []
        fixture.h1.ping(PathFixture.h2Address, timeout: .milliseconds(500)) { results.append($0) }
        simulator.run(for: .seconds(5))
        #expect(results == [.timeout])
        #expect(fixture.h1.counters.arpRequestsSent == 3)
        #expect(fixture.h1.counters.unresolvedDrops == 1)
        #expect(fixture.h1.arpCache.isEmpty)
    }

    @Test func udpSocketsDeliverWithTheArrivalTime() throws {
        let simulator = EventSimulator()
        let network = EmbeddedNetwork(clock: simulator)
        let a = try network.addHost("a", ip: IPv4Address("192.168.1.1")!)
        let b = try network.addHost("b", ip: IPv4Address("192.168.1.2")!)
        try network.addLink("a", "b", options: .init(latency: .milliseconds(3)))
        let sender = try #require(a.bindUDP())
        let receiver = try #require(b.bindUDP(port: 7000))
        #expect(b.bindUDP(port: 7000) == nil)
        var got: [ReceivedDatagram] = []
        receiver.onReceive = { got.append($0) }
        sender.send(ByteBuffer(string: "hello"), to: b.interface.ip, port: 7000)
        sender.send(ByteBuffer(string: "nobody"), to: b.interface.ip, port: 7001)
        simulator.runUntilIdle()
        #expect(got.count == 1)
        #expect(got.first?.payload == ByteBuffer(string: "hello"))
        #expect(got.first?.source == a.interface.ip)
        #expect(got.first?.sourcePort == sender.port)
        // ARP there and back, then the datagram.
        #expect(got.first?.receivedAt == .uptimeNanoseconds(9_000_000))
        #expect(b.counters.undeliverable == 1)
    }

    @Test func offSubnetTrafficGoesToTheGatewayOrIsUndeliverable() throws {
        let simulator = EventSimulator()
        let network = EmbeddedNetwork(clock: simulator)
        let a = try network.addHost("a", ip: IPv4Address("10.1.0.1")!, gateway: IPv4Address("10.1.0.254")!)
        let router = try network.addHost("router", ip: IPv4Address("10.1.0.254")!)
        try network.addLink("a", "router")
        let socket = try #require(a.bindUDP())
        socket.send(ByteBuffer(string: "x"), to: IPv4Address("10.2.0.1")!, port: 1)
        simulator.runUntilIdle()
        #expect(a.arpCache[router.interface.ip] == router.interface.mac)
        // The frame reached the gateway's MAC; the gateway host is not 10.2.0.1 and ignores it.
        #expect(router.counters.framesIgnored == 1)
        let isolated = try network.addHost("isolated", ip: IPv4Address("10.3.0.1")!)
        try #require(isolated.bindUDP()).send(ByteBuffer(string: "x"), to: IPv4Address("10.4.0.1")!, port: 1)
        #expect(isolated.counters.undeliverable == 1)
    }
}
