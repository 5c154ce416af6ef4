import Testing
@testable import Datapath

@Test func datapathModuleLinks() { _ = DatapathModule.self }
