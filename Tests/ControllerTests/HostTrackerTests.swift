import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets
import Testing

@testable import Controller

func arpPacketIn(_ datapathID: UInt64, port: UInt32, mac: MACAddress, ip: IPv4Address) -> ControllerEvent {
    let arp = ARPPacket(
        operation: .request, senderHardwareAddress: mac, senderProtocolAddress: ip, targetHardwareAddress: .zero,
        targetProtocolAddress: IPv4Address(10, 0, 0, 99))
    let frame = EthernetFrame(destination: .broadcast, source: mac, etherType: .arp, payload: arp.encoded())
    return .packetIn(datapathID: datapathID, OF13.PacketIn(match: .ordered([.inPort(port)]), data: frame.encoded()))
}

@Suite("Host tracking")
struct HostTrackerTests {
    let h1 = MACAddress(rawValue: 0x0200_0000_0001)
    let ip1 = IPv4Address(10, 0, 0, 1)

    @Test func learnsHostsOnEdgePortsFromARP() {
        var tracker = HostTracker()
        _ = tracker.handle(arpPacketIn(1, port: 1, mac: h1, ip: ip1), now: at(1))
        #expect(tracker.hosts[h1]?.location == Endpoint(datapathID: 1, port: 1))
        #expect(tracker.host(ipv4: ip1)?.mac == h1)
        // The host moves.
        _ = tracker.handle(arpPacketIn(3, port: 4, mac: h1, ip: ip1), now: at(2))
        #expect(tracker.host(ipv4: ip1)?.location == Endpoint(datapathID: 3, port: 4))
        _ = tracker.handle(.switchDown(datapathID: 3), now: at(3))
        #expect(tracker.hosts.isEmpty)
    }

    @Test func ignoresInterSwitchPortsAndForgetsHostsLearntThere() {
        var tracker = HostTracker()
        _ = tracker.handle(arpPacketIn(2, port: 1, mac: h1, ip: ip1), now: at(1))
        #expect(tracker.hosts.count == 1, "before the link is known, the port looks like an edge port")
        _ = tracker.handle(.linkUp(Link(src: (1, 2), dst: (2, 1))), now: at(2))
        #expect(tracker.hosts.isEmpty)
        _ = tracker.handle(arpPacketIn(2, port: 1, mac: h1, ip: ip1), now: at(3))
        #expect(tracker.hosts.isEmpty)
        _ = tracker.handle(.linkDown(Link(src: (1, 2), dst: (2, 1))), now: at(4))
        _ = tracker.handle(arpPacketIn(2, port: 1, mac: h1, ip: ip1), now: at(5))
        #expect(tracker.hosts.count == 1)
    }

    @Test func ignoresLLDPAndInstallsTableMissOnlyWhenAsked() {
        var tracker = HostTracker()
        _ = tracker.handle(lldpPacketIn(from: (1, 2), to: (2, 1)), now: at(0))
        #expect(tracker.hosts.isEmpty)
        #expect(tracker.handle(.switchUp(switchInfo(1, ports: 2)), now: at(0)).isEmpty)
        tracker.tableMissPriority = 0
        let commands = sent(tracker.handle(.switchUp(switchInfo(1, ports: 2)), now: at(0)))
        guard case .flowMod(let flow)? = commands.first?.1 else {
            Issue.record("no table-miss flow")
            return
        }
        #expect(flow.priority == 0 && flow.match == .all)
    }
}

@Suite("Runtime without sockets")
struct ControllerRuntimeTests {
    @Test func announcementsReachEveryAppBeforeAnythingIsSent() async {
        let server = OpenFlowServer()
        let runtime = ControllerRuntime(server: server, apps: [LLDPDiscovery(), HostTracker()])
        for dpid: UInt64 in [1, 2] { await runtime.dispatch(.switchUp(switchInfo(dpid, ports: 2))) }
        await runtime.dispatch(lldpPacketIn(from: (1, 2), to: (2, 1)))
        let topology = await runtime.app(LLDPDiscovery.self)?.topology
        #expect(topology?.links == [Link(src: (1, 2), dst: (2, 1))])
        let tracker = await runtime.app(HostTracker.self)
        #expect(tracker?.interSwitchPorts == [Endpoint(datapathID: 1, port: 2), Endpoint(datapathID: 2, port: 1)])
        await #expect(throws: ControllerRuntimeError.notConnected(datapathID: 1)) {
            try await runtime.installPath([PathHop(datapathID: 1, inPort: 1, outPort: 2)], match: [])
        }
        await server.close()
    }
}
