import NIOCore
import OpenFlow
import Testing

@testable import Datapath

@Suite struct FlowModSchedulerTests {
    /// Flow-mods numbered by xid, with barriers at the given positions, all arriving at t0
    /// one microsecond apart.
    func arrivals(_ count: Int, barriers: Set<Int> = []) -> [(message: OF13.Message, xid: UInt32, arrival: NIODeadline)] {
        (0..<count).map { i in
            (barriers.contains(i) ? .barrierRequest : flowModMessage(priority: UInt16(i), [.inPort(1)], []),
                UInt32(i), t0 + .microseconds(Int64(i)))
        }
    }

    @Test func immediatePolicyAppliesEverythingInOrderOnArrival() {
        let applied = FlowModScheduler.schedule(arrivals(5), policy: .immediate)
        #expect(applied.map(\.xid) == [0, 1, 2, 3, 4])
        #expect(applied.map(\.appliedAt) == applied.map(\.arrival))
    }

    @Test func processingDelayQueuesModifications() {
        let policy = FlowModScheduler.Policy(modificationDelay: .milliseconds(2))
        let applied = FlowModScheduler.schedule(arrivals(3), policy: policy)
        #expect(applied.map(\.xid) == [0, 1, 2])
        #expect(applied.map(\.appliedAt) == [t0 + .milliseconds(2), t0 + .milliseconds(4), t0 + .milliseconds(6)])
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func reorderingNeverCrossesABarrier(seed: UInt64) {
        let policy = FlowModScheduler.Policy(
            modificationDelay: .microseconds(100), reorders: true, window: .milliseconds(1), seed: seed)
        let barriers: Set<Int> = [10, 25]
        let applied = FlowModScheduler.schedule(arrivals(40, barriers: barriers), policy: policy)
        let order = applied.map { Int($0.xid) }
        #expect(order.sorted() == Array(0..<40))
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for barrier in barriers {
            for i in 0..<barrier { #expect(position[i]! < position[barrier]!) }
            for i in barrier + 1..<40 { #expect(position[i]! > position[barrier]!) }
        }
        #expect(order != Array(0..<40), "with a window and a delay, something reorders")
        // Applied times never go backwards and never precede arrival.
        #expect(zip(applied, applied.dropFirst()).allSatisfy { $0.appliedAt <= $1.appliedAt })
        #expect(applied.allSatisfy { $0.appliedAt >= $0.arrival })
    }

    @Test func oneSeedOneSchedule() {
        let policy = FlowModScheduler.Policy(modificationDelay: .microseconds(50), reorders: true, window: .milliseconds(1), seed: 42)
        #expect(FlowModScheduler.schedule(arrivals(30), policy: policy) == FlowModScheduler.schedule(arrivals(30), policy: policy))
        var other = policy
        other.seed = 43
        #expect(FlowModScheduler.schedule(arrivals(30), policy: policy).map(\.xid) != FlowModScheduler.schedule(arrivals(30), policy: other).map(\.xid))
    }

    @Test func incrementalDrivingWithNextDeadline() {
        var scheduler = FlowModScheduler(policy: FlowModScheduler.Policy(modificationDelay: .seconds(1)))
        scheduler.submit(flowModMessage([], []), xid: 1, arrival: t0)
        scheduler.submit(.echoRequest(ByteBuffer()), xid: 2, arrival: t0)
        #expect(scheduler.due(now: t0).isEmpty)
        #expect(scheduler.nextDeadline == at(1))
        #expect(scheduler.due(now: at(1)).map(\.xid) == [1, 2])  // the echo costs nothing
        #expect(scheduler.nextDeadline == nil)
        #expect(scheduler.backlog == 0)
    }

    @Test func drivingADatapathThroughTheScheduler() {
        // A delete overtaking its add (no barrier between) leaves the flow installed.
        var dp = makeDatapath()
        let add = flowModMessage([.inPort(1)], [apply(output(2))])
        let delete = flowModMessage(command: .delete, [.inPort(1)])
        for seed: UInt64 in 0..<20 {
            let policy = FlowModScheduler.Policy(reorders: true, window: .milliseconds(1), seed: seed)
            let applied = FlowModScheduler.schedule([(add, 1, t0), (delete, 2, t0)], policy: policy)
            var copy = dp
            for message in applied { _ = copy.handle(message.message, xid: message.xid, now: message.appliedAt) }
            #expect(copy.flowCount == (applied.map(\.xid) == [1, 2] ? 0 : 1))
        }
        _ = dp.handle(add, xid: 1, now: t0)
        #expect(dp.flowCount == 1)
    }
}
