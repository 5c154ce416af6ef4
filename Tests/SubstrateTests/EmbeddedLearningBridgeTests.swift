import NIOCore
import NetworkAddresses
import Testing

@testable import Substrate

@Suite struct EmbeddedLearningBridgeTests {
    @Test func learnsFloodsAndFollowsAMovedMAC() {
        let clock = EventSimulator(seed: 1)
        let bridge = EmbeddedLearningBridge(name: "lan", clock: clock)
        let hosts = (1...3).map { i in
            EmbeddedHost(
                name: "h\(i)", interface: HostInterface(mac: MACAddress(0x02, 0, 0, 0, 0, UInt8(i)), ip: IPv4Address(10, 0, 0, UInt8(i))),
                clock: clock)
        }
        for (i, host) in hosts.enumerated() {
            _ = EmbeddedLink(name: "l\(i)", a: (host, 0), b: (bridge, UInt32(i + 1)), options: .init(latency: .microseconds(10)), clock: clock)
        }
        var replies = 0
        hosts[0].ping(IPv4Address(10, 0, 0, 2)) { if case .reply = $0 { replies += 1 } }
        clock.run(for: .milliseconds(10))
        #expect(replies == 1)
        #expect(bridge.port(of: hosts[0].interface.mac) == 1)
        #expect(bridge.port(of: hosts[1].interface.mac) == 2)
        // The ARP request was flooded, the echo and its reply went to one port only.
        #expect(bridge.counters.flooded >= 2)
        #expect(bridge.counters.forwarded >= 3)
        #expect(hosts[2].counters.framesReceived < hosts[1].counters.framesReceived)
        // h3 takes over h2's MAC and announces it: frames for it now go to port 3.
        hosts[2].interface.mac = hosts[1].interface.mac
        hosts[2].ping(IPv4Address(10, 0, 0, 1)) { _ in }
        clock.run(for: .milliseconds(10))
        #expect(bridge.port(of: hosts[1].interface.mac) == 3)
    }
}
