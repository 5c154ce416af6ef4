import Testing

@testable import Lab

/// The flow schemes for real, on the embedded diamond (virtual clock).
@Suite struct FlowSchemeRunnerTests {
    static let sweep = PaperSweep(
        schemes: [.flowsPaper, .flowsConsistent], sizes: [64], rates: [2000], repetitions: 1, flowTrafficSeconds: 0.5)

    @Test func consistentMigrationLosesNothingAndReachesTheNewPathInMilliseconds() async throws {
        let runner = FlowSchemeRunner(substrate: .embedded, baseline: true)
        let point = PaperPoint(scheme: .flowsConsistent, datagramSize: 1500, rate: 2000, run: 1, seed: 3)
        let measurement = try await runner.run(point, sweep: Self.sweep)
        await runner.tearDown()
        #expect(measurement.backend == "embedded")
        #expect(measurement.probe.sent == 1000)
        #expect(measurement.probe.lost == 0)
        #expect(measurement.baselineLost == 0)
        #expect(measurement.downtimeMilliseconds == nil)
        let total = try #require(measurement.totalMigrationMilliseconds)
        #expect(total > 0 && total < 50)
        #expect(measurement.confirmedMilliseconds != nil)
        #expect((measurement.flowMods ?? 0) > 0)
        #expect(measurement.outcome != nil)
    }

    @Test func theSameSeedGivesTheSameMeasurement() async throws {
        let runner = FlowSchemeRunner(substrate: .embedded, baseline: false)
        let point = PaperPoint(scheme: .flowsPaper, datagramSize: 64, rate: 2000, run: 1, seed: 11)
        let first = try await runner.run(point, sweep: Self.sweep)
        let second = try await runner.run(point, sweep: Self.sweep)
        #expect(first == second)
        #expect(first.baselineLost == nil, "no baseline asked for")
    }

    @Test func routerSchemesAreNotItsToRun() async throws {
        let runner = FlowSchemeRunner(substrate: .embedded, baseline: false)
        #expect(runner.unavailability(of: .routerStandard) != nil)
        #expect(runner.unavailability(of: .flowsPaper) == nil)
        await #expect(throws: PaperExperimentError.self) {
            _ = try await runner.run(
                PaperPoint(scheme: .routerStandard, datagramSize: 64, rate: 1000, run: 1, seed: 1), sweep: Self.sweep)
        }
    }
}
