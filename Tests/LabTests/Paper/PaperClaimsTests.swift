import Testing

@testable import Lab

@Suite struct PaperClaimsTests {
    static func verdicts(_ result: PaperResult) -> [String: PaperClaim.Verdict] {
        Dictionary(uniqueKeysWithValues: PaperClaims.evaluate(result).map { ($0.id, $0.verdict) })
    }

    @Test func resultsShapedLikeThePapersHoldEveryClaim() async throws {
        let result = try await FakePaperRunner.result()
        let claims = PaperClaims.evaluate(result)
        #expect(claims.map(\.id) == [
            "plane-separation-downtime", "standard-loss-linear", "plane-separation-lossless", "openflow-lossless",
            "consistent-lossless", "openflow-total-time",
        ])
        for claim in claims { #expect(claim.verdict == .holds, "\(claim.id): \(claim.measured)") }
        let linear = try #require(claims.first { $0.id == "standard-loss-linear" })
        // The slope of lost packets against rate is the stop in seconds: 302 ms here.
        #expect(linear.measured.contains("lost ≈ 302.0 ms × rate"), "\(linear.measured)")
        #expect(linear.measured.contains("r² = 1.000"))
        let downtime = try #require(claims.first { $0.id == "plane-separation-downtime" })
        #expect(downtime.measured.contains("200.0 ms lower"), "\(downtime.measured)")
    }

    @Test func planeSeparationThatLosesPacketsDoesNotHold() async throws {
        let result = try await FakePaperRunner.result { $0.planeSeparatedLoss = 3 }
        let claim = try #require(PaperClaims.evaluate(result).first { $0.id == "plane-separation-lossless" })
        #expect(claim.verdict == .doesNotHold)
        #expect(claim.measured.hasPrefix("lost 36 of"), "\(claim.measured)")
        #expect(Self.verdicts(result)["openflow-lossless"] == .holds)
    }

    @Test func lossesThatDoNotFollowTheRateAreNotLinear() async throws {
        // Losses that jump between 0 and 1000 with the rate: no line explains them.
        let sweep = PaperSweep(rates: [1000, 2000, 3000, 4000, 5000], repetitions: 1, flowTrafficSeconds: 0.5)
        let result = try await FakePaperRunner.result(
            { $0.standardLoss = { Int($0.rate) % 2000 == 0 ? 0 : 1000 } }, sweep: sweep)
        let claim = try #require(PaperClaims.evaluate(result).first { $0.id == "standard-loss-linear" })
        #expect(claim.verdict == .doesNotHold, "\(claim.measured)")
    }

    @Test func lossesThatDoNotGrowWithTheRateDoNotHoldEvenOnALine() async throws {
        let result = try await FakePaperRunner.result { $0.standardLoss = { _ in 0 } }
        let claim = try #require(PaperClaims.evaluate(result).first { $0.id == "standard-loss-linear" })
        #expect(claim.verdict == .doesNotHold, "a flat line of zero loss is not 'increases linearly'")
    }

    @Test func tooFewRatesForALineIsNotMeasured() async throws {
        let sweep = PaperSweep(rates: [1000, 2000], repetitions: 2, flowTrafficSeconds: 0.5)
        let result = try await FakePaperRunner.result(sweep: sweep)
        let claim = try #require(PaperClaims.evaluate(result).first { $0.id == "standard-loss-linear" })
        #expect(claim.verdict == .notMeasured)
        #expect(claim.measured.contains("too few for a line"))
    }

    @Test(arguments: [(100.0, PaperClaim.Verdict.holds), (280, .doesNotHold), (320, .doesNotHold)])
    func theDowntimeDifferenceMustBeAbout200Milliseconds(planeSeparated: Double, verdict: PaperClaim.Verdict) async throws {
        // Standard stops for 300 ms: differences of 200, 20 and −20 ms.
        let result = try await FakePaperRunner.result { $0.planeSeparatedDowntime = planeSeparated }
        #expect(Self.verdicts(result)["plane-separation-downtime"] == verdict)
    }

    @Test func openFlowTotalTimeOfMillisecondsHoldsAndOfTensDoesNot() async throws {
        #expect(Self.verdicts(try await FakePaperRunner.result { $0.flowTotal = 4.8 })["openflow-total-time"] == .holds)
        #expect(Self.verdicts(try await FakePaperRunner.result { $0.flowTotal = 40 })["openflow-total-time"] == .doesNotHold)
    }

    @Test func claimsOnSchemesThatDidNotRunAreNotMeasuredWithTheReason() async throws {
        let result = try await FakePaperRunner.result {
            $0.unavailable = [.routerStandard: "router migration is not built in", .routerPlaneSeparated: "idem"]
        }
        let claims = PaperClaims.evaluate(result)
        for id in ["plane-separation-downtime", "standard-loss-linear", "plane-separation-lossless"] {
            let claim = try #require(claims.first { $0.id == id })
            #expect(claim.verdict == .notMeasured, "\(id)")
            #expect(claim.measured.contains("was not run"), "\(id): \(claim.measured)")
        }
        #expect(Self.verdicts(result)["openflow-lossless"] == .holds)
    }
}
