import Testing
@testable import Scenario

@Suite struct ScenarioPlaceholderTests {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
