import Controller
import NIOCore
import NetworkAddresses
import OpenFlow
import Substrate

/// h1 — s1 — s2 — s3 — s4 — h2 on one clock, with a controller (no apps) that installs the
/// path both ways by PathInstaller (in_port only, so ARP broadcasts follow it too).
struct PathFixture {
    let network: EmbeddedNetwork
    let controller: EmbeddedController
    let h1: EmbeddedHost
    let h2: EmbeddedHost
    let switches: [EmbeddedSwitch]

    static let h1Address = IPv4Address("10.0.0.1")!
    static let h2Address = IPv4Address("10.0.0.2")!
    /// h1 to h2: every switch takes the packet in on port 1 and sends it out of port 2.
    static let forward = (1...4).map { PathHop(datapathID: UInt64($0), inPort: 1, outPort: 2) }
    static let reverse = (1...4).reversed().map { PathHop(datapathID: UInt64($0), inPort: 2, outPort: 1) }

    init(
        clock: any SubstrateClock, link: EmbeddedLink.Options = .init(), switchOptions: EmbeddedSwitch.Options = .init(),
        tracing: Bool = false, apps: [any ControllerApp] = []
    ) throws {
        network = EmbeddedNetwork(clock: clock, tracing: tracing)
        var switches: [EmbeddedSwitch] = []
        for i in 1...4 { switches.append(try network.addSwitch("s\(i)", options: switchOptions)) }
        self.switches = switches
        h1 = try network.addHost("h1", ip: Self.h1Address)
        h2 = try network.addHost("h2", ip: Self.h2Address)
        try network.addLink("h1", "s1", options: link)
        for i in 1...3 { try network.addLink("s\(i)", "s\(i + 1)", options: link) }
        try network.addLink("s4", "h2", options: link)
        controller = network.addController(apps: apps)
    }

    /// Installs both directions; `done` runs when the last barrier is answered.
    func installPath(done: @escaping () -> Void = {}) {
        controller.install(
            PathInstaller.flowMods(match: [], path: Self.forward) + PathInstaller.flowMods(match: [], path: Self.reverse),
            completion: done)
    }
}
