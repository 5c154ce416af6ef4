import NIOCore
import OpenFlow
import Testing

@testable import Migration

/// The executor against scripted switches on a fake clock.
@Suite struct FlowMigrationExecutorTests {
    typealias Action = FlowMigrationExecutor.Action

    /// What the executor asked for so far, and a fake network the FLOW_MODs are applied to
    /// as they are sent (switches that apply every message at once, in order).
    struct Harness {
        var executor: FlowMigrationExecutor
        var network: FakeNetwork
        var sent: [(dpid: UInt64, outgoing: FlowMigrationExecutor.Outgoing)] = []
        var report: FlowMigrationReport?
        let request: FlowMigrationRequest

        init(_ algorithm: FlowMigrationAlgorithm, flows: Int = 1, options: FlowMigrationPlanner.Options = .init(),
             configuration: FlowMigrationExecutor.Configuration = .init()) throws {
            request = FlowMigrationRequest(flows: udpFlows(flows), oldPath: diamondOld, newPath: diamondNew)
            let plan = try FlowMigrationPlanner.plan(request, algorithm: algorithm, options: options)
            executor = FlowMigrationExecutor(plan: plan, configuration: configuration)
            network = FakeNetwork(paths: [diamondOld, diamondNew])
            network.install(request, path: diamondOld)
        }

        mutating func take(_ actions: [Action]) {
            for action in actions {
                switch action {
                case .send(let dpid, let messages):
                    for outgoing in messages {
                        sent.append((dpid, outgoing))
                        if case .flowMod(let flowMod) = outgoing.message { network.apply(flowMod, at: dpid) }
                    }
                case .finished(let report):
                    #expect(self.report == nil, "finished twice")
                    self.report = report
                }
            }
        }

        /// Barriers sent and not answered yet, oldest first.
        var pendingBarriers: [(dpid: UInt64, xid: UInt32)] {
            sent.filter { $0.outgoing.isBarrier && !answered.contains($0.outgoing.xid) }.map { ($0.dpid, $0.outgoing.xid) }
        }
        var answered: Set<UInt32> = []

        /// Answers every pending barrier at `now`.
        mutating func answerAll(at now: NIODeadline) {
            for (dpid, xid) in pendingBarriers {
                answered.insert(xid)
                take(executor.barrierReplied(datapathID: dpid, xid: xid, now: now))
            }
        }

        var flowModCommands: [OF13.FlowMod.Command] {
            sent.compactMap { if case .flowMod(let f) = $0.outgoing.message { f.command } else { nil } }
        }
    }

    @Test func consistentWaitsForEveryBarrierAndTheDrainThenReportsTimes() throws {
        var h = try Harness(.consistent, options: .init(drainInterval: .milliseconds(10)))
        h.take(h.executor.start(now: at(0)))
        // Adds to s3, s4, s1 each followed by a barrier; nothing else yet.
        #expect(h.flowModCommands == [.add, .add, .add, .add])
        #expect(Set(h.pendingBarriers.map(\.dpid)) == [3, 4, 1])
        #expect(h.network.deliversEverything(h.request))
        // Two of three switches answer: still waiting.
        let first = h.pendingBarriers
        h.answered.insert(first[0].xid)
        h.take(h.executor.barrierReplied(datapathID: first[0].dpid, xid: first[0].xid, now: at(0.2)))
        #expect(h.flowModCommands.count == 4)
        h.answerAll(at: at(0.3))
        #expect(h.flowModCommands.suffix(2) == [.modifyStrict, .modifyStrict])
        #expect(h.network.deliversEverything(h.request))
        h.answerAll(at: at(0.5))
        // Redirection confirmed: the deletes wait for the drain interval.
        #expect(h.flowModCommands.count == 6)
        #expect(h.executor.nextDeadline == at(10.5))
        h.take(h.executor.timerFired(now: at(10.5)))
        #expect(h.flowModCommands.suffix(4) == [.deleteStrict, .deleteStrict, .deleteStrict, .deleteStrict])
        #expect(h.report == nil)
        h.answerAll(at: at(10.9))
        let report = try #require(h.report)
        #expect(report.outcome == .completed)
        #expect(report.confirmedMilliseconds == 10.9)
        #expect(report.flowMods == 10)
        #expect(report.phases.map(\.name) == ["add", "modify", "delete"])
        #expect(report.phases.map(\.sentMilliseconds) == [0, 0.3, 10.5])
        #expect(report.phases.map(\.doneMilliseconds) == [0.3, 0.5, 10.9])
        // The tables now hold exactly the new path.
        var expected = FakeNetwork(paths: [diamondOld, diamondNew])
        expected.install(h.request, path: diamondNew)
        #expect(h.network.snapshot == expected.snapshot)
        #expect(h.executor.isFinished && h.executor.nextDeadline == nil)
    }

    @Test func paperSendsEverythingAtOnceInFigure3OrderThenOneBarrierPerSwitch() throws {
        var h = try Harness(.paper)
        h.take(h.executor.start(now: at(0)))
        #expect(h.flowModCommands == [.add, .add, .add, .add, .modifyStrict, .modifyStrict, .deleteStrict, .deleteStrict, .deleteStrict, .deleteStrict])
        // The barriers come after every FLOW_MOD and only time the confirmation.
        let lastFlowMod = h.sent.lastIndex { !$0.outgoing.isBarrier }!
        #expect(h.sent.firstIndex { $0.outgoing.isBarrier }! > lastFlowMod)
        #expect(Set(h.pendingBarriers.map(\.dpid)) == [1, 2, 3, 4])
        h.answerAll(at: at(0.8))
        #expect(h.report?.outcome == .completed)
        #expect(h.report?.confirmedMilliseconds == 0.8)
        #expect(h.report?.phases.allSatisfy { $0.sentMilliseconds == 0 } == true)
    }

    @Test func anErrorRollsBackAndTheOldPathCarriesTheTrafficAgain() throws {
        var h = try Harness(.consistent, configuration: .init(rollbackDrain: .milliseconds(5)))
        let original = h.network.snapshot
        h.take(h.executor.start(now: at(0)))
        h.answerAll(at: at(0.2))
        // s4 refuses its redirection (the reverse direction's divergence switch).
        let refused = try #require(h.sent.last { $0.dpid == 4 && !$0.outgoing.isBarrier })
        let error = OF13.ErrorMessage(type: .flowModFailed, code: 0)
        let sentBefore = h.sent.count
        h.take(h.executor.errorReceived(datapathID: 4, xid: refused.outgoing.xid, error: error, now: at(0.3)))
        // Undo the redirections first (ADD with the old output on s1 and s4), confirmed.
        let undo = h.sent[sentBefore...].compactMap { item -> String? in
            if case .flowMod(let f) = item.outgoing.message { "\(f.command) s\(item.dpid)" } else { nil }
        }
        #expect(undo == ["ADD s1", "ADD s4"], "\(undo)")
        #expect(h.network.deliversEverything(h.request))
        let countBefore = h.flowModCommands.count
        h.answerAll(at: at(0.4))
        // The new entries go only after the rollback drain.
        #expect(h.flowModCommands.count == countBefore)
        #expect(h.executor.nextDeadline == at(5.4))
        h.take(h.executor.timerFired(now: at(5.4)))
        #expect(h.flowModCommands.suffix(4).allSatisfy { $0 == .deleteStrict })
        h.answerAll(at: at(5.6))
        let report = try #require(h.report)
        #expect(report.outcome == .rolledBack)
        #expect(report.reason?.contains("OFPT_ERROR") == true)
        #expect(report.confirmedMilliseconds == nil)
        #expect(report.rollbackPhases.map(\.name) == ["modify", "add"])
        #expect(h.network.snapshot == original)
    }

    @Test func aSilentSwitchTimesOutAndIsRolledBack() throws {
        var h = try Harness(.consistent, configuration: .init(barrierTimeout: .milliseconds(50)))
        let original = h.network.snapshot
        h.take(h.executor.start(now: at(0)))
        // s3 and s4 answer, s1 does not.
        for (dpid, xid) in h.pendingBarriers where dpid != 1 {
            h.answered.insert(xid)
            h.take(h.executor.barrierReplied(datapathID: dpid, xid: xid, now: at(1)))
        }
        #expect(h.executor.nextDeadline == at(50))
        h.take(h.executor.timerFired(now: at(49.9)))
        #expect(h.report == nil)
        h.take(h.executor.timerFired(now: at(50)))
        // A late reply from the silent switch changes nothing now.
        let stale = h.pendingBarriers.first { $0.dpid == 1 }!
        _ = h.executor.barrierReplied(datapathID: 1, xid: stale.xid, now: at(51))
        h.answered.insert(stale.xid)
        h.answerAll(at: at(52))
        h.take(h.executor.timerFired(now: at(100)))
        h.answerAll(at: at(101))
        let report = try #require(h.report)
        #expect(report.outcome == .rolledBack)
        #expect(report.reason?.contains("did not answer") == true)
        #expect(h.network.snapshot == original)
    }

    @Test func aRollbackThatIsNotConfirmedIsReportedAsFailed() throws {
        var h = try Harness(.consistent, configuration: .init(barrierTimeout: .milliseconds(50)))
        h.take(h.executor.start(now: at(0)))
        h.take(h.executor.timerFired(now: at(50)))
        #expect(h.report == nil)
        // The rollback goes after its drain; its barriers are not answered either.
        h.take(h.executor.timerFired(now: at(70)))
        #expect(h.report == nil)
        #expect(h.executor.nextDeadline == at(120))
        h.take(h.executor.timerFired(now: at(120)))
        #expect(h.report?.outcome == .rollbackFailed)
        #expect(h.report?.reason?.contains("rollback:") == true)
    }

    @Test func aLostSwitchRollsBackAndStrangersAreIgnored() throws {
        var h = try Harness(.consistent)
        h.take(h.executor.start(now: at(0)))
        // An error about a message that is not ours, and a switch not involved: nothing.
        #expect(h.executor.errorReceived(datapathID: 1, xid: 7, error: .init(type: .badRequest, code: 0), now: at(0.1)).isEmpty)
        #expect(h.executor.connectionLost(datapathID: 99, now: at(0.1)).isEmpty)
        h.take(h.executor.connectionLost(datapathID: 3, now: at(0.2)))
        #expect(h.report == nil)
        h.answerAll(at: at(0.3))
        h.take(h.executor.timerFired(now: at(30)))
        h.answerAll(at: at(31))
        #expect(h.report?.outcome == .rolledBack)
        #expect(h.report?.reason?.contains("switch 3") == true)
    }

    @Test func bulkPipelinesTheBatches() throws {
        var h = try Harness(.bulk, flows: 2500, options: .init(drainInterval: .milliseconds(1), batchSize: 1000))
        h.take(h.executor.start(now: at(0)))
        // Batch 0's adds first, each switch's share followed by its barrier.
        #expect(h.flowModCommands.count == 1000 * 4)
        #expect(h.flowModCommands.allSatisfy { $0 == .add })
        #expect(h.pendingBarriers.count == 3)
        // Once they are confirmed, batch 0's redirections and batch 1's adds go together.
        h.answerAll(at: at(1))
        #expect(h.flowModCommands.count == 1000 * 4 + 1000 * 2 + 1000 * 4)
        #expect(h.flowModCommands.suffix(6000).filter { $0 == .modifyStrict }.count == 2000)
        var now = 2.0
        while h.report == nil, now < 100 {
            h.answerAll(at: at(now))
            h.take(h.executor.timerFired(now: at(now + 1)))
            now += 2
        }
        let report = try #require(h.report)
        #expect(report.outcome == .completed)
        #expect(report.flowMods == 25_000)
        #expect(report.phases.count == 9)
        var expected = FakeNetwork(paths: [diamondOld, diamondNew])
        expected.install(h.request, path: diamondNew)
        #expect(h.network.snapshot == expected.snapshot)
    }

    @Test func deleteFirstLosesTheOldPathForTheGap() throws {
        var h = try Harness(.deleteFirst, options: .init(drainInterval: .milliseconds(20)))
        h.take(h.executor.start(now: at(0)))
        #expect(h.flowModCommands.allSatisfy { $0 == .deleteStrict })
        #expect(!h.network.deliversEverything(h.request))
        h.answerAll(at: at(0.2))
        #expect(h.executor.nextDeadline == at(20.2))
        h.take(h.executor.timerFired(now: at(20.2)))
        h.answerAll(at: at(20.4))
        h.answerAll(at: at(20.6))
        #expect(h.report?.outcome == .completed)
        #expect(h.network.deliversEverything(h.request))
    }

    @Test func xidsStartHighAndAreUnique() throws {
        var h = try Harness(.paper, flows: 3)
        h.take(h.executor.start(now: at(0)))
        let xids = h.sent.map(\.outgoing.xid)
        #expect(Set(xids).count == xids.count)
        #expect(xids.allSatisfy { $0 >= 0xF100_0000 })
    }
}

extension FlowMigrationExecutorTests {
    @Test func severalErrorsRollBackOnce() throws {
        var h = try Harness(.paper)
        let original = h.network.snapshot
        h.take(h.executor.start(now: at(0)))
        let flowMods = h.sent.filter { !$0.outgoing.isBarrier }
        let error = OF13.ErrorMessage(type: .badAction, code: 4)
        h.take(h.executor.errorReceived(datapathID: flowMods[0].dpid, xid: flowMods[0].outgoing.xid, error: error, now: at(0.1)))
        let afterFirst = h.sent.count
        h.take(h.executor.errorReceived(datapathID: flowMods[1].dpid, xid: flowMods[1].outgoing.xid, error: error, now: at(0.2)))
        #expect(h.sent.count == afterFirst)
        // Paper sent every phase: deleted entries come back, then s1, then (after the drain) the new entries go.
        for round in 0..<3 {
            h.answerAll(at: at(1 + 40 * Double(round)))
            h.take(h.executor.timerFired(now: at(30 + 40 * Double(round))))
        }
        h.answerAll(at: at(200))
        #expect(h.report?.outcome == .rolledBack)
        #expect(h.report?.rollbackPhases.map(\.name) == ["delete", "modify", "add"])
        #expect(h.network.snapshot == original)
    }
}
