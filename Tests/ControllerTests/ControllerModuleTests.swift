import Testing
@testable import Controller

@Test func controllerModuleLinks() { _ = ControllerModule.self }
