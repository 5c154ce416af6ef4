import Testing
@testable import Northbound

@Suite struct NorthboundPlaceholderTests {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
