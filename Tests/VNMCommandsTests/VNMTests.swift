import Testing
@testable import VNMCommands

@Test func rootCommandHasName() {
    #expect(VNM.configuration.commandName == "vnm")
}
