import Testing
@testable import Packets
@Test func packetsModuleLinks() { _ = PacketsModule.self }
