import Foundation
import Lab
import LinuxTestbed
import NIOCore
import OpenFlow
import Testing

@testable import Migration

/// Flow migration on real Open vSwitch (userspace datapath) in network namespaces, through
/// vnm's own controller connections, with kernel UDP probes at 5,000 packets/s of 64 bytes.
/// Needs root and openvswitch-switch; fails (never skips) when they are missing.
@Suite("Flow migration on Open vSwitch", .serialized)
struct FlowMigrationOpenVSwitchTests {
    static let trial = (rate: 5000.0, size: 64, duration: TimeAmount.seconds(2), trigger: TimeAmount.seconds(1))

    /// Our entries on each switch as "in_port→output" (by in port), from dump-flows.
    static func entries(_ tables: [UInt64: [String]]) -> [UInt64: Set<String>] {
        var result: [UInt64: Set<String>] = [:]
        for (dpid, lines) in tables {
            result[dpid] = Set(lines.filter { $0.contains("cookie=0xf10") }.map { line in
                let inPort = line.split(separator: ",").first { $0.hasPrefix("in_port=") || $0.contains(" in_port=") }?
                    .split(separator: "=").last.map(String.init) ?? "?"
                let output = line.components(separatedBy: "actions=").last ?? "?"
                let direction = line.contains("tp_dst=") ? "fwd" : "rev"
                return "\(direction) \(inPort)→\(output)"
            })
        }
        return result
    }

    static let newPathEntries: [UInt64: Set<String>] = [
        1: ["fwd 1→output:3", "rev 3→output:1"], 2: [], 3: ["fwd 1→output:2", "rev 2→output:1"],
        4: ["fwd 3→output:1", "rev 1→output:3"],
    ]
    static let oldPathEntries: [UInt64: Set<String>] = [
        1: ["fwd 1→output:2", "rev 2→output:1"], 2: ["fwd 1→output:2", "rev 2→output:1"], 3: [],
        4: ["fwd 2→output:1", "rev 1→output:2"],
    ]

    @Test func consistentLosesNothingDeleteFirstLosesAndTheTablesEndUpAsTheNewPath() async throws {
        let backend = try FlowMigrationLinuxBackend(name: "flowmig-t1", log: { print($0) })
        do {
            try await scenario(backend)
        } catch {
            await backend.tearDown()
            throw error
        }
        await backend.tearDown()
        #expect(backend.testbed.leftovers().isEmpty, "\(backend.testbed.leftovers())")
    }

    func scenario(_ backend: FlowMigrationLinuxBackend) async throws {
        let request = try await backend.prepare(flows: 1)
        try await backend.installOldPath(request)
        #expect(Self.entries(try await backend.flowTables()) == Self.oldPathEntries)

        let baseline = try await backend.run(.init(
            rate: Self.trial.rate, datagramSize: Self.trial.size, duration: Self.trial.duration,
            triggerAfter: Self.trial.trigger, plan: nil))
        print("baseline: \(baseline.probe)")
        #expect(baseline.probe.sent >= 9_000)
        #expect(baseline.newPathProbes == 0, "no probe may cross s3 without a migration")

        for algorithm in [FlowMigrationAlgorithm.consistent, .paper, .deleteFirst] {
            try await backend.installOldPath(request)
            let plan = try FlowMigrationPlanner.plan(request, algorithm: algorithm, options: .init(drainInterval: .milliseconds(20)))
            let result = try await backend.run(.init(
                rate: Self.trial.rate, datagramSize: Self.trial.size, duration: Self.trial.duration,
                triggerAfter: Self.trial.trigger, plan: plan))
            let report = try #require(result.migration)
            print(
                "\(algorithm): lost \(result.probe.lost) of \(result.probe.sent), gap \(result.probe.longestGapMilliseconds) ms, "
                    + "total \(result.totalMigrationMilliseconds ?? -1) ms, confirmed \(report.confirmedMilliseconds ?? -1) ms, "
                    + "\(report.flowMods) flow-mods, new-path probes \(result.newPathProbes)")
            #expect(report.outcome == .completed, "\(algorithm): \(report.reason ?? "")")
            #expect(result.probe.sent >= 9_000)
            switch algorithm {
            case .deleteFirst:
                #expect(result.probe.lost > 0, "delete-first must lose packets")
            case .paper:
                // Not asserted to be 0: on Open vSwitch's userspace datapath the unconfirmed
                // deletes can take effect before the divergence switch's redirection does
                // (both wait for revalidation of the datapath's flow cache); measured 0–25
                // packets at 5k pps, once 208 on a loaded machine. Consistent's confirmation
                // and drain close that window.
                break
            default:
                #expect(result.probe.lost == 0, "\(algorithm) lost \(result.probe.lost) (baseline lost \(baseline.probe.lost))")
            }
            let total = try #require(result.totalMigrationMilliseconds, "\(algorithm): no probe seen on the new path")
            #expect(total > 0 && total < 900)
            #expect(result.newPathProbes > 3_000)
            #expect(Self.entries(try await backend.flowTables()) == Self.newPathEntries, "\(algorithm)")
        }

        // A switch refuses the redirection (output to OFPP_ANY is invalid): the migration rolls
        // back, traffic stays on the old path, and the tables are the old path's again.
        try await backend.installOldPath(request)
        var plan = try FlowMigrationPlanner.plan(request, algorithm: .consistent)
        let modify = try #require(plan.steps.firstIndex { $0.kind == .modify })
        plan.steps[modify].changes[0].newOutput = OF13.PortNumber.any
        let result = try await backend.run(.init(
            rate: Self.trial.rate, datagramSize: Self.trial.size, duration: Self.trial.duration,
            triggerAfter: Self.trial.trigger, plan: plan))
        let report = try #require(result.migration)
        print("refused: \(report.outcome) \(report.reason ?? ""), lost \(result.probe.lost) of \(result.probe.sent)")
        #expect(report.outcome == .rolledBack)
        #expect(report.reason?.contains("OFPT_ERROR") == true)
        #expect(result.probe.lost == 0)
        #expect(Self.entries(try await backend.flowTables()) == Self.oldPathEntries)
    }
}
