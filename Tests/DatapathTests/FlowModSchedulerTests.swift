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

/// The knobs of issue #4: processing-delay jitter and reordering as a probability.
@Suite struct FlowModSchedulerKnobTests {
    func arrivals(_ count: Int, barriers: Set<Int> = []) -> [(message: OF13.Message, xid: UInt32, arrival: NIODeadline)] {
        (0..<count).map { i in
            (barriers.contains(i) ? .barrierRequest : flowModMessage(priority: UInt16(i), [.inPort(1)], []), UInt32(i), t0)
        }
    }

    /// How many messages were applied at another position than they were sent.
    func displaced(_ applied: [FlowModScheduler.Applied]) -> Int {
        applied.enumerated().filter { Int($0.element.xid) != $0.offset }.count
    }

    @Test func jitterAddsASeededDelayWithinItsBound() {
        let policy = FlowModScheduler.Policy(
            modificationDelay: .microseconds(100), modificationJitter: .microseconds(50), seed: 9)
        let applied = FlowModScheduler.schedule(arrivals(200), policy: policy)
        #expect(applied.map(\.xid) == (0..<200).map(UInt32.init), "jitter alone never reorders")
        var previous = t0
        var durations: [Int64] = []
        for message in applied {
            durations.append((message.appliedAt - previous).nanoseconds)
            previous = message.appliedAt
        }
        #expect(durations.allSatisfy { (100_000...150_000).contains($0) }, "\(durations.min()!)...\(durations.max()!)")
        #expect(Set(durations).count > 100, "the delays vary")
        let mean = Double(durations.reduce(0, +)) / Double(durations.count)
        #expect(abs(mean - 125_000) < 5_000, "uniform in 0...50 µs: mean \(mean) ns")
        #expect(FlowModScheduler.schedule(arrivals(200), policy: policy) == applied, "one seed, one schedule")
        var other = policy
        other.seed = 10
        #expect(FlowModScheduler.schedule(arrivals(200), policy: other).map(\.appliedAt) != applied.map(\.appliedAt))
    }

    @Test func jitterIsNotAppliedToBarriers() {
        let policy = FlowModScheduler.Policy(modificationJitter: .milliseconds(1), seed: 3)
        let applied = FlowModScheduler.schedule(arrivals(3, barriers: [0, 1, 2]), policy: policy)
        #expect(applied.map(\.appliedAt) == [t0, t0, t0])
    }

    @Test func reorderProbabilityZeroKeepsTheOrder() {
        let policy = FlowModScheduler.Policy(
            modificationDelay: .microseconds(10), reorderProbability: 0, window: .milliseconds(1), seed: 4)
        #expect(!policy.reorders)
        #expect(displaced(FlowModScheduler.schedule(arrivals(100), policy: policy)) == 0)
    }

    @Test func reorderProbabilityScalesHowMuchIsReordered() {
        func displacedCount(_ probability: Double) -> Int {
            (1...5).map { seed in
                let policy = FlowModScheduler.Policy(
                    modificationDelay: .microseconds(10), reorderProbability: probability, window: .milliseconds(1),
                    seed: UInt64(seed))
                return displaced(FlowModScheduler.schedule(arrivals(100, barriers: [50]), policy: policy))
            }.reduce(0, +)
        }
        let low = displacedCount(0.05), middle = displacedCount(0.3), full = displacedCount(1)
        #expect(low > 0, "5 % still reorders something in 500 choices")
        #expect(low < middle && middle < full, "\(low) < \(middle) < \(full)")
    }

    @Test(arguments: [0.1, 0.5] as [Double])
    func aProbabilityNeverCrossesABarrierAndIsDeterministic(probability: Double) {
        let policy = FlowModScheduler.Policy(
            modificationDelay: .microseconds(20), modificationJitter: .microseconds(20), reorderProbability: probability,
            window: .milliseconds(1), seed: 77)
        let applied = FlowModScheduler.schedule(arrivals(60, barriers: [20, 40]), policy: policy)
        let position = Dictionary(uniqueKeysWithValues: applied.map(\.xid).enumerated().map { (Int($1), $0) })
        #expect(position.count == 60)
        for barrier in [20, 40] {
            for i in 0..<barrier { #expect(position[i]! < position[barrier]!) }
            for i in barrier + 1..<60 { #expect(position[i]! > position[barrier]!) }
        }
        #expect(FlowModScheduler.schedule(arrivals(60, barriers: [20, 40]), policy: policy) == applied)
    }

    @Test func probabilityIsClampedAndReordersMirrorsIt() {
        #expect(FlowModScheduler.Policy(reorderProbability: 3).reorderProbability == 1)
        #expect(FlowModScheduler.Policy(reorderProbability: -1).reorderProbability == 0)
        #expect(FlowModScheduler.Policy(reorderProbability: .nan).reorderProbability == 0)
        #expect(FlowModScheduler.Policy(reorders: true).reorderProbability == 1)
        var policy = FlowModScheduler.Policy(reorderProbability: 0.25)
        #expect(policy.reorders)
        policy.reorders = false
        #expect(policy.reorderProbability == 0)
    }

    @Test func aLargeInOrderBacklogIsServedInOrder() {
        // 20,000 messages queued at once (a bulk migration's share of one switch).
        let applied = FlowModScheduler.schedule(arrivals(20_000), policy: .init(modificationDelay: .microseconds(1)))
        #expect(applied.count == 20_000)
        #expect(applied.map(\.xid) == (0..<20_000).map(UInt32.init))
        #expect(applied.last?.appliedAt == t0 + .microseconds(20_000))
    }
}
