import Testing

@testable import Lab

@Suite struct PaperRunnerTests {
    @Test func eachBackendRunsOnItsOwnClockAndRefusesTheOtherClearly() throws {
        #expect(try PaperRunner(backend: .embedded).clock == .virtual)
        #expect(try PaperRunner(backend: .linux).clock == .real)
        #expect {
            _ = try PaperRunner(backend: .embedded, clock: .real)
        } throws: { error in
            "\(error)".contains("--clock real is not supported with --backend embedded")
        }
        #expect {
            _ = try PaperRunner(backend: .linux, clock: .virtual)
        } throws: { error in
            "\(error)".contains("--clock virtual is not possible with --backend linux")
        }
    }

    @Test func everySchemeIsAvailableOnTheEmbeddedBackend() throws {
        let runner = try PaperRunner(backend: .embedded)
        #expect(runner.unavailability(of: .flowsPaper) == nil)
        #expect(runner.unavailability(of: .flowsConsistent) == nil)
        #expect(runner.unavailability(of: .routerStandard) == nil)
        #expect(runner.unavailability(of: .routerPlaneSeparated) == nil)
        let linux = try PaperRunner(backend: .linux)
        #expect(linux.unavailability(of: .routerStandard)?.contains("no linux backend") == true)
    }

    /// `--quick`'s sweep of the flow schemes, for real, on the embedded backend, through to the
    /// files and verdicts.
    @Test func theQuickSweepOfTheFlowSchemesRunsAndItsVerdictsFollowTheData() async throws {
        var sweep = PaperSweep.quick(seed: 5)
        sweep.schemes = [.flowsPaper, .flowsConsistent]
        let runner = try PaperRunner(backend: .embedded)
        let result = try await PaperExperiment(sweep: sweep, backend: "embedded", clock: "virtual").run(on: runner)
        #expect(result.rows.count == 24, "2 schemes × 2 sizes × 3 rates × 2 runs")
        #expect(result.rows.allSatisfy { $0.backend == "embedded" && $0.downtimeMilliseconds == nil })
        #expect(result.rows.allSatisfy { $0.sent == UInt64($0.rate * 0.5) })
        let consistent = result.rows.filter { $0.scheme == .flowsConsistent }
        #expect(consistent.allSatisfy { $0.lost == 0 })
        #expect(result.rows.allSatisfy { ($0.totalMigrationMilliseconds ?? -1) > 0 })
        let claims = Dictionary(uniqueKeysWithValues: PaperClaims.evaluate(result).map { ($0.id, $0) })
        #expect(claims["consistent-lossless"]?.verdict == .holds)
        let paperLost = result.rows.filter { $0.scheme == .flowsPaper }.reduce(0) { $0 + $1.lost }
        #expect(claims["openflow-lossless"]?.verdict == (paperLost == 0 ? .holds : .doesNotHold))
        #expect(claims["standard-loss-linear"]?.verdict == .notMeasured)
        #expect(claims["openflow-total-time"]?.verdict != .notMeasured)
        let svg = PaperFigures.lostPackets(result).chart.svg()
        #expect(!svg.contains("NaN"))
        #expect(svg.contains("data-series=\"OpenFlow (paper order)\""))
    }

    /// One point of each router scheme through the adapter: plane separation loses nothing and
    /// is down for less time than the standard migration, which loses packets.
    @Test func theRouterSchemesRunThroughTheRouterMigrationExperiment() async throws {
        let runner = RouterSchemeRunner()
        let sweep = PaperSweep.quick(seed: 1)
        let separated = try await runner.run(
            PaperPoint(scheme: .routerPlaneSeparated, datagramSize: 64, rate: 10_000, run: 0, seed: 1), sweep: sweep)
        let standard = try await runner.run(
            PaperPoint(scheme: .routerStandard, datagramSize: 64, rate: 10_000, run: 0, seed: 1), sweep: sweep)
        #expect(separated.probe.lost == 0)
        #expect(standard.probe.lost > 0)
        let separatedDowntime = try #require(separated.downtimeMilliseconds)
        let standardDowntime = try #require(standard.downtimeMilliseconds)
        #expect(separatedDowntime < standardDowntime)
        #expect(separated.adjacencyDrops == 0)
    }
}
