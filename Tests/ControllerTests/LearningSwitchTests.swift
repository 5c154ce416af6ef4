import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets
import Testing

@testable import Controller

/// The learning switch without sockets: made-up PACKET_INs and PORT_STATUSes at explicit times,
/// and the commands it answers with.
@Suite("Learning switch")
struct LearningSwitchTests {
    let a = MACAddress(rawValue: 0x0200_0000_000A)
    let b = MACAddress(rawValue: 0x0200_0000_000B)
    let c = MACAddress(rawValue: 0x0200_0000_000C)

    func frame(from source: MACAddress, to destination: MACAddress, etherType: EtherType = .ipv4) -> ByteBuffer {
        EthernetFrame(destination: destination, source: source, etherType: etherType, payload: ByteBuffer(string: "payload"))
            .encoded()
    }

    func packetIn(_ datapathID: UInt64, port: UInt32, from source: MACAddress, to destination: MACAddress) -> ControllerEvent {
        .packetIn(
            datapathID: datapathID,
            OF13.PacketIn(match: .ordered([.inPort(port)]), data: frame(from: source, to: destination)))
    }

    /// Where the PACKET_OUTs of `commands` send the frame: their output ports, in order.
    func packetOutPorts(_ commands: [ControllerCommand]) -> [UInt32] {
        sent(commands).flatMap { _, message -> [UInt32] in
            guard case .packetOut(let out) = message else { return [] }
            return out.actions.compactMap { if case .output(let port, _) = $0 { port } else { nil } }
        }
    }

    func flowMods(_ commands: [ControllerCommand]) -> [OF13.FlowMod] {
        sent(commands).compactMap { if case .flowMod(let flowMod) = $1 { flowMod } else { nil } }
    }

    func output(of flowMod: OF13.FlowMod) -> UInt32? {
        for instruction in flowMod.instructions {
            if case .applyActions(let actions) = instruction {
                for action in actions { if case .output(let port, _) = action { return port } }
            }
        }
        return nil
    }

    @Test func switchUpClearsOldFlowsAndSendsTableMissesToTheController() {
        var app = LearningSwitch()
        let commands = app.handle(.switchUp(switchInfo(1, ports: 3)), now: at(0))
        let mods = flowMods(commands)
        #expect(mods.count == 2)
        #expect(mods[0].command == .delete && mods[0].cookieMask == .max && mods[0].tableID == OF13.TableNumber.all)
        #expect(mods[1].command == .add && mods[1].priority == 0 && mods[1].match == .all)
        #expect(output(of: mods[1]) == OF13.PortNumber.controller)
        #expect(sent(commands).allSatisfy { $0.0 == 1 })
    }

    @Test func floodsUnknownThenInstallsAFlowToALearntAddress() throws {
        var app = LearningSwitch(configuration: .init(idleTimeout: 7, priority: 12))
        _ = app.handle(.switchUp(switchInfo(1, ports: 3)), now: at(0))

        // a → b, b unknown: flooded, from a's port (so FLOOD leaves it out), no flow yet.
        let first = app.handle(packetIn(1, port: 1, from: a, to: b), now: at(1))
        #expect(packetOutPorts(first) == [OF13.PortNumber.flood])
        #expect(flowMods(first).isEmpty)
        guard case .packetOut(let flood) = sent(first).first?.1 else { Issue.record("no PACKET_OUT"); return }
        #expect(flood.inPort == 1)
        #expect(flood.bufferID == OF13.noBuffer && flood.data == frame(from: a, to: b))
        #expect(app.port(of: a, on: 1) == 1)

        // b → a: a is known on port 1: a flow in_port=2,eth_src=b,eth_dst=a → 1, and the frame sent to 1.
        let reply = app.handle(packetIn(1, port: 2, from: b, to: a), now: at(2))
        let flow = try #require(flowMods(reply).first)
        #expect(flow.command == .add && flow.idleTimeout == 7 && flow.priority == 12 && flow.hardTimeout == 0)
        #expect(flow.match == .ordered([.inPort(2), .ethSrc(b), .ethDst(a)]))
        #expect(output(of: flow) == 1)
        #expect(packetOutPorts(reply) == [1])
        #expect(app.port(of: b, on: 1) == 2)
    }

    @Test func broadcastIsAlwaysFloodedAndLinkLocalNeverIs() {
        var app = LearningSwitch()
        _ = app.handle(packetIn(1, port: 2, from: b, to: a), now: at(0))
        _ = app.handle(packetIn(1, port: 1, from: a, to: b), now: at(0))
        #expect(packetOutPorts(app.handle(packetIn(1, port: 1, from: a, to: .broadcast), now: at(1))) == [OF13.PortNumber.flood])
        let multicast = MACAddress(rawValue: 0x0100_5E00_0001)
        #expect(packetOutPorts(app.handle(packetIn(1, port: 1, from: a, to: multicast), now: at(1))) == [OF13.PortNumber.flood])
        let lldp = MACAddress(rawValue: 0x0180_C200_000E)
        #expect(app.handle(packetIn(1, port: 1, from: a, to: lldp), now: at(1)).isEmpty)
        let lldpFrame = OF13.PacketIn(match: .ordered([.inPort(1)]), data: frame(from: c, to: .broadcast, etherType: .lldp))
        #expect(app.handle(.packetIn(datapathID: 1, lldpFrame), now: at(1)).isEmpty)
        #expect(app.port(of: c, on: 1) == nil, "LLDP sources are not learnt")
    }

    @Test func learnsPerDatapath() {
        var app = LearningSwitch()
        _ = app.handle(packetIn(1, port: 1, from: a, to: b), now: at(0))
        // On switch 2, a is still unknown: flooded.
        #expect(packetOutPorts(app.handle(packetIn(2, port: 3, from: b, to: a), now: at(1))) == [OF13.PortNumber.flood])
        #expect(app.port(of: a, on: 1) == 1 && app.port(of: a, on: 2) == nil && app.port(of: b, on: 2) == 3)
        _ = app.handle(.switchDown(datapathID: 1), now: at(2))
        #expect(app.tables[1] == nil && app.port(of: b, on: 2) == 3)
    }

    @Test func dropsAFrameForAHostOnItsOwnPort() {
        var app = LearningSwitch()
        _ = app.handle(packetIn(1, port: 1, from: a, to: b), now: at(0))
        _ = app.handle(packetIn(1, port: 1, from: b, to: a), now: at(0))
        #expect(app.handle(packetIn(1, port: 1, from: a, to: b), now: at(1)).isEmpty)
    }

    @Test func aHostThatMovesHasItsOldFlowsDeleted() throws {
        var app = LearningSwitch()
        _ = app.handle(packetIn(1, port: 1, from: a, to: b), now: at(0))
        _ = app.handle(packetIn(1, port: 2, from: b, to: a), now: at(1))
        // a appears on port 3.
        let moved = app.handle(packetIn(1, port: 3, from: a, to: b), now: at(2))
        let delete = try #require(flowMods(moved).first)
        #expect(delete.command == .delete && delete.match == .ordered([.ethDst(a)]))
        #expect(delete.cookie == LearningSwitch.Configuration().cookie && delete.cookieMask == .max)
        #expect(app.port(of: a, on: 1) == 3)
        // ...and the frame still goes to b, with a flow from the new port.
        #expect(flowMods(moved).last?.match == .ordered([.inPort(3), .ethSrc(a), .ethDst(b)]))
        #expect(packetOutPorts(moved) == [2])
        // Frames to a now go to port 3.
        let toA = app.handle(packetIn(1, port: 2, from: b, to: a), now: at(3))
        #expect(packetOutPorts(toA) == [3])
    }

    @Test func aPortGoingDownForgetsItsHostsAndDeletesItsFlows() throws {
        var app = LearningSwitch()
        _ = app.handle(packetIn(1, port: 1, from: a, to: b), now: at(0))
        _ = app.handle(packetIn(1, port: 2, from: b, to: a), now: at(1))
        // Port 2 is merely modified (still up): nothing happens.
        #expect(app.handle(portStatus(1, 2, reason: .modify, down: false), now: at(2)).isEmpty)
        #expect(app.port(of: b, on: 1) == 2)

        let down = app.handle(portStatus(1, 2, reason: .modify, down: true), now: at(3))
        let mods = flowMods(down)
        #expect(mods.count == 2 && mods.allSatisfy { $0.command == .delete && $0.tableID == OF13.TableNumber.all })
        #expect(mods.contains { $0.outPort == 2 && $0.match == .all }, "flows that output to port 2")
        #expect(mods.contains { $0.outPort == OF13.PortNumber.any && $0.match == .ordered([.inPort(2)]) })
        #expect(app.port(of: b, on: 1) == nil && app.port(of: a, on: 1) == 1)
        // b is unknown again: flooded.
        #expect(packetOutPorts(app.handle(packetIn(1, port: 1, from: a, to: b), now: at(4))) == [OF13.PortNumber.flood])

        // A deleted port counts as down.
        _ = app.handle(packetIn(1, port: 4, from: c, to: a), now: at(5))
        _ = app.handle(portStatus(1, 4, reason: .delete, down: false), now: at(6))
        #expect(app.port(of: c, on: 1) == nil)
    }

    @Test func addressesAgeOutOnTick() {
        var app = LearningSwitch(configuration: .init(macAgingTime: .seconds(30)))
        _ = app.handle(packetIn(1, port: 1, from: a, to: b), now: at(0))
        _ = app.handle(packetIn(1, port: 2, from: b, to: a), now: at(20))
        _ = app.handle(.tick, now: at(29))
        #expect(app.port(of: a, on: 1) == 1)
        // Past the aging time a is no longer used even before the tick removes it.
        #expect(packetOutPorts(app.handle(packetIn(1, port: 2, from: b, to: a), now: at(31))) == [OF13.PortNumber.flood])
        _ = app.handle(.tick, now: at(31))
        #expect(app.port(of: a, on: 1) == nil && app.port(of: b, on: 1) == 2)
    }
}
