import Testing
@testable import LinuxTestbed

@Test func linuxTestbedModuleLinks() { _ = LinuxTestbedModule.self }
