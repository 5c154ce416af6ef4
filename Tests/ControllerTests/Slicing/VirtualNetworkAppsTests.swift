import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Controller

/// An app that floods every PACKET_IN it sees and records what it saw; it also tries to
/// delete every flow of the switch when the switch comes up.
struct GreedyApp: ControllerApp {
    var seen: [ControllerEvent] = []

    mutating func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        seen.append(event)
        switch event {
        case .switchUp(let info):
            return [.send(datapathID: info.datapathID, .flowMod(deleteFlows())), .send(datapathID: info.datapathID, .flowMod(addFlow([.inPort(2)], [output(4)])))]
        case .packetIn(let dpid, let packetIn):
            return [.send(datapathID: dpid, .packetOut(OF13.PacketOut(inPort: packetIn.inPort ?? OF13.PortNumber.controller, actions: [.output(port: OF13.PortNumber.flood, maxLength: 0)], data: packetIn.data)))]
        default:
            return []
        }
    }
}

@Suite struct VirtualNetworkAppsTests {
    @Test func eachNetworksAppsSeeTheirShareAndTheirCommandsAreConfined() throws {
        var container = try VirtualNetworkApps([
            .init(network: Slices.red, apps: [GreedyApp()]), .init(network: Slices.blue, apps: [GreedyApp()]),
        ])
        let info = SwitchSlicerTests.info(1)
        let commands = container.handle(.switchUp(info), now: at(0))
        // Red saw ports 1 and 3 only; blue 2 and 3.
        let redUp = container.app(GreedyApp.self, in: "red")?.seen.first
        guard case .switchUp(let redInfo) = redUp else { Issue.record("red: \(String(describing: redUp))"); return }
        #expect(redInfo.ports.map(\.number) == [1, 3])
        // Each network's wildcard delete became a delete of its own flowspace; red's flow on
        // blue's port was refused; blue's flow (port 2 → 4) was refused too (port 4 is nobody's).
        let sentFlowMods = sent(commands).compactMap { if case .flowMod(let f) = $0.1 { f } else { nil } }
        #expect(sentFlowMods.allSatisfy { $0.command == .delete })
        #expect(sentFlowMods.contains { Array($0.match.fields) == [.vlanVid(Slices.redVID)] })
        #expect(sentFlowMods.filter { $0.match.fields.contains(.vlanVid(0)) }.count == 2)
        #expect(container.refusals.map(\.network).sorted() == ["blue", "red"])

        // A blue packet arrives on port 3: only blue hears of it; its flood reaches blue's port 2.
        let frame = slicedFrame()
        let out = container.handle(.packetIn(datapathID: 1, OF13.PacketIn(match: .ordered([.inPort(3)]), data: frame)), now: at(1))
        #expect(container.app(GreedyApp.self, in: "red")?.seen.count == 1)
        #expect(container.app(GreedyApp.self, in: "blue")?.seen.count == 2)
        guard case .send(1, .packetOut(let packetOut)) = out.first, out.count == 1 else { Issue.record("\(out)"); return }
        #expect(Array(packetOut.actions) == [.output(port: 2, maxLength: 0)])

        // A tick reaches everybody; a switch no network uses, nobody.
        _ = container.handle(.tick, now: at(2))
        _ = container.handle(.switchUp(SwitchSlicerTests.info(9)), now: at(2))
        #expect(container.app(GreedyApp.self, in: "red")?.seen.count == 2)
    }

    @Test func overlappingNetworksAreRefused() {
        #expect(throws: SlicingConfigurationError.self) {
            try VirtualNetworkApps([.init(network: Slices.red, apps: []), .init(network: Slices.red, apps: [])])
        }
    }

    @Test func theClientServerAppRunsAsOneNetworksAppInsideItsFlowspace() throws {
        // Red's path s1:1 → s1:3 → s2:3 → s2:1, flows matching red's VLAN.
        let app = ClientServerApp(
            configuration: .init(
                path: [PathHop(datapathID: 1, inPort: 1, outPort: 3), PathHop(datapathID: 2, inPort: 3, outPort: 1)],
                toServer: [.vlanVid(Slices.redVID)], toClient: [.vlanVid(Slices.redVID)]))
        var container = try VirtualNetworkApps([.init(network: Slices.red, apps: [app])])
        #expect(container.handle(.switchUp(SwitchSlicerTests.info(1)), now: at(0)).isEmpty)
        let commands = container.handle(.switchUp(SwitchSlicerTests.info(2)), now: at(0))
        #expect(container.refusals.isEmpty, "\(container.refusals)")
        #expect(sent(commands).count == 4)
    }
}
