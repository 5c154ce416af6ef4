import Testing
@testable import Routing

@Suite struct RoutingPlaceholderTests {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
