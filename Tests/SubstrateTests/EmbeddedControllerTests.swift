import Controller
import Datapath
import NIOCore
import OpenFlow
import OpenFlowNIO
import Substrate
import Testing

/// On switchUp: FLOW_MOD A, a barrier, FLOW_MOD B.
struct BarrierApp: ControllerApp {
    func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        guard case .switchUp(let info) = event else { return [] }
        return [
            .send(datapathID: info.datapathID, .flowMod(OF13.FlowMod(cookie: 0xA, priority: 1))),
            .barrier(datapathID: info.datapathID),
            .send(datapathID: info.datapathID, .flowMod(OF13.FlowMod(cookie: 0xB, priority: 2))),
        ]
    }
}

@Suite struct EmbeddedControllerTests {
    @Test func lldpDiscoveryFindsTheWiredTopology() throws {
        let simulator = EventSimulator(seed: 3)
        let fixture = try PathFixture(
            clock: simulator, link: .init(latency: .milliseconds(2)), apps: [LLDPDiscovery(), HostTracker()])
        var ups: [DatapathInfo] = []
        fixture.controller.onEvent = { event, _ in if case .switchUp(let info) = event { ups.append(info) } }
        simulator.run(for: .seconds(3))
        let discovery = try #require(fixture.controller.app(LLDPDiscovery.self))
        var expected: Set<Link> = []
        for i in UInt64(1)...3 {
            expected.insert(Link(src: (i, 2), dst: (i + 1, 1)))
            expected.insert(Link(src: (i + 1, 1), dst: (i, 2)))
        }
        #expect(discovery.topology.links == expected)
        #expect(discovery.topology.switches == [1, 2, 3, 4])
        #expect(ups.map(\.datapathID).sorted() == [1, 2, 3, 4])
        #expect(ups.first { $0.datapathID == 2 }?.ports.map(\.number).sorted() == [1, 2])
        #expect(ups.allSatisfy { $0.version == OpenFlowVersion.v13 && $0.tableCount == 8 })
    }

    @Test func lldpSeesACableGoDownThroughPortStatus() throws {
        let simulator = EventSimulator(seed: 3)
        let network = EmbeddedNetwork(clock: simulator)
        for i in 1...6 { try network.addSwitch("s\(i)") }
        for i in 1...6 { try network.addLink("s\(i)", "s\(i % 6 + 1)", options: .init(latency: .milliseconds(1))) }
        let controller = network.addController(apps: [LLDPDiscovery()])
        simulator.run(for: .seconds(2))
        #expect(controller.app(LLDPDiscovery.self)?.topology.links.count == 12)
        var downs: [Link] = []
        controller.onEvent = { event, _ in if case .linkDown(let link) = event { downs.append(link) } }
        try #require(network.links["s2-s3"]).setUp(false)
        simulator.run(for: .milliseconds(10))
        #expect(Set(downs) == [Link(src: (2, 2), dst: (3, 1)), Link(src: (3, 1), dst: (2, 2))])
        #expect(controller.app(LLDPDiscovery.self)?.topology.links.count == 10)
    }

    @Test func anAppsBarrierHoldsItsLaterMessagesUntilTheReply() throws {
        let simulator = EventSimulator()
        let network = EmbeddedNetwork(clock: simulator)
        let sw = try network.addSwitch("s1", options: .init(flowModDelay: .milliseconds(5)))
        var applied: [UInt64: NIODeadline] = [:]
        sw.onApply = { if case .flowMod(let mod) = $0.message { applied[mod.cookie] = $0.appliedAt } }
        network.addController(apps: [BarrierApp()], latency: .milliseconds(1))
        simulator.run(for: .seconds(1))
        let a = try #require(applied[0xA]), b = try #require(applied[0xB])
        // A applied; the reply takes 1 ms back, B 1 ms there and 5 ms to apply.
        #expect(b - a == .milliseconds(7))
        #expect(sw.datapath.flowCount == 2)
    }

    @Test func rawAPISeesEveryReplyWithItsXID() throws {
        let simulator = EventSimulator()
        let network = EmbeddedNetwork(clock: simulator)
        let sw = try network.addSwitch("s1")
        let controller = network.addController(latency: .milliseconds(2))
        var seen: [(OF13.Message, UInt32, NIODeadline)] = []
        controller.onSwitchMessage = { seen.append(($0.message, $0.xid, $0.receivedAt)) }
        simulator.run(for: .milliseconds(10))
        seen.removeAll()
        controller.send(.echoRequest(ByteBuffer(string: "x")), xid: 42, to: sw.datapathID)
        controller.send(.flowMod(OF13.FlowMod(tableID: 200)), xid: 43, to: sw.datapathID)
        controller.send(.barrierRequest, xid: 44, to: sw.datapathID)
        #expect(!controller.send(.barrierRequest, xid: 45, to: 999))
        simulator.run(for: .milliseconds(10))
        #expect(seen.map(\.1) == [42, 43, 44])
        #expect(seen.allSatisfy { $0.2 == .uptimeNanoseconds(14_000_000) })
        if case .error = seen[1].0 {} else { Issue.record("a flow-mod to table 200 of 8 should fail: \(seen[1].0)") }
        #expect(controller.errors.count == 1)
    }
}
