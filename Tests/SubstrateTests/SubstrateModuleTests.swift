import Testing
@testable import Substrate

@Test func substrateModuleLinks() { _ = SubstrateModule.self }
