import Testing
@testable import OpenFlowNIO

@Test func openFlowNIOModuleLinks() { _ = OpenFlowNIOModule.self }
