import NIOCore
import Substrate
import Testing

@Suite struct EventSimulatorTests {
    @Test func runsInTimeOrderAndTiesInSchedulingOrder() {
        let simulator = EventSimulator(seed: 1)
        var order: [String] = []
        simulator.schedule(after: .milliseconds(5)) { order.append("c") }
        simulator.schedule(after: .milliseconds(1)) { order.append("a") }
        simulator.schedule(after: .milliseconds(5)) { order.append("d") }
        simulator.schedule(after: .milliseconds(1)) {
            order.append("b")
            // Scheduled for now from inside an action: runs after the others due now.
            simulator.schedule(after: .zero) { order.append("b2") }
        }
        simulator.schedule(after: .milliseconds(1)) { order.append("b1") }
        simulator.runUntilIdle()
        #expect(order == ["a", "b", "b1", "b2", "c", "d"])
        #expect(simulator.now == .uptimeNanoseconds(5_000_000))
    }

    @Test func cancelledActionsDoNotRunAndRunUntilStopsAtTheDeadline() {
        let simulator = EventSimulator()
        var ran: [Int] = []
        let first = simulator.schedule(after: .milliseconds(1)) { ran.append(1) }
        simulator.schedule(after: .milliseconds(2)) { ran.append(2) }
        simulator.schedule(after: .milliseconds(3)) { ran.append(3) }
        simulator.cancel(first)
        simulator.run(until: .uptimeNanoseconds(2_500_000))
        #expect(ran == [2])
        #expect(simulator.now == .uptimeNanoseconds(2_500_000))
        #expect(simulator.pendingCount == 1)
        simulator.run(for: .seconds(1))
        #expect(ran == [2, 3])
    }

    @Test func randomStreamsDependOnSeedAndNameOnly() {
        var a = EventSimulator(seed: 9).randomStream("link x")
        var b = EventSimulator(seed: 9).randomStream("link x")
        var c = EventSimulator(seed: 10).randomStream("link x")
        var d = EventSimulator(seed: 9).randomStream("link y")
        let xa = (0..<8).map { _ in a.next() }
        #expect(xa == (0..<8).map { _ in b.next() })
        #expect(xa != (0..<8).map { _ in c.next() })
        #expect(xa != (0..<8).map { _ in d.next() })
        var unit = SeededRandom(seed: 3)
        let draws = (0..<10_000).map { _ in unit.nextUnit() }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 0.5) < 0.02)
    }
}
