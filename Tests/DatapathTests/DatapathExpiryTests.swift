import NIOCore
import OpenFlow
import Testing

@testable import Datapath

@Suite struct DatapathExpiryTests {
    @Test func hardTimeoutRemovesTheFlowWithFlowRemoved() throws {
        var dp = makeDatapath()
        dp.install(priority: 7, [.inPort(1)], [apply(output(2))], cookie: 0xC, hard: 10, flags: .sendFlowRemoved)
        #expect(dp.nextDeadline == at(10))
        #expect(dp.expire(now: at(9.999)).isEmpty)
        _ = dp.receive(packet: udpFrame(), inPort: 1, now: at(5))
        let outputs = dp.expire(now: at(10.25))
        let removed = try #require(outputs.flowRemoveds.first)
        #expect(removed.reason == .hardTimeout)
        #expect(removed.cookie == 0xC)
        #expect(removed.priority == 7)
        #expect(removed.hardTimeout == 10)
        #expect(removed.durationSec == 10 && removed.durationNsec == 250_000_000)
        #expect(removed.packetCount == 1)
        #expect(removed.match == OF13.Match([.inPort(1)]))
        #expect(dp.flowCount == 0)
        #expect(dp.nextDeadline == nil)
    }

    @Test func idleTimeoutIsPushedBackByTraffic() throws {
        var dp = makeDatapath()
        dp.install([.inPort(1)], [apply(output(2))], idle: 5, flags: .sendFlowRemoved)
        _ = dp.receive(packet: udpFrame(), inPort: 1, now: at(3))
        #expect(dp.nextDeadline == at(5))  // filed at install; may be early
        #expect(dp.expire(now: at(5)).isEmpty)
        #expect(dp.nextDeadline == at(8))
        let outputs = dp.expire(now: at(8))
        #expect(outputs.flowRemoveds.map(\.reason) == [.idleTimeout])
        #expect(outputs.flowRemoveds.first?.idleTimeout == 5)
        #expect(dp.flowCount == 0)
    }

    @Test func theEarlierTimeoutIsTheReason() {
        var dp = makeDatapath()
        dp.install(priority: 1, [.inPort(1)], [], idle: 3, hard: 20, flags: .sendFlowRemoved)
        dp.install(priority: 2, [.inPort(2)], [], idle: 30, hard: 4, flags: .sendFlowRemoved)
        let outputs = dp.expire(now: at(100))
        #expect(outputs.flowRemoveds.map(\.reason) == [.idleTimeout, .hardTimeout])
    }

    @Test func flowsWithoutTheFlagGoSilently() {
        var dp = makeDatapath()
        dp.install([.inPort(1)], [], hard: 1)
        #expect(dp.expire(now: at(2)).isEmpty)
        #expect(dp.flowCount == 0)
    }

    @Test func aReplacedOrDeletedFlowsOldTimerDoesNothing() {
        var dp = makeDatapath()
        dp.install([.inPort(1)], [], hard: 5, flags: .sendFlowRemoved)
        dp.install([.inPort(1)], [], hard: 50, flags: .sendFlowRemoved, now: at(1))
        #expect(dp.expire(now: at(10)).isEmpty)
        #expect(dp.flowCount == 1)
        #expect(dp.expire(now: at(51)).flowRemoveds.count == 1)
    }

    @Test func setAsyncCanSilenceFlowRemoved() {
        var dp = makeDatapath()
        _ = dp.send(.setAsync(OF13.AsyncConfig(packetInMask: [7, 0], portStatusMask: [7, 7], flowRemovedMask: [0b1101, 0])))
        dp.install([.inPort(1)], [], hard: 1, flags: .sendFlowRemoved)
        dp.install([.inPort(2)], [], idle: 1, flags: .sendFlowRemoved)
        #expect(dp.expire(now: at(2)).flowRemoveds.map(\.reason) == [.idleTimeout])
    }
}
