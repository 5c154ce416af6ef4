import Testing
@testable import OpenFlow
@Test func openFlowModuleLinks() { _ = OpenFlowModule.self }
