import Controller
import NIOCore
import OpenFlow
import Testing

@testable import Migration

@Suite struct FlowMigrationPlannerTests {
    typealias Kind = FlowMigrationChange.Kind

    /// (kind, dpid, in port, old output, new output, direction) of each change of a step.
    func summary(_ step: FlowMigrationStep) -> [String] {
        step.changes.map { change in
            let inPort = change.match.fields.compactMap { field -> UInt32? in
                if case .inPort(let port, _) = field { return port }
                return nil
            }.first ?? 0
            return "\(change.kind) s\(change.datapathID) in\(inPort) \(change.oldOutput.map(String.init) ?? "-")>\(change.newOutput.map(String.init) ?? "-") \(change.direction)"
        }
    }

    @Test func paperIsFigure3InOrderAndUnconfirmed() throws {
        let request = FlowMigrationRequest(flows: udpFlows(1, bothWays: false), oldPath: diamondOld, newPath: diamondNew)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: .paper)
        #expect(plan.steps.map(\.kind) == [.add, .modify, .delete])
        #expect(plan.steps.allSatisfy { !$0.confirmed && $0.delay == .zero })
        #expect(plan.steps.map(\.dependencies) == [[], [0], [1]])
        #expect(plan.confirmAtEnd)
        // New entries on every switch of the new path but the divergence switch s1 (s4 gets
        // one for its new in port), then s1 redirected, then the old path's entries deleted.
        #expect(summary(plan.steps[0]) == ["add s3 in1 ->2 forward", "add s4 in3 ->1 forward"])
        #expect(summary(plan.steps[1]) == ["modify s1 in1 2>3 forward"])
        #expect(summary(plan.steps[2]) == ["delete s2 in1 2>- forward", "delete s4 in2 1>- forward"])
        #expect(plan.steps[1].changes[0].flowMod.command == .modifyStrict)
        #expect(plan.steps[2].changes.allSatisfy { $0.flowMod.command == .deleteStrict })
        #expect(plan.flowModCount == 5)
    }

    @Test func consistentConfirmsEveryPhaseAndDrainsBeforeDeleting() throws {
        let request = FlowMigrationRequest(flows: udpFlows(1), oldPath: diamondOld, newPath: diamondNew)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: .consistent, options: .init(drainInterval: .milliseconds(7)))
        #expect(plan.steps.map(\.kind) == [.add, .modify, .delete])
        #expect(plan.steps.allSatisfy { $0.confirmed })
        #expect(plan.steps.map(\.delay) == [.zero, .zero, .milliseconds(7)])
        #expect(!plan.confirmAtEnd)
        // Both directions: the reverse direction diverges at s4 and rejoins at s1.
        #expect(Set(summary(plan.steps[0])) == [
            "add s3 in1 ->2 forward", "add s4 in3 ->1 forward", "add s3 in2 ->1 reverse", "add s1 in3 ->1 reverse",
        ])
        #expect(Set(summary(plan.steps[1])) == ["modify s1 in1 2>3 forward", "modify s4 in1 2>3 reverse"])
        #expect(Set(summary(plan.steps[2])) == [
            "delete s2 in1 2>- forward", "delete s4 in2 1>- forward", "delete s2 in2 1>- reverse", "delete s1 in2 1>- reverse",
        ])
        // One switch's changes go out together.
        let order = plan.steps[0].changes.map(\.datapathID)
        #expect(order == order.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! })
    }

    @Test func sharedPrefixAndSuffixAreLeftAlone() throws {
        // s1 and s4 are on both paths with the same ports; s2 diverges, s3 is where they rejoin.
        let old = path([(1, 1, 2), (2, 1, 2), (3, 1, 2), (4, 1, 9)])
        let new = path([(1, 1, 2), (2, 1, 3), (5, 1, 2), (3, 3, 2), (4, 1, 9)])
        let request = FlowMigrationRequest(flows: udpFlows(1, bothWays: false), oldPath: old, newPath: new)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: .paper)
        #expect(summary(plan.steps[0]) == ["add s5 in1 ->2 forward", "add s3 in3 ->2 forward"])
        #expect(summary(plan.steps[1]) == ["modify s2 in1 2>3 forward"])
        #expect(summary(plan.steps[2]) == ["delete s3 in1 2>- forward"])
        #expect(!plan.datapathIDs.contains(1) && !plan.datapathIDs.contains(4))
    }

    @Test func pathsThatDivergeAndRejoinTwice() throws {
        // 1 → 2 → 3 → 4 → 5 → 6 becomes 1 → 7 → 3 → 4 → 8 → 6: divergences at 1 and 4.
        let old = path([(1, 1, 2), (2, 1, 2), (3, 1, 2), (4, 1, 2), (5, 1, 2), (6, 1, 9)])
        let new = path([(1, 1, 3), (7, 1, 2), (3, 3, 2), (4, 1, 3), (8, 1, 2), (6, 3, 9)])
        let request = FlowMigrationRequest(flows: udpFlows(2), oldPath: old, newPath: new)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: .consistent)
        #expect(plan.steps.map(\.kind) == [.add, .modify, .delete])
        let forwardModifies = plan.steps[1].changes.filter { $0.direction == .forward && $0.flow == 0 }
        #expect(Set(forwardModifies.map(\.datapathID)) == [1, 4])
        let forwardAdds = plan.steps[0].changes.filter { $0.direction == .forward && $0.flow == 0 }
        #expect(Set(forwardAdds.map(\.datapathID)) == [7, 3, 8, 6])
        let reverseModifies = plan.steps[1].changes.filter { $0.direction == .reverse && $0.flow == 0 }
        #expect(Set(reverseModifies.map(\.datapathID)) == [6, 3])
        try expectConsistent(plan, request)
    }

    @Test func crossingPathsAreRedirectedOneSwitchAtATimeInALoopFreeOrder() throws {
        // Old S(1) N0(2) X(3) M(4) N1(5) Y(6) T(9); new S N1 Y N0 X T. Redirecting Y while X
        // still uses its old entry would loop X → M → N1 → Y → N0 → X.
        let old = path([(1, 1, 2), (2, 1, 2), (3, 1, 2), (4, 1, 2), (5, 1, 2), (6, 1, 2), (9, 1, 7)])
        let new = path([(1, 1, 3), (5, 3, 2), (6, 1, 3), (2, 3, 2), (3, 1, 3), (9, 3, 7)])
        let request = FlowMigrationRequest(flows: udpFlows(1, bothWays: false), oldPath: old, newPath: new)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: .consistent)
        let modifies = plan.steps.filter { $0.kind == .modify }
        #expect(modifies.count == 3)
        #expect(modifies.allSatisfy { $0.changes.count == 1 })
        let order = modifies.map { $0.changes[0].datapathID }
        #expect(order.firstIndex(of: 3)! < order.firstIndex(of: 6)!, "X before Y: \(order)")
        try expectConsistent(plan, request)
    }

    @Test func bulkBatchesFlowsAndChainsEachBatchsPhases() throws {
        let request = FlowMigrationRequest(flows: udpFlows(250), oldPath: diamondOld, newPath: diamondNew)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: .bulk, options: .init(batchSize: 100))
        #expect(plan.steps.map(\.name) == ["add", "modify", "delete", "add#1", "modify#1", "delete#1", "add#2", "modify#2", "delete#2"])
        #expect(plan.steps.map(\.dependencies) == [[], [0], [1], [0], [3], [4], [3], [6], [7]])
        #expect(plan.steps[6].changes.count == 50 * 4)
        #expect(plan.flowModCount == 250 * 10)
        #expect(plan.steps.allSatisfy { $0.confirmed })
        // Each step's changes are grouped by switch.
        for step in plan.steps {
            let switches = step.changes.map(\.datapathID)
            var runs = 0
            for (a, b) in zip(switches, switches.dropFirst()) where a != b { runs += 1 }
            #expect(runs + 1 == Set(switches).count)
        }
        try expectConsistent(plan, request)
    }

    @Test func deleteFirstRemovesTheOldPathBeforeInstallingTheNew() throws {
        let request = FlowMigrationRequest(flows: udpFlows(1), oldPath: diamondOld, newPath: diamondNew)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: .deleteFirst, options: .init(drainInterval: .milliseconds(30)))
        #expect(plan.steps.map(\.kind) == [.delete, .add, .modify])
        #expect(plan.steps[1].delay == .milliseconds(30))
        // It really breaks the flow: after the first step the packets are dropped at s1's next hop.
        var network = FakeNetwork(paths: [request.oldPath, request.newPath])
        network.install(request, path: request.oldPath)
        #expect(network.deliversEverything(request))
        for change in plan.steps[0].changes { network.apply(change.flowMod, at: change.datapathID) }
        #expect(!network.deliversEverything(request))
    }

    @Test func badRequestsSayWhatIsWrong() {
        let flows = udpFlows(1)
        #expect(throws: FlowMigrationPlanError.noFlows) {
            try FlowMigrationPlanner.plan(.init(flows: [], oldPath: diamondOld, newPath: diamondNew), algorithm: .paper)
        }
        #expect(throws: FlowMigrationPlanError.emptyPath(which: "new")) {
            try FlowMigrationPlanner.plan(.init(flows: flows, oldPath: diamondOld, newPath: []), algorithm: .paper)
        }
        let elsewhere = path([(1, 5, 3), (3, 1, 2), (4, 3, 1)])
        #expect(throws: FlowMigrationPlanError.differentIngress(old: diamondOld[0], new: elsewhere[0])) {
            try FlowMigrationPlanner.plan(.init(flows: flows, oldPath: diamondOld, newPath: elsewhere), algorithm: .consistent)
        }
        let looping = path([(1, 1, 2), (2, 1, 2), (2, 1, 3), (4, 2, 1)])
        #expect(throws: FlowMigrationPlanError.loopingPath(which: "new", datapathID: 2, inPort: 1)) {
            try FlowMigrationPlanner.plan(.init(flows: flows, oldPath: diamondOld, newPath: looping), algorithm: .consistent)
        }
        do {
            _ = try FlowMigrationPlanner.plan(.init(flows: flows, oldPath: diamondOld, newPath: elsewhere), algorithm: .paper)
        } catch {
            #expect("\(error)".contains("same switch and in port"))
        }
    }

    /// Applies the plan to a fake network holding the old path, step by step; within a step
    /// the changes may land in any order (all subsets checked for small steps, prefixes and
    /// suffixes of each switch's share for large ones): every flow is delivered at every point,
    /// and at the end the tables hold exactly the new path.
    func expectConsistent(_ plan: FlowMigrationPlan, _ request: FlowMigrationRequest) throws {
        var network = FakeNetwork(paths: [request.oldPath, request.newPath])
        network.install(request, path: request.oldPath)
        #expect(network.deliversEverything(request))
        for step in plan.steps {
            if step.changes.count <= 12 {
                for subset in 0..<(1 << step.changes.count) {
                    var partial = network
                    for (index, change) in step.changes.enumerated() where subset & (1 << index) != 0 {
                        partial.apply(change.flowMod, at: change.datapathID)
                    }
                    #expect(partial.deliversEverything(request), "step \(step.name), subset \(subset)")
                }
            } else {
                for dpid in step.datapathIDs {
                    var partial = network
                    for change in step.changes where change.datapathID == dpid { partial.apply(change.flowMod, at: dpid) }
                    #expect(partial.deliversEverything(request), "step \(step.name), only s\(dpid) applied")
                }
            }
            for change in step.changes { network.apply(change.flowMod, at: change.datapathID) }
            #expect(network.deliversEverything(request), "after step \(step.name)")
        }
        var expected = FakeNetwork(paths: [request.oldPath, request.newPath])
        expected.install(request, path: request.newPath)
        #expect(network.snapshot == expected.snapshot)
    }
}
