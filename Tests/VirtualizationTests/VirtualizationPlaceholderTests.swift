import Testing
@testable import Virtualization

@Suite struct VirtualizationPlaceholderTests {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
