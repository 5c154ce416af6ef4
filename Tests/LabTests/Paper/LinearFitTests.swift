import Testing

@testable import Lab

@Suite struct LinearFitTests {
    @Test func anExactLineFitsWithRSquaredOne() throws {
        let fit = try #require(LinearFit(x: [1000, 2000, 4000], y: [305, 605, 1205]))
        #expect(abs(fit.slope - 0.3) < 1e-9)
        #expect(abs(fit.intercept - 5) < 1e-6)
        #expect(abs(fit.rSquared - 1) < 1e-9)
        #expect(fit.count == 3)
    }

    @Test func scatterLowersRSquared() throws {
        let fit = try #require(LinearFit(x: [1, 2, 3, 4, 5, 6], y: [10, 0, 12, 1, 11, 2]))
        #expect(fit.rSquared < 0.2)
    }

    @Test func aFlatSeriesIsAPerfectFitWithSlopeZero() throws {
        let fit = try #require(LinearFit(x: [1000, 2000, 4000], y: [0, 0, 0]))
        #expect(fit.slope == 0)
        #expect(fit.rSquared == 1)
    }

    @Test func noLineWithoutTwoDistinctXOrWithNaN() {
        #expect(LinearFit(x: [1], y: [1]) == nil)
        #expect(LinearFit(x: [2, 2, 2], y: [1, 2, 3]) == nil)
        #expect(LinearFit(x: [1, 2], y: [1, .nan]) == nil)
        #expect(LinearFit(x: [1, 2], y: [1]) == nil)
    }
}
