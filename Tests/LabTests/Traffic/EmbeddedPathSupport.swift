import Controller
import Lab
import NIOCore
import NetworkAddresses
import Substrate

/// h1 — s1 — s2 — s3 — s4 — h2 with the path installed both ways, a probe flow from h1 to
/// a sink on h2, ARP resolved beforehand (by a ping) so that every probe sees the bare path.
final class EmbeddedPathRun {
    let network: EmbeddedNetwork
    let controller: EmbeddedController
    let h1: EmbeddedHost
    let h2: EmbeddedHost
    let sink: ProbeSink
    var generator: TrafficGenerator?
    var progress: [TrafficGenerator.Progress] = []

    static let h2Address = IPv4Address("10.0.0.2")!

    /// `links` gives each of the 5 links' options, h1 side first.
    init(clock: any SubstrateClock, links: [EmbeddedLink.Options], tracing: Bool = false) throws {
        precondition(links.count == 5)
        network = EmbeddedNetwork(clock: clock, tracing: tracing)
        for i in 1...4 { try network.addSwitch("s\(i)") }
        h1 = try network.addHost("h1", ip: IPv4Address("10.0.0.1")!)
        h2 = try network.addHost("h2", ip: Self.h2Address)
        let names = ["h1", "s1", "s2", "s3", "s4", "h2"]
        for i in 0..<5 { try network.addLink(names[i], names[i + 1], options: links[i]) }
        controller = network.addController()
        sink = try ProbeSink(host: h2, port: 9000, flow: 7)
    }

    /// Installs the path and pings once (ARP), and starts the flow at `delay` from now (time
    /// enough for both); `done` runs when the last probe is sent.
    func start(
        rate: Double, size: Int, count: UInt64, delay: TimeAmount = .milliseconds(500), done: @escaping () -> Void = {}
    ) throws {
        let generator = try TrafficGenerator(
            host: h1,
            configuration: .init(
                destination: Self.h2Address, destinationPort: 9000, flow: 7, rate: rate, datagramSize: size,
                count: count, progressInterval: .milliseconds(500)))
        generator.onProgress = { [unowned self] in progress.append($0) }
        generator.onFinish = done
        self.generator = generator
        let forward = (1...4).map { PathHop(datapathID: UInt64($0), inPort: 1, outPort: 2) }
        let reverse = (1...4).reversed().map { PathHop(datapathID: UInt64($0), inPort: 2, outPort: 1) }
        controller.install(
            PathInstaller.flowMods(match: [], path: forward) + PathInstaller.flowMods(match: [], path: reverse)
        ) { [self] in
            h1.ping(Self.h2Address, timeout: .seconds(5)) { _ in }
        }
        generator.start(at: network.clock.now + delay)
    }

    var report: ProbeReport { sink.report(sent: generator?.sent ?? 0) }
}
