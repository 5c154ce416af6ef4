import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Controller

@Suite struct ClientServerAppTests {
    let configuration = ClientServerApp.Configuration(
        path: [PathHop(datapathID: 1, inPort: 1, outPort: 2), PathHop(datapathID: 2, inPort: 1, outPort: 2), PathHop(datapathID: 3, inPort: 1, outPort: 2)],
        toServer: [.ethType(0x0800), .ipv4Dst(IPv4Address("10.0.0.2")!)], toClient: [.ethType(0x0800), .ipv4Dst(IPv4Address("10.0.0.1")!)])

    @Test func whenEverySwitchIsUpBothDirectionsAreInstalled() {
        var app = ClientServerApp(configuration: configuration)
        #expect(app.handle(.switchUp(switchInfo(1, ports: 2)), now: at(0)).isEmpty)
        #expect(app.handle(.switchUp(switchInfo(3, ports: 2)), now: at(0)).isEmpty)
        let commands = app.handle(.switchUp(switchInfo(2, ports: 2)), now: at(0))
        #expect(app.started)
        let flows = sent(commands).compactMap { dpid, message -> (UInt64, OF13.FlowMod)? in
            if case .flowMod(let flowMod) = message { (dpid, flowMod) } else { nil }
        }
        #expect(flows.count == 6)
        // Client → server on switch 2: in 1, out 2; server → client: in 2, out 1.
        let s2 = flows.filter { $0.0 == 2 }.map(\.1)
        #expect(s2.contains { $0.match.fields.contains(.inPort(1)) && $0.match.fields.contains(.ipv4Dst(IPv4Address("10.0.0.2")!)) && $0.instructions == [output(2)] })
        #expect(s2.contains { $0.match.fields.contains(.inPort(2)) && $0.match.fields.contains(.ipv4Dst(IPv4Address("10.0.0.1")!)) && $0.instructions == [output(1)] })
        // Egress first in each direction: the server's switch (3) before the client's (1).
        let order = flows.map(\.0)
        #expect(Array(order.prefix(3)) == [3, 2, 1] && Array(order.suffix(3)) == [1, 2, 3])
        #expect(commands.filter { if case .barrier = $0 { true } else { false } }.count == 6)
    }

    @Test func aSwitchThatComesBackGetsItsShareAgain() {
        var app = ClientServerApp(configuration: configuration)
        for dpid: UInt64 in 1...3 { _ = app.handle(.switchUp(switchInfo(dpid, ports: 2)), now: at(0)) }
        _ = app.handle(.switchDown(datapathID: 2), now: at(1))
        let again = app.handle(.switchUp(switchInfo(2, ports: 2)), now: at(2))
        #expect(sent(again).count == 2 && sent(again).allSatisfy { $0.0 == 2 })
        #expect(app.handle(.switchUp(switchInfo(7, ports: 2)), now: at(2)).isEmpty)
    }
}
