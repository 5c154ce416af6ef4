import Datapath
import NIOCore
import OpenFlow
import Substrate
import Testing

@Suite struct EmbeddedSwitchTests {
    /// 10 FLOW_MODs, a barrier, 10 more, a barrier, all sent at once; returns the xids in the
    /// order the switch applied them and when each barrier reply arrived.
    func applicationOrder(options: EmbeddedSwitch.Options, seed: UInt64) throws -> (
        applied: [UInt32], replies: [UInt32: NIODeadline], flowCount: Int
    ) {
        let simulator = EventSimulator(seed: seed)
        let network = EmbeddedNetwork(clock: simulator)
        let sw = try network.addSwitch("s1", options: options)
        let controller = network.addController(latency: .milliseconds(1))
        simulator.run(for: .milliseconds(10))
        var applied: [UInt32] = []
        sw.onApply = { if $0.xid < 100 { applied.append($0.xid) } }
        var replies: [UInt32: NIODeadline] = [:]
        controller.onSwitchMessage = { if case .barrierReply = $0.message { replies[$0.xid] = $0.receivedAt } }
        for xid in UInt32(1)...22 {
            let message: OF13.Message
            if xid == 11 || xid == 22 {
                message = .barrierRequest
            } else {
                message = .flowMod(
                    OF13.FlowMod(
                        priority: UInt16(xid), match: .ordered([.inPort(xid)]),
                        instructions: [.applyActions([.output(port: 1, maxLength: 0)])]))
            }
            controller.send(message, xid: xid, to: sw.datapathID)
        }
        simulator.run(for: .seconds(1))
        return (applied, replies, sw.datapath.flowCount)
    }

    @Test func inOrderWithoutReordering() throws {
        let result = try applicationOrder(options: .init(flowModDelay: .milliseconds(1)), seed: 1)
        #expect(result.applied == Array(1...22))
        #expect(result.flowCount == 20)
        // Sent at 10 ms, arrive at 11 ms; 10 flow-mods of 1 ms each, reply 1 ms back.
        #expect(result.replies[11] == .uptimeNanoseconds(22_000_000))
        #expect(result.replies[22] == .uptimeNanoseconds(32_000_000))
    }

    @Test func reorderUnconfirmedReordersBetweenBarriersButNeverAcrossThem() throws {
        let options = EmbeddedSwitch.Options(flowModDelay: .milliseconds(1), reorderUnconfirmed: true)
        let result = try applicationOrder(options: options, seed: 7)
        #expect(result.flowCount == 20)
        let firstBarrier = try #require(result.applied.firstIndex(of: 11))
        let secondBarrier = try #require(result.applied.firstIndex(of: 22))
        #expect(Set(result.applied[..<firstBarrier]) == Set(1...10))
        #expect(Set(result.applied[(firstBarrier + 1)..<secondBarrier]) == Set(12...21))
        #expect(secondBarrier == 21)
        // Observably out of order within each batch.
        #expect(Array(result.applied[..<firstBarrier]) != Array(1...10))
        #expect(Array(result.applied[(firstBarrier + 1)..<secondBarrier]) != Array(12...21))
        // The same seed reorders the same way; another seed differently.
        #expect(try applicationOrder(options: options, seed: 7).applied == result.applied)
        #expect(try applicationOrder(options: options, seed: 8).applied != result.applied)
        // A barrier's reply still comes only after everything before it is applied.
        #expect(result.replies[11] == .uptimeNanoseconds(22_000_000))
    }

    @Test func jitterAndAReorderProbabilityAreSeededPerSwitch() throws {
        let options = EmbeddedSwitch.Options(
            flowModDelay: .milliseconds(1), flowModJitter: .microseconds(500), reorderProbability: 0.5)
        #expect(options.reorderUnconfirmed)
        let result = try applicationOrder(options: options, seed: 11)
        #expect(result.flowCount == 20)
        let firstBarrier = try #require(result.applied.firstIndex(of: 11))
        #expect(Set(result.applied[..<firstBarrier]) == Set(1...10))
        #expect(result.applied != Array(1...22), "half the choices drawn: something reorders")
        // Ten flow-mods of 1 to 1.5 ms each after arriving at 11 ms, the reply 1 ms back.
        let reply = try #require(result.replies[11])
        #expect(reply > .uptimeNanoseconds(22_000_000) && reply <= .uptimeNanoseconds(27_000_000), "\(reply)")
        let again = try applicationOrder(options: options, seed: 11)
        #expect(again.applied == result.applied && again.replies == result.replies)
        let other = try applicationOrder(options: options, seed: 12)
        #expect(other.applied != result.applied || other.replies != result.replies)
    }

    @Test func reorderProbabilityZeroWithJitterKeepsTheOrder() throws {
        let options = EmbeddedSwitch.Options(flowModDelay: .milliseconds(1), flowModJitter: .milliseconds(1), reorderProbability: 0)
        #expect(!options.reorderUnconfirmed)
        let result = try applicationOrder(options: options, seed: 5)
        #expect(result.applied == Array(1...22))
    }

    @Test func flowTimeoutsExpireOnTheClockAndReportFlowRemoved() throws {
        let simulator = EventSimulator()
        let network = EmbeddedNetwork(clock: simulator)
        let sw = try network.addSwitch("s1")
        let controller = network.addController()
        var removedAt: NIODeadline?
        controller.onSwitchMessage = { if case .flowRemoved = $0.message { removedAt = $0.receivedAt } }
        controller.send(
            .flowMod(OF13.FlowMod(hardTimeout: 2, priority: 1, flags: .sendFlowRemoved, match: .all, instructions: [])),
            xid: 1, to: sw.datapathID)
        simulator.run(for: .seconds(1))
        #expect(sw.datapath.flowCount == 1)
        simulator.run(for: .seconds(2))
        #expect(sw.datapath.flowCount == 0)
        #expect(removedAt == .uptimeNanoseconds(2_000_000_000))
    }
}
