import Testing

@testable import Lab

@Suite struct PaperExperimentTests {
    @Test func everyPointBecomesOneRowInSweepOrder() async throws {
        let runner = FakePaperRunner()
        let sweep = PaperSweep.quick()
        let result = try await PaperExperiment(sweep: sweep, backend: "fake", clock: "virtual").run(on: runner)
        #expect(result.rows.count == sweep.points.count)
        #expect(runner.ran == sweep.points)
        #expect(result.rows.map(\.seed) == sweep.points.map(\.seed))
        #expect(runner.tornDown == 1)
        let flow = try #require(result.rows.first { $0.scheme == .flowsPaper && $0.rate == 2000 })
        #expect(flow.downtimeMilliseconds == nil, "a flow migration pauses nothing")
        #expect(abs(flow.interruptionMilliseconds - 0.1) < 1e-9, "longest gap minus the 0.5 ms interval")
        let standard = try #require(result.rows.first { $0.scheme == .routerStandard && $0.rate == 2000 && $0.run == 1 })
        #expect(standard.downtimeMilliseconds == 300)
        #expect(standard.lost == 600)
        #expect(standard.flowMods == nil)
    }

    @Test func unavailableSchemesAreLeftOutWithTheirReason() async throws {
        let result = try await FakePaperRunner.result { $0.unavailable = [.routerStandard: "not built in"] }
        #expect(result.unavailable == [.routerStandard: "not built in"])
        #expect(!result.rows.contains { $0.scheme == .routerStandard })
        #expect(result.measuredSchemes == [.routerPlaneSeparated, .flowsPaper, .flowsConsistent])
    }

    @Test func progressCountsDownAndEstimatesTimeLeftFromFinishedRuns() async throws {
        let runner = FakePaperRunner()
        let sweep = PaperSweep(schemes: [.flowsPaper], sizes: [64], rates: [1000, 2000], repetitions: 2, flowTrafficSeconds: 1)
        var clock = 0.0
        var seen: [PaperProgress] = []
        _ = try await PaperExperiment(sweep: sweep, backend: "fake", clock: "virtual")
            .run(on: runner, now: { clock += 1; return clock }, progress: { seen.append($0) })
        #expect(seen.map(\.index) == [1, 2, 3, 4])
        #expect(seen.map(\.left) == [4, 3, 2, 1])
        #expect(seen.allSatisfy { $0.total == 4 })
        #expect(seen[0].remainingSeconds == nil, "nothing finished yet")
        // Each run takes 1 s on the fake clock (read once before and once after it).
        #expect(seen[1].remainingSeconds == 3)
        #expect(seen[3].remainingSeconds == 1)
        let text = ProgressLine(inPlace: false).render(seen[1])
        #expect(text.hasPrefix("[2/4] flows-paper 64 B 2000 pps run 1  3 left"), "\(text)")
        #expect(text.contains("about 3 s left"))
        #expect(ProgressLine(inPlace: true).render(seen[1]).hasPrefix("\r"))
    }

    @Test func aFailingRunNamesItsPointAndTheRunnerIsStillTornDown() async throws {
        let runner = FakePaperRunner()
        let sweep = PaperSweep(schemes: [.flowsPaper], sizes: [64], rates: [1000], repetitions: 2, flowTrafficSeconds: 1)
        runner.failAt = sweep.points[1]
        await #expect {
            _ = try await PaperExperiment(sweep: sweep, backend: "fake", clock: "virtual").run(on: runner)
        } throws: { error in
            "\(error)".contains("flows-paper 64 B 1000 pps run 2") && "\(error)".contains("on purpose")
        }
        #expect(runner.tornDown == 1)
    }
}
