import Testing
@testable import Migration

@Suite struct MigrationPlaceholderTests {
    @Test func moduleBuilds() { #expect(Bool(true)) }
}
