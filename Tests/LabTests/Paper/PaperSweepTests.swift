import Testing

@testable import Lab

@Suite struct PaperSweepTests {
    @Test func pointsCoverEverySchemeSizeRateAndRunOnceWithTheirOwnSeeds() {
        let sweep = PaperSweep.quick(seed: 7)
        let points = sweep.points
        #expect(points.count == 48, "4 schemes × 2 sizes × 3 rates × 2 runs")
        #expect(Set(points).count == points.count)
        #expect(Set(points.map(\.seed)).count == points.count)
        #expect(points.first?.seed == 7)
        for scheme in PaperScheme.allCases {
            for size in [64, 1500] {
                for rate in [1000.0, 2000, 4000] {
                    #expect(points.filter { $0.scheme == scheme && $0.datagramSize == size && $0.rate == rate }.map(\.run) == [1, 2])
                }
            }
        }
        // Repetition-major: the first repetition of every point comes before any second one.
        #expect(points.prefix(24).allSatisfy { $0.run == 1 })
    }

    @Test func fullAndQuickAreValidAndQuickIsSmaller() throws {
        try PaperSweep.full().validate()
        try PaperSweep.quick().validate()
        #expect(PaperSweep.quick().points.count < PaperSweep.full().points.count)
        #expect(PaperSweep.full().rates.count >= PaperClaims.linearMinimumRates)
        #expect(PaperSweep.quick().rates.count >= PaperClaims.linearMinimumRates)
        #expect(PaperSweep.full().sizes == [64, 1500])
    }

    @Test(arguments: [
        (PaperSweep(rates: [0], repetitions: 1, flowTrafficSeconds: 1), "data packet rate 0.0 must be a number above 0"),
        (PaperSweep(rates: [1000], repetitions: 0, flowTrafficSeconds: 1), "repetitions must be at least 1, not 0"),
        (PaperSweep(sizes: [10], rates: [1000], repetitions: 1, flowTrafficSeconds: 1), "packet size 10"),
        (PaperSweep(schemes: [], rates: [1000], repetitions: 1, flowTrafficSeconds: 1), "no scheme"),
        (PaperSweep(rates: [5], repetitions: 1, flowTrafficSeconds: 1), "fewer than 10 packets"),
    ])
    func badSweepsAreClearErrors(sweep: PaperSweep, expected: String) {
        #expect {
            try sweep.validate()
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func schemeListsParseAndNameABadEntry() throws {
        #expect(try PaperScheme.list("flows-paper, flows-consistent,flows-paper") == [.flowsPaper, .flowsConsistent])
        #expect {
            try PaperScheme.list("flows-paper,xen")
        } throws: { error in
            "\(error)".contains("unknown scheme 'xen'") && "\(error)".contains("router-plane-separated")
        }
    }
}
