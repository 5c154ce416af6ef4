import NIOCore
import OpenFlow
import OpenFlowNIO
import Packets
import Testing

@testable import Controller

/// The diamond used throughout: s1 port 1 and s4 port 1 face hosts; s1:2–s2:1, s2:2–s4:2,
/// s4:3–s3:2, s3:1–s1:3.
let diamondCables: [((UInt64, UInt32), (UInt64, UInt32))] = [((1, 2), (2, 1)), ((2, 2), (4, 2)), ((4, 3), (3, 2)), ((3, 1), (1, 3))]

func discoveredDiamond(configuration: LLDPDiscovery.Configuration = .init(), now: NIODeadline = at(0)) -> LLDPDiscovery {
    var app = LLDPDiscovery(configuration: configuration)
    _ = app.handle([1, 2, 3, 4].map { .switchUp(switchInfo($0, ports: 3)) }, now: now)
    _ = app.handle(diamondCables.flatMap { cable($0.0, $0.1) }, now: now)
    return app
}

@Suite("LLDP discovery")
struct LLDPDiscoveryTests {
    @Test func switchUpInstallsTheLLDPFlowAndProbesEveryPhysicalPort() throws {
        var app = LLDPDiscovery()
        let commands = app.handle(.switchUp(switchInfo(7, ports: 3)), now: at(0))
        let messages = sent(commands)
        #expect(messages.allSatisfy { $0.0 == 7 })
        guard case .flowMod(let flow) = messages.first?.1 else {
            Issue.record("first command is not the LLDP flow: \(commands)")
            return
        }
        #expect(flow.match == .ordered([.ethType(0x88CC)]))
        #expect(flow.priority == 0xFFFF)
        #expect(flow.instructions == [.applyActions([.output(port: OF13.PortNumber.controller, maxLength: 0xFFFF)])])

        var probedPorts: [UInt32] = []
        for (_, message) in messages.dropFirst() {
            guard case .packetOut(let packetOut) = message, case .output(let port, _)? = Array(packetOut.actions).first
            else {
                Issue.record("not a probe: \(message)")
                continue
            }
            let frame = try EthernetFrame(parsing: packetOut.data)
            let lldp = try LLDPDU(parsing: frame.payload)
            #expect(frame.destination == LLDPDU.nearestBridgeAddress && frame.source == mac(7, port))
            #expect(lldp.chassisID.text == "dpid:0000000000000007")
            #expect(lldp.portID.portNumber == port)
            probedPorts.append(port)
        }
        #expect(probedPorts == [1, 2, 3], "LOCAL is not probed")
    }

    @Test func probesComeBackAsTheDiamondsEightLinks() {
        var app = LLDPDiscovery()
        _ = app.handle([1, 2, 3, 4].map { .switchUp(switchInfo($0, ports: 3)) }, now: at(0))
        let commands = app.handle(diamondCables.flatMap { cable($0.0, $0.1) }, now: at(0.1))
        let expected = diamondCables.flatMap { [Link(src: $0.0, dst: $0.1), Link(src: $0.1, dst: $0.0)] }
        #expect(announced(commands) == expected.map { .linkUp($0) })
        #expect(app.topology.switches == [1, 2, 3, 4])
        #expect(app.topology.links == Set(expected))
        #expect(app.topology.isInterSwitch(Endpoint(datapathID: 1, port: 2)))
        #expect(!app.topology.isInterSwitch(Endpoint(datapathID: 1, port: 1)))
        // Seen again: no new announcement.
        #expect(app.handle(cable((1, 2), (2, 1)), now: at(0.2)).isEmpty)
    }

    @Test func probesFromUnknownSwitchesAndOtherPacketsAreNotLinks() {
        var app = LLDPDiscovery()
        _ = app.handle(.switchUp(switchInfo(1, ports: 2)), now: at(0))
        #expect(app.handle(lldpPacketIn(from: (9, 1), to: (1, 1)), now: at(0)).isEmpty)
        var arp = ByteBuffer()
        _ = EthernetFrame(destination: .broadcast, source: mac(5, 5), etherType: .arp, payload: ByteBuffer()).write(to: &arp)
        let packetIn = OF13.PacketIn(match: .ordered([.inPort(1)]), data: arp)
        #expect(app.handle(.packetIn(datapathID: 1, packetIn), now: at(0)).isEmpty)
        #expect(app.topology.links.isEmpty)
    }

    @Test func linksTimeOutAfterMissedProbePeriods() {
        let configuration = LLDPDiscovery.Configuration(probeInterval: .seconds(1), missedProbes: 3)
        var app = discoveredDiamond(configuration: configuration)
        #expect(announced(app.handle(.tick, now: at(2.9))).isEmpty)
        // Only one direction of s1–s2 keeps arriving.
        _ = app.handle(lldpPacketIn(from: (1, 2), to: (2, 1)), now: at(2.0))
        let down = announced(app.handle(.tick, now: at(3.5)))
        #expect(down.count == 7)
        #expect(!down.contains(.linkDown(Link(src: (1, 2), dst: (2, 1)))))
        #expect(app.topology.links == [Link(src: (1, 2), dst: (2, 1))])
        #expect(announced(app.handle(.tick, now: at(5.1))) == [.linkDown(Link(src: (1, 2), dst: (2, 1)))])
        #expect(app.topology.links.isEmpty && app.topology.switches == [1, 2, 3, 4])
    }

    @Test func ticksProbeEveryPortOncePerInterval() {
        var app = discoveredDiamond(configuration: .init(probeInterval: .seconds(1)))
        #expect(sent(app.handle(.tick, now: at(0.1))).count == 12, "the first tick probes 4 switches × 3 ports")
        #expect(sent(app.handle(.tick, now: at(0.6))).isEmpty)
        #expect(sent(app.handle(.tick, now: at(1.1))).count == 12)
    }

    @Test func portDownRemovesItsLinksAtOnceAndPortUpProbesIt() {
        var app = discoveredDiamond()
        let down = announced(app.handle(portStatus(2, 2, reason: .modify, down: true), now: at(0.5)))
        #expect(down == [.linkDown(Link(src: (2, 2), dst: (4, 2))), .linkDown(Link(src: (4, 2), dst: (2, 2)))])
        #expect(app.topology.links.count == 6)
        // A late probe sent before the port went down does not bring the link back.
        _ = app.handle(lldpPacketIn(from: (4, 2), to: (2, 2)), now: at(0.6))
        #expect(app.topology.links.count == 6)
        let up = sent(app.handle(portStatus(2, 2, reason: .modify, down: false), now: at(0.7)))
        #expect(up.count == 1)
        if case .packetOut(let packetOut)? = up.first?.1 { #expect(Array(packetOut.actions) == [.output(port: 2)]) }
        let deleted = announced(app.handle(portStatus(1, 3, reason: .delete, down: false), now: at(0.8)))
        #expect(Set(deleted) == [.linkDown(Link(src: (1, 3), dst: (3, 1))), .linkDown(Link(src: (3, 1), dst: (1, 3)))])
    }

    @Test func switchDownRemovesTheSwitchAndItsLinks() {
        var app = discoveredDiamond()
        let down = announced(app.handle(.switchDown(datapathID: 2), now: at(1)))
        #expect(down.count == 4)
        #expect(app.topology.switches == [1, 3, 4])
        #expect(app.topology.links.count == 4)
        #expect(app.topology.links.allSatisfy { $0.source.datapathID != 2 && $0.destination.datapathID != 2 })
        // Its probes still in flight are ignored.
        #expect(app.handle(lldpPacketIn(from: (2, 1), to: (1, 2)), now: at(1.1)).isEmpty)
        _ = app.handle(.switchUp(switchInfo(2, ports: 3)), now: at(2))
        _ = app.handle(cable((1, 2), (2, 1)) + cable((2, 2), (4, 2)), now: at(2.1))
        #expect(app.topology.links.count == 8)
    }
}
